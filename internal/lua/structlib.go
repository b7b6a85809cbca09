package lua

import (
	"encoding/binary"
	"math"
	"strings"
)

// Redis's struct library (Roberto Ierusalimschy's struct 0.2 semantics):
// pack, unpack and size with <, >, =, ! alignment and bBhHlLTiIfdcsx.

// OpenStruct installs the struct library.
func (L *State) OpenStruct() {
	L.RegisterLib("struct", map[string]GoFunction{
		"pack":   structPack,
		"unpack": structUnpack,
		"size":   structSize,
	})
}

type structHeader struct {
	little bool
	align  int
}

type structOpt struct {
	c    byte
	size int
}

// structNext parses the next option of f at *i, applying header
// options (endianness, alignment) to h; ok is false at the end.
// sizeOnly is set for struct.size, which skips unknown letters (their
// size is 0) where pack and unpack reject them.
func structNext(L *State, f string, i *int, h *structHeader, sizeOnly bool) (structOpt, bool) {
	for *i < len(f) {
		c := f[*i]
		*i++
		num := func(def int) int {
			if *i >= len(f) || !isDigit(f[*i]) {
				return def
			}
			n := 0
			for *i < len(f) && isDigit(f[*i]) {
				d := int(f[*i] - '0')
				if n > math.MaxInt32/10 || n*10 > math.MaxInt32-d {
					L.Errorf("integral size overflow")
				}
				n = n*10 + d
				*i++
			}
			return n
		}
		switch c {
		case ' ':
			continue
		case '>':
			h.little = false
			continue
		case '<', '=':
			h.little = true
			continue
		case '!':
			a := num(8)
			if a&(a-1) != 0 {
				L.Errorf("alignment %d is not a power of 2", a)
			}
			h.align = a
			continue
		case 'x', 'b', 'B':
			return structOpt{c, 1}, true
		case 'h', 'H':
			return structOpt{c, 2}, true
		case 'l', 'L', 'T':
			return structOpt{c, 8}, true
		case 'f':
			return structOpt{c, 4}, true
		case 'd':
			return structOpt{c, 8}, true
		case 's':
			return structOpt{c, 0}, true
		case 'c':
			return structOpt{c, num(1)}, true
		case 'i', 'I':
			n := num(4)
			if n > 32 {
				L.Errorf("integral size %d is larger than limit of %d", n, 32)
			}
			return structOpt{c, n}, true
		default:
			if sizeOnly && isAlnumByte(c) {
				return structOpt{c, 0}, true
			}
			L.ArgError(1, "invalid format option '"+string(c)+"'")
		}
	}
	return structOpt{}, false
}

func (h *structHeader) toAlign(n int, o structOpt) int {
	size := o.size
	if size == 0 || o.c == 'c' {
		return 0
	}
	if size > h.align {
		size = h.align
	}
	return (size - (n & (size - 1))) & (size - 1)
}

func structPack(L *State, args []Value) []Value {
	f := L.CheckString(args, 1)
	h := structHeader{little: true, align: 1}
	var b []byte
	a := 2
	for i := 0; ; {
		o, ok := structNext(L, f, &i, &h, false)
		if !ok {
			break
		}
		for pad := h.toAlign(len(b), o); pad > 0; pad-- {
			b = append(b, 0)
		}
		switch o.c {
		case 'x':
			b = append(b, 0)
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			n := packNumber(L, args, a)
			a++
			var u uint64
			if n < 0 {
				u = uint64(int64(n))
			} else {
				u = toUint64x86(n)
			}
			for k := 0; k < o.size; k++ {
				var byt byte
				if k < 8 {
					// Bytes past the 64-bit value are zero, even for
					// negative numbers, as in Redis's struct.
					byt = byte(u >> (8 * k))
				}
				if h.little {
					b = append(b, byt)
				} else {
					b = append(b, 0)
					copy(b[len(b)-k:], b[len(b)-k-1:])
					b[len(b)-k-1] = byt
				}
			}
		case 'f':
			n := float32(packNumber(L, args, a))
			a++
			if h.little {
				b = binary.LittleEndian.AppendUint32(b, math.Float32bits(n))
			} else {
				b = binary.BigEndian.AppendUint32(b, math.Float32bits(n))
			}
		case 'd':
			n := packNumber(L, args, a)
			a++
			if h.little {
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(n))
			} else {
				b = binary.BigEndian.AppendUint64(b, math.Float64bits(n))
			}
		case 'c', 's':
			s := L.CheckString(args, a)
			a++
			size := o.size
			if o.c == 's' {
				b = append(b, s...)
				b = append(b, 0)
				break
			}
			if size == 0 {
				size = len(s)
			}
			if len(s) < size {
				// Redis's struct checks after moving to the next
				// argument, so the error names that one.
				L.ArgError(a, "string too short")
			}
			b = append(b, s[:size]...)
		}
	}
	return L.Ret1(L.newString(string(b)))
}

