package lua

import (
	"encoding/binary"
	"math"
)

// Redis's cmsgpack library: pack writes tables whose keys are exactly
// 1..n as arrays and everything else as maps in pairs() order.

const msgpackMaxNesting = 16

// OpenCmsgpack installs the cmsgpack library.
func (L *State) OpenCmsgpack() {
	t := L.RegisterLib("cmsgpack", map[string]GoFunction{
		"pack": func(L *State, args []Value) []Value {
			if len(args) == 0 {
				L.ArgError(0, "MessagePack pack needs input.")
			}
			var b []byte
			for _, a := range args {
				b = mpEncode(L, b, a, 0)
			}
			return L.Ret1(L.newString(string(b)))
		},
		"unpack": func(L *State, args []Value) []Value {
			s := L.CheckString(args, 1)
			d := mpDecoder{L: L, s: s}
			var out []Value
			for d.pos < len(s) {
				out = append(out, d.value())
			}
			return out
		},
		"unpack_one": func(L *State, args []Value) []Value {
			offset := L.OptInt(args, 2, 0)
			return mpUnpackLimit(L, L.CheckString(args, 1), 1, offset)
		},
		"unpack_limit": func(L *State, args []Value) []Value {
			// lua-cmsgpack reads the limit and offset before the data.
			limit := L.CheckInt(args, 2)
			offset := L.OptInt(args, 3, 0)
			return mpUnpackLimit(L, L.CheckString(args, 1), limit, offset)
		},
	})
	t.SetStr("_NAME", String("cmsgpack"))
	t.SetStr("_VERSION", String("lua-cmsgpack 0.4.0"))
	t.SetStr("_COPYRIGHT", String("Copyright (C) 2012, Salvatore Sanfilippo"))
	t.SetStr("_DESCRIPTION", String("MessagePack C implementation for Lua"))
}

func mpUnpackLimit(L *State, s string, limit, offset int) []Value {
	if offset < 0 || limit < 0 {
		// lua-cmsgpack 0.4.0 prints the input's length as the limit.
		// The numbers are printed with %d from C longs: the low 32 bits.
		L.Errorf("Invalid request to unpack with offset of %d and limit of %d.", int32(offset), int32(len(s)))
	}
	if offset > len(s) {
		L.Errorf("Start offset %d greater than input length %d.", int32(offset), int32(len(s)))
	}
	d := mpDecoder{L: L, s: s, pos: offset}
	if limit == 0 && offset == 0 {
		// lua-cmsgpack decodes everything, as unpack does, and returns
		// no offset.
		var out []Value
		for d.pos < len(s) {
			out = append(out, d.value())
		}
		return out
	}
	out := []Value{Nil}
	for n := 0; d.pos < len(s) && n < limit; n++ {
		out = append(out, d.value())
	}
	next := d.pos
	if d.pos >= len(s) {
		next = -1
	}
	out[0] = Number(float64(next))
	return out
}

func mpEncode(L *State, b []byte, v Value, depth int) []byte {
	L.g.reserve(2*int64(cap(b)) + 9 + int64(v.strLenIfString()))
	switch v.t {
	case TypeNil:
		return append(b, 0xc0)
	case TypeBoolean:
		if v.n != 0 {
			return append(b, 0xc3)
		}
		return append(b, 0xc2)
	case TypeNumber:
		n := v.n
		if n == math.Trunc(n) && n >= -9223372036854775808.0 && n < 9223372036854775808.0 {
			return mpInt(b, int64(n))
		}
		if float64(float32(n)) == n || n != n {
			b = append(b, 0xca)
			return binary.BigEndian.AppendUint32(b, math.Float32bits(float32(n)))
		}
		b = append(b, 0xcb)
		return binary.BigEndian.AppendUint64(b, math.Float64bits(n))
	case TypeString:
		s := v.str()
		switch l := len(s); {
		case l < 32:
			b = append(b, 0xa0|byte(l))
		case l <= 0xff:
			b = append(b, 0xd9, byte(l))
		case l <= 0xffff:
			b = append(b, 0xda)
			b = binary.BigEndian.AppendUint16(b, uint16(l))
		default:
			b = append(b, 0xdb)
			b = binary.BigEndian.AppendUint32(b, uint32(l))
		}
		return append(b, s...)
	case TypeTable:
		if depth >= msgpackMaxNesting {
			return append(b, 0xc0)
		}
		t := v.tab()
		count, max := 0, 0
		isArray := true
		t.ForEach(func(k, _ Value) bool {
			if k.t != TypeNumber || k.n <= 0 || k.n != math.Trunc(k.n) {
				isArray = false
				return false
			}
			if int(k.n) > max {
				max = int(k.n)
			}
			count++
			return true
		})
		if isArray && max == count {
			n := t.Len()
			b = mpHeader(b, n, 0x90, 0xdc, 0xdd)
			for i := 1; i <= n; i++ {
				b = mpEncode(L, b, t.GetInt(i), depth+1)
			}
			return b
		}
		n := 0
		t.ForEach(func(_, _ Value) bool { n++; return true })
		b = mpHeader(b, n, 0x80, 0xde, 0xdf)
		t.ForEach(func(k, val Value) bool {
			b = mpEncode(L, b, k, depth+1)
			b = mpEncode(L, b, val, depth+1)
			return true
		})
		return b
	}
	return append(b, 0xc0)
}

