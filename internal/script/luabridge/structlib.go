package luabridge

import (
	"encoding/binary"
	"math"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// The struct library Redis bundles (Roberto Ierusalimschy's struct.c):
// binary packing of numbers and strings on a little-endian 64-bit
// machine (native order little endian, long and size_t 8 bytes, int 4).

const (
	structMaxIntSize = 32
	structMaxAlign   = 8
)

type structHeader struct {
	big   bool
	align int
}

type structFmt struct {
	L   *lua.LState
	f   string
	pos int
}

// getnum reads an optional size after an option.
func (s *structFmt) getnum(def int) int {
	if s.pos >= len(s.f) || !isDigit(s.f[s.pos]) {
		return def
	}
	a := 0
	for s.pos < len(s.f) && isDigit(s.f[s.pos]) {
		d := int(s.f[s.pos] - '0')
		if a > math.MaxInt32/10 || a*10 > math.MaxInt32-d {
			s.L.RaiseError("integral size overflow")
		}
		a = a*10 + d
		s.pos++
	}
	return a
}

func (s *structFmt) optsize(opt byte) int {
	switch opt {
	case 'B', 'b':
		return 1
	case 'H', 'h':
		return 2
	case 'L', 'l', 'T', 'd':
		return 8
	case 'f':
		return 4
	case 'x':
		return 1
	case 'c':
		return s.getnum(1)
	case 'i', 'I':
		n := s.getnum(4)
		if n > structMaxIntSize {
			s.L.RaiseError("integral size %d is larger than limit of %d", n, structMaxIntSize)
		}
		return n
	}
	return 0
}

func toAlign(n int, h *structHeader, opt byte, size int) int {
	if size == 0 || opt == 'c' {
		return 0
	}
	if size > h.align {
		size = h.align
	}
	return (size - (n & (size - 1))) & (size - 1)
}

func (s *structFmt) control(opt byte, h *structHeader) {
	switch opt {
	case ' ':
	case '>':
		h.big = true
	case '<':
		h.big = false
	case '!':
		a := s.getnum(structMaxAlign)
		if a&(a-1) != 0 || a == 0 {
			s.L.RaiseError("alignment %d is not a power of 2", a)
		}
		h.align = a
	default:
		s.L.ArgError(1, "invalid format option '"+string(opt)+"'")
	}
}

func (v *VM) installStruct() {
	L := v.L
	t := L.NewTable()
	t.RawSetString("pack", L.NewFunction(structPack))
	t.RawSetString("unpack", L.NewFunction(structUnpack))
	t.RawSetString("size", L.NewFunction(structSize))
	v.globals.RawSetString("struct", t)
}

// packNumber is luaL_checknumber for pack's arguments: C's version sees
// a nil marker just past the arguments, so a missing one is "got nil".
func packNumber(L *lua.LState, i int) float64 {
	if i > L.GetTop() {
		L.ArgError(i, "number expected, got nil")
	}
	return checkNumber(L, i)
}

func structPack(L *lua.LState) int {
	f := &structFmt{L: L, f: checkString(L, 1)}
	h := structHeader{align: 1}
	arg := 2
	var b []byte
	total := 0
	for f.pos < len(f.f) {
		opt := f.f[f.pos]
		f.pos++
		size := f.optsize(opt)
		pad := toAlign(total, &h, opt, size)
		total += pad
		for ; pad > 0; pad-- {
			b = append(b, 0)
		}
		switch opt {
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			n := packNumber(L, arg)
			arg++
			var u uint64
			if n < 0 {
				u = uint64(int64(n))
			} else {
				u = uint64(n)
			}
			buf := make([]byte, size)
			for i := 0; i < size; i++ {
				idx := i
				if h.big {
					idx = size - 1 - i
				}
				buf[idx] = byte(u)
				u >>= 8
			}
			b = append(b, buf...)
		case 'x':
			b = append(b, 0)
		case 'f':
			bits := math.Float32bits(float32(packNumber(L, arg)))
			arg++
			if h.big {
				b = binary.BigEndian.AppendUint32(b, bits)
			} else {
				b = binary.LittleEndian.AppendUint32(b, bits)
			}
		case 'd':
			bits := math.Float64bits(packNumber(L, arg))
			arg++
			if h.big {
				b = binary.BigEndian.AppendUint64(b, bits)
			} else {
				b = binary.LittleEndian.AppendUint64(b, bits)
			}
		case 'c', 's':
			var str string
			if arg > L.GetTop() {
				L.ArgError(arg, "string expected, got nil")
			}
			str = checkString(L, arg)
			arg++
			if size == 0 {
				size = len(str)
			}
			if len(str) < size {
				L.ArgError(arg, "string too short")
			}
			b = append(b, str[:size]...)
			if opt == 's' {
				b = append(b, 0)
				size++
			}
		default:
			f.control(opt, &h)
		}
		total += size
	}
	L.Push(lua.LString(b))
	return 1
}

func structUnpack(L *lua.LState) int {
	f := &structFmt{L: L, f: checkString(L, 1)}
	data := checkString(L, 2)
	ld := len(data)
	pos := optInt(L, 3, 1) - 1
	if pos < 0 {
		L.ArgError(3, "offset must be 1 or greater")
	}
	h := structHeader{align: 1}
	var out []lua.LValue
	for f.pos < len(f.f) {
		opt := f.f[f.pos]
		f.pos++
		size := f.optsize(opt)
		pos += toAlign(pos, &h, opt, size)
		if size > ld || pos > ld-size {
			L.ArgError(2, "data string too short")
		}
		switch opt {
		case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I':
			var u uint64
			for i := 0; i < size; i++ {
				idx := size - 1 - i
				if h.big {
					idx = i
				}
				u = u<<8 | uint64(data[pos+idx])
			}
			if opt >= 'a' && opt <= 'z' {
				mask := ^uint64(0) << (uint(size*8-1) & 63)
				if u&mask != 0 {
					u |= mask
				}
				out = append(out, lua.LNumber(float64(int64(u))))
			} else {
				out = append(out, lua.LNumber(float64(u)))
			}
		case 'x':
		case 'f':
			var bits uint32
			if h.big {
				bits = binary.BigEndian.Uint32([]byte(data[pos : pos+4]))
			} else {
				bits = binary.LittleEndian.Uint32([]byte(data[pos : pos+4]))
			}
			out = append(out, lua.LNumber(math.Float32frombits(bits)))
		case 'd':
			var bits uint64
			if h.big {
				bits = binary.BigEndian.Uint64([]byte(data[pos : pos+8]))
			} else {
				bits = binary.LittleEndian.Uint64([]byte(data[pos : pos+8]))
			}
			out = append(out, lua.LNumber(math.Float64frombits(bits)))
		case 'c':
			if size == 0 {
				n := len(out)
				if n == 0 {
					L.RaiseError("format 'c0' needs a previous size")
				}
				num, ok := out[n-1].(lua.LNumber)
				if !ok {
					L.RaiseError("format 'c0' needs a previous size")
				}
				size = int(num)
				out = out[:n-1]
				if size > ld || pos > ld-size {
					L.ArgError(2, "data string too short")
				}
			}
			out = append(out, lua.LString(data[pos:pos+size]))
		case 's':
			e := strings.IndexByte(data[pos:], 0)
			if e < 0 {
				L.RaiseError("unfinished string in data")
			}
			size = e + 1
			out = append(out, lua.LString(data[pos:pos+e]))
		default:
			f.control(opt, &h)
		}
		pos += size
	}
	for _, val := range out {
		L.Push(val)
	}
	L.Push(lua.LNumber(pos + 1))
	return len(out) + 1
}

func structSize(L *lua.LState) int {
	f := &structFmt{L: L, f: checkString(L, 1)}
	h := structHeader{align: 1}
	pos := 0
	for f.pos < len(f.f) {
		opt := f.f[f.pos]
		f.pos++
		size := f.optsize(opt)
		pos += toAlign(pos, &h, opt, size)
		if opt == 's' {
			L.ArgError(1, "option 's' has no fixed size")
		} else if opt == 'c' && size == 0 {
			L.ArgError(1, "option 'c0' has no fixed size")
		}
		if !isAlnum(opt) {
			f.control(opt, &h)
		}
		pos += size
	}
	L.Push(lua.LNumber(pos))
	return 1
}

func isAlnum(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}
