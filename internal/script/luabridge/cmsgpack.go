package luabridge

import (
	"encoding/binary"
	"math"

	lua "github.com/yuin/gopher-lua"
)

// The cmsgpack library Redis bundles (lua-cmsgpack 0.4.0). Maps are
// encoded in gopher-lua's table order, which differs from C Lua's.

const msgpackMaxNesting = 16

func (v *VM) installCmsgpack() {
	L := v.L
	t := L.NewTable()
	set := func(name string, fn lua.LGFunction) { t.RawSetString(name, L.NewFunction(fn)) }
	set("pack", func(L *lua.LState) int {
		n := L.GetTop()
		if n == 0 {
			L.ArgError(0, "MessagePack pack needs input.")
		}
		var b []byte
		for i := 1; i <= n; i++ {
			b = v.mpEncode(b, L.Get(i), 0)
		}
		L.Push(lua.LString(b))
		return 1
	})
	set("unpack", func(L *lua.LState) int { return v.mpUnpack(L, 0, 0) })
	set("unpack_one", func(L *lua.LState) int {
		return v.mpUnpack(L, 1, optInt(L, 2, 0))
	})
	set("unpack_limit", func(L *lua.LState) int {
		limit := int(checkNumber(L, 2))
		return v.mpUnpack(L, limit, optInt(L, 3, 0))
	})
	t.RawSetString("_NAME", lua.LString("cmsgpack"))
	t.RawSetString("_VERSION", lua.LString("lua-cmsgpack 0.4.0"))
	t.RawSetString("_COPYRIGHT", lua.LString("Copyright (C) 2012, Salvatore Sanfilippo"))
	t.RawSetString("_DESCRIPTION", lua.LString("MessagePack C implementation for Lua"))
	v.globals.RawSetString("cmsgpack", t)
}

func optInt(L *lua.LState, i, def int) int {
	if L.Get(i) == lua.LNil {
		return def
	}
	return int(checkNumber(L, i))
}

// checkString is luaL_checklstring: strings and numbers.
func checkString(L *lua.LState, i int) string {
	switch a := L.Get(i).(type) {
	case lua.LString:
		return string(a)
	case lua.LNumber:
		return fmtNumber(float64(a))
	}
	got := "no value"
	if i <= L.GetTop() {
		got = L.Get(i).Type().String()
	}
	L.ArgError(i, "string expected, got "+got)
	return ""
}

func (v *VM) mpEncode(b []byte, val lua.LValue, level int) []byte {
	switch x := val.(type) {
	case lua.LBool:
		if x {
			return append(b, 0xc3)
		}
		return append(b, 0xc2)
	case lua.LString:
		n := len(x)
		switch {
		case n < 32:
			b = append(b, 0xa0|byte(n))
		case n <= 0xff:
			b = append(b, 0xd9, byte(n))
		case n <= 0xffff:
			b = binary.BigEndian.AppendUint16(append(b, 0xda), uint16(n))
		default:
			b = binary.BigEndian.AppendUint32(append(b, 0xdb), uint32(n))
		}
		return append(b, x...)
	case lua.LNumber:
		f := float64(x)
		if !math.IsInf(f, 0) && !math.IsNaN(f) && f >= -9223372036854775808.0 && f < 9223372036854775808.0 && float64(int64(f)) == f {
			return mpInt(b, int64(f))
		}
		if f32 := float32(f); float64(f32) == f {
			return binary.BigEndian.AppendUint32(append(b, 0xca), math.Float32bits(f32))
		}
		return binary.BigEndian.AppendUint64(append(b, 0xcb), math.Float64bits(f))
	case *lua.LTable:
		if level == msgpackMaxNesting {
			return append(b, 0xc0)
		}
		x = v.real(x)
		if n, ok := mpArray(x); ok {
			b = mpHeader(b, n, 0x90, 0xdc, 0xdd)
			for i := 1; i <= n; i++ {
				b = v.mpEncode(b, x.RawGetInt(i), level+1)
			}
			return b
		}
		n := 0
		x.ForEach(func(_, _ lua.LValue) { n++ })
		b = mpHeader(b, n, 0x80, 0xde, 0xdf)
		k, e := x.Next(lua.LNil)
		for k != lua.LNil {
			b = v.mpEncode(b, k, level+1)
			b = v.mpEncode(b, e, level+1)
			k, e = x.Next(k)
		}
		return b
	}
	return append(b, 0xc0)
}

// mpArray is lua-cmsgpack's table_is_an_array: every key a positive
// integer and no holes.
func mpArray(t *lua.LTable) (int, bool) {
	count, max := 0, 0
	k, _ := t.Next(lua.LNil)
	for k != lua.LNil {
		n, ok := k.(lua.LNumber)
		if !ok || float64(n) != math.Trunc(float64(n)) || n < 1 {
			return 0, false
		}
		count++
		if int(n) > max {
			max = int(n)
		}
		k, _ = t.Next(k)
	}
	return count, max == count
}

func mpHeader(b []byte, n int, fix, b16, b32 byte) []byte {
	switch {
	case n <= 15:
		return append(b, fix|byte(n))
	case n <= 0xffff:
		return binary.BigEndian.AppendUint16(append(b, b16), uint16(n))
	}
	return binary.BigEndian.AppendUint32(append(b, b32), uint32(n))
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
		return append(b, byte(int8(n)))
	case n >= -128:
		return append(b, 0xd0, byte(int8(n)))
	case n >= -32768:
		return binary.BigEndian.AppendUint16(append(b, 0xd1), uint16(int16(n)))
	case n >= -2147483648:
		return binary.BigEndian.AppendUint32(append(b, 0xd2), uint32(int32(n)))
	}
	return binary.BigEndian.AppendUint64(append(b, 0xd3), uint64(n))
}