func mpHeader(b []byte, n int, fix, b16, b32 byte) []byte {
	switch {
	case n < 16:
		return append(b, fix|byte(n))
	case n <= 0xffff:
		b = append(b, b16)
		return binary.BigEndian.AppendUint16(b, uint16(n))
	}
	b = append(b, b32)
	return binary.BigEndian.AppendUint32(b, uint32(n))
}

func mpInt(b []byte, n int64) []byte {
	if n >= 0 {
		switch {
		case n <= 127:
			return append(b, byte(n))
		case n <= 0xff:
			return append(b, 0xcc, byte(n))
		case n <= 0xffff:
			return binary.BigEndian.AppendUint16(append(b, 0xcd), uint16(n))
		case n <= 0xffffffff:
			return binary.BigEndian.AppendUint32(append(b, 0xce), uint32(n))
		}
		return binary.BigEndian.AppendUint64(append(b, 0xcf), uint64(n))
	}
	switch {
	case n >= -32:
		return append(b, byte(n))
	case n >= -128:
		return append(b, 0xd0, byte(n))
	case n >= -32768:
		return binary.BigEndian.AppendUint16(append(b, 0xd1), uint16(n))
	case n >= -2147483648:
		return binary.BigEndian.AppendUint32(append(b, 0xd2), uint32(n))
	}
	return binary.BigEndian.AppendUint64(append(b, 0xd3), uint64(n))
}

type mpDecoder struct {
	L     *State
	s     string
	pos   int
	depth int
}

func (d *mpDecoder) need(n int) string {
	if d.pos+n > len(d.s) || n < 0 {
		d.L.Errorf("Missing bytes in input.")
	}
	r := d.s[d.pos : d.pos+n]
	d.pos += n
	return r
}

func (d *mpDecoder) u8() uint64  { return uint64(d.need(1)[0]) }
func (d *mpDecoder) u16() uint64 { return uint64(binary.BigEndian.Uint16([]byte(d.need(2)))) }
func (d *mpDecoder) u32() uint64 { return uint64(binary.BigEndian.Uint32([]byte(d.need(4)))) }
func (d *mpDecoder) u64() uint64 { return binary.BigEndian.Uint64([]byte(d.need(8))) }

func (d *mpDecoder) value() Value {
	c := d.u8()
	switch {
	case c <= 0x7f:
		return Number(float64(c))
	case c >= 0xe0:
		return Number(float64(int8(c)))
	case c&0xe0 == 0xa0:
		return d.str(int(c & 0x1f))
	case c&0xf0 == 0x90:
		return d.array(int(c & 0x0f))
	case c&0xf0 == 0x80:
		return d.mapv(int(c & 0x0f))
	}
	switch c {
	case 0xc0:
		return Nil
	case 0xc2:
		return False
	case 0xc3:
		return True
	case 0xca:
		return Number(float64(math.Float32frombits(uint32(d.u32()))))
	case 0xcb:
		return Number(math.Float64frombits(d.u64()))
	case 0xcc:
		return Number(float64(d.u8()))
	case 0xcd:
		return Number(float64(d.u16()))
	case 0xce:
		return Number(float64(d.u32()))
	case 0xcf:
		// lua-cmsgpack 0.4.0 pushes uint64 through a signed integer.
		return Number(float64(int64(d.u64())))
	case 0xd0:
		return Number(float64(int8(d.u8())))
	case 0xd1:
		return Number(float64(int16(d.u16())))
	case 0xd2:
		return Number(float64(int32(d.u32())))
	case 0xd3:
		return Number(float64(int64(d.u64())))
	case 0xd9:
		return d.str(int(d.u8()))
	case 0xda:
		return d.str(int(d.u16()))
	case 0xdb:
		return d.str(int(d.u32()))
	case 0xdc:
		return d.array(int(d.u16()))
	case 0xdd:
		return d.array(int(d.u32()))
	case 0xde:
		return d.mapv(int(d.u16()))
	case 0xdf:
		return d.mapv(int(d.u32()))
	}
	d.L.Errorf("Bad data format in input.")
	return Nil
}

func (d *mpDecoder) str(n int) Value { return d.L.newString(d.need(n)) }

func (d *mpDecoder) array(n int) Value {
	if n > len(d.s)-d.pos {
		d.L.Errorf("Missing bytes in input.")
	}
	t := d.L.NewTable(0, 0)
	for i := 1; i <= n; i++ {
		t.SetInt(i, d.value())
	}
	return TableValue(t)
}

func (d *mpDecoder) mapv(n int) Value {
	if n > len(d.s)-d.pos {
		d.L.Errorf("Missing bytes in input.")
	}
	t := d.L.NewTable(0, 0)
	for i := 0; i < n; i++ {
		k := d.value()
		v := d.value()
		// lua_settable inside C: the error has no position.
		if k.t == TypeNil {
			panic(rtError("table index is nil"))
		}
		if k.t == TypeNumber && k.n != k.n {
			panic(rtError("table index is NaN"))
		}
		t.Set(k, v)
	}
	return TableValue(t)
}