func structUnpack(L *State, args []Value) []Value {
	f := L.CheckString(args, 1)
	data := L.CheckString(args, 2)
	off := L.OptInt(args, 3, 1)
	if off == 0 {
		L.ArgError(3, "offset must be 1 or greater")
	}
	// Redis keeps the offset in a size_t: a negative one is a huge
	// position, past the end of any data, so every item fails with "data
	// string too short" and a format without items returns the offset.
	if off < 0 {
		if f == "" {
			return L.Ret1(Number(float64(off)))
		}
		h := structHeader{little: true, align: 1}
		i := 0
		structNext(L, f, &i, &h, false) // format errors come first
		L.ArgError(2, "data string too short")
	}
	pos := off - 1
	h := structHeader{little: true, align: 1}
	var out []Value
	for i := 0; ; {
		o, ok := structNext(L, f, &i, &h, false)
		if !ok {
			break
		}
		pos += h.toAlign(pos, o)
		if o.size > len(data) || pos > len(data)-o.size {
			L.ArgError(2, "data string too short")
		}
		switch o.c {
		case 'x':
			pos++
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			var u uint64
			for k := 0; k < o.size; k++ {
				var byt byte
				if h.little {
					byt = data[pos+o.size-1-k]
				} else {
					byt = data[pos+k]
				}
				u = u<<8 | uint64(byt)
			}
			signed := o.c == 'b' || o.c == 'h' || o.c == 'l' || o.c == 'i'
			if signed && o.size < 8 && o.size > 0 {
				shift := uint(64 - 8*o.size)
				out = append(out, Number(float64(int64(u<<shift)>>shift)))
			} else if signed {
				out = append(out, Number(float64(int64(u))))
			} else {
				out = append(out, Number(float64(u)))
			}
			pos += o.size
		case 'f':
			var u uint32
			if h.little {
				u = binary.LittleEndian.Uint32([]byte(data[pos : pos+4]))
			} else {
				u = binary.BigEndian.Uint32([]byte(data[pos : pos+4]))
			}
			out = append(out, Number(float64(math.Float32frombits(u))))
			pos += 4
		case 'd':
			var u uint64
			if h.little {
				u = binary.LittleEndian.Uint64([]byte(data[pos : pos+8]))
			} else {
				u = binary.BigEndian.Uint64([]byte(data[pos : pos+8]))
			}
			out = append(out, Number(math.Float64frombits(u)))
			pos += 8
		case 'c':
			size := o.size
			if size == 0 {
				if len(out) == 0 || out[len(out)-1].t != TypeNumber {
					L.Errorf("format 'c0' needs a previous size")
				}
				size = int(out[len(out)-1].n)
				out = out[:len(out)-1]
			}
			if size < 0 || size > len(data) || pos > len(data)-size {
				L.ArgError(2, "data string too short")
			}
			out = append(out, L.newString(data[pos:pos+size]))
			pos += size
		case 's':
			e := strings.IndexByte(data[pos:], 0)
			if e < 0 {
				L.Errorf("unfinished string in data")
			}
			out = append(out, L.newString(data[pos:pos+e]))
			pos += e + 1
		}
	}
	return append(out, Number(float64(pos+1)))
}

func structSize(L *State, args []Value) []Value {
	f := L.CheckString(args, 1)
	h := structHeader{little: true, align: 1}
	pos := 0
	for i := 0; ; {
		o, ok := structNext(L, f, &i, &h, true)
		if !ok {
			break
		}
		if o.c == 's' {
			L.ArgError(1, "option 's' has no fixed size")
		}
		if o.c == 'c' && o.size == 0 {
			L.ArgError(1, "option 'c0' has no fixed size")
		}
		pos += h.toAlign(pos, o) + o.size
	}
	return L.Ret1(Number(float64(pos)))
}

// OpenRedisLibs installs the libraries Redis adds to Lua: cjson,
// cmsgpack, bit and struct.
func (L *State) OpenRedisLibs() {
	L.OpenCjson()
	L.OpenCmsgpack()
	L.OpenBit()
	L.OpenStruct()
}

func isAlnumByte(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// packNumber is luaL_checknumber for pack's arguments: Redis's pack
// pushes a nil marker just past its arguments, so the first missing one
// is "got nil".
func packNumber(L *State, args []Value, i int) float64 {
	if i == len(args)+1 {
		L.ArgError(i, "number expected, got nil")
	}
	return L.CheckNumber(args, i)
}