type mpErr string

const (
	mpEOF    mpErr = "Missing bytes in input."
	mpBadFmt mpErr = "Bad data format in input."
)

type mpCursor struct {
	L   *lua.LState
	s   string
	pos int
	err mpErr
}

func (c *mpCursor) need(n int) bool {
	if len(c.s)-c.pos < n {
		c.err = mpEOF
		return false
	}
	return true
}

func (c *mpCursor) decode() lua.LValue {
	if !c.need(1) {
		return lua.LNil
	}
	t := c.s[c.pos]
	u := func(n int) (uint64, bool) {
		if !c.need(1 + n) {
			return 0, false
		}
		var x uint64
		for i := 1; i <= n; i++ {
			x = x<<8 | uint64(c.s[c.pos+i])
		}
		c.pos += 1 + n
		return x, true
	}
	str := func(hdr, n int) lua.LValue {
		c.pos += hdr
		if len(c.s)-c.pos < n {
			c.err = mpEOF
			return lua.LNil
		}
		s := c.s[c.pos : c.pos+n]
		c.pos += n
		return lua.LString(s)
	}
	switch {
	case t <= 0x7f:
		c.pos++
		return lua.LNumber(t)
	case t >= 0xe0:
		c.pos++
		return lua.LNumber(int8(t))
	case t >= 0xa0 && t <= 0xbf:
		return str(1, int(t&0x1f))
	case t >= 0x90 && t <= 0x9f:
		c.pos++
		return c.array(int(t & 0x0f))
	case t >= 0x80 && t <= 0x8f:
		c.pos++
		return c.mapOf(int(t & 0x0f))
	}
	switch t {
	case 0xc0:
		c.pos++
		return lua.LNil
	case 0xc2, 0xc3:
		c.pos++
		return lua.LBool(t == 0xc3)
	case 0xcc, 0xcd, 0xce:
		x, _ := u(1 << (t - 0xcc))
		return lua.LNumber(x)
	case 0xcf:
		x, _ := u(8)
		return lua.LNumber(int64(x))
	case 0xd0:
		x, _ := u(1)
		return lua.LNumber(int8(x))
	case 0xd1:
		x, _ := u(2)
		return lua.LNumber(int16(x))
	case 0xd2:
		x, _ := u(4)
		return lua.LNumber(int32(x))
	case 0xd3:
		x, _ := u(8)
		return lua.LNumber(int64(x))
	case 0xca:
		x, _ := u(4)
		return lua.LNumber(math.Float32frombits(uint32(x)))
	case 0xcb:
		x, _ := u(8)
		return lua.LNumber(math.Float64frombits(x))
	case 0xd9, 0xda, 0xdb:
		hdr := 1 << (t - 0xd9)
		if !c.need(1 + hdr) {
			return lua.LNil
		}
		n := 0
		for i := 1; i <= hdr; i++ {
			n = n<<8 | int(c.s[c.pos+i])
		}
		return str(1+hdr, n)
	case 0xdc, 0xdd, 0xde, 0xdf:
		hdr := 2
		if t == 0xdd || t == 0xdf {
			hdr = 4
		}
		x, ok := u(hdr)
		if !ok {
			return lua.LNil
		}
		if t <= 0xdd {
			return c.array(int(x))
		}
		return c.mapOf(int(x))
	}
	c.err = mpBadFmt
	return lua.LNil
}

func (c *mpCursor) array(n int) lua.LValue {
	t := c.L.CreateTable(min(n, 1024), 0)
	for i := 1; i <= n; i++ {
		v := c.decode()
		if c.err != "" {
			return lua.LNil
		}
		t.RawSetInt(i, v)
	}
	return t
}

func (c *mpCursor) mapOf(n int) lua.LValue {
	t := c.L.CreateTable(0, min(n, 1024))
	for i := 0; i < n; i++ {
		k := c.decode()
		if c.err != "" {
			return lua.LNil
		}
		v := c.decode()
		if c.err != "" {
			return lua.LNil
		}
		if k == lua.LNil {
			c.L.Error(lua.LString("table index is nil"), 0)
		}
		if f, ok := k.(lua.LNumber); ok && math.IsNaN(float64(f)) {
			c.L.Error(lua.LString("table index is NaN"), 0)
		}
		t.RawSet(k, v)
	}
	return t
}

// mpUnpack is lua-cmsgpack's mp_unpack_full.
func (v *VM) mpUnpack(L *lua.LState, limit, offset int) int {
	s := checkString(L, 1)
	decodeAll := limit == 0 && offset == 0
	if offset < 0 || limit < 0 {
		L.RaiseError("Invalid request to unpack with offset of %d and limit of %d.", offset, len(s))
	} else if offset > len(s) {
		L.RaiseError("Start offset %d greater than input length %d.", offset, len(s))
	}
	if decodeAll {
		limit = math.MaxInt
	}
	c := mpCursor{L: L, s: s, pos: offset}
	var out []lua.LValue
	for cnt := 0; c.pos < len(s) && cnt < limit; cnt++ {
		val := c.decode()
		if c.err != "" {
			L.RaiseError("%s", string(c.err))
		}
		out = append(out, val)
	}
	if !decodeAll {
		next := c.pos
		if c.pos >= len(s) {
			next = -1
		}
		L.Push(lua.LNumber(next))
	}
	for _, val := range out {
		L.Push(val)
	}
	if decodeAll {
		return len(out)
	}
	return len(out) + 1
}
