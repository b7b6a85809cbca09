package luabridge

import (
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"

	"github.com/moonkv/moonkv/internal/resp"
)

const loop = "local s=0 for i=1,100000 do s=s+i end return s"

// BenchmarkLoopContext measures what the kill check costs: gopher-lua
// polls the context at every instruction once one is set.
func BenchmarkLoopContext(b *testing.B) {
	for _, withCtx := range []bool{false, true} {
		name := "none"
		if withCtx {
			name = "killCtx"
		}
		b.Run(name, func(b *testing.B) {
			L := lua.NewState()
			defer L.Close()
			fn, err := L.LoadString(loop)
			if err != nil {
				b.Fatal(err)
			}
			k := &killCtx{done: make(chan struct{})}
			for i := 0; i < b.N; i++ {
				if withCtx {
					L.SetContext(k)
				}
				L.Push(fn)
				L.Call(0, 1)
				L.Pop(1)
				if withCtx {
					L.RemoveContext()
				}
			}
		})
	}
}

// genValue builds a Lua value from fuzz bytes: nested tables with
// array and hash parts, err/ok/double/map/set fields, all scalar types.
func genValue(L *lua.LState, data []byte, pos *int, depth int) lua.LValue {
	next := func() byte {
		if *pos >= len(data) {
			return 0
		}
		c := data[*pos]
		*pos++
		return c
	}
	switch k := next() % 12; {
	case k == 0:
		return lua.LNil
	case k == 1:
		return lua.LBool(next()%2 == 0)
	case k == 2:
		return lua.LNumber(float64(int8(next())) / 3)
	case k == 3:
		return lua.LNumber(float64(int64(next())<<56) * 1e10)
	case k == 4:
		n := int(next() % 8)
		b := make([]byte, 0, n)
		for i := 0; i < n; i++ {
			b = append(b, next())
		}
		return lua.LString(b)
	case k == 5:
		return L.NewFunction(func(*lua.LState) int { return 0 })
	case depth > 6:
		return lua.LString("deep")
	default:
		t := L.NewTable()
		n := int(next() % 6)
		for i := 1; i <= n; i++ {
			t.RawSetInt(i, genValue(L, data, pos, depth+1))
		}
		switch next() % 9 {
		case 0:
			t.RawSetString("err", genValue(L, data, pos, depth+1))
		case 1:
			t.RawSetString("ok", genValue(L, data, pos, depth+1))
		case 2:
			t.RawSetString("double", genValue(L, data, pos, depth+1))
		case 3:
			t.RawSetString("map", genValue(L, data, pos, depth+1))
		case 4:
			t.RawSetString("set", genValue(L, data, pos, depth+1))
		case 5:
			t.RawSetString("big_number", genValue(L, data, pos, depth+1))
		case 6:
			t.RawSetString("verbatim_string", genValue(L, data, pos, depth+1))
		case 7:
			t.RawSet(genValue(L, data, pos, depth+1), genValue(L, data, pos, depth+1))
		case 8:
			t.RawSetInt(n+1, t) // a table that contains itself
		}
		return t
	}
}

// FuzzLuaToReply: any Lua value converts to a well-formed reply in both
// protocols, without panicking.
func FuzzLuaToReply(f *testing.F) {
	for i := 0; i < 20; i++ {
		b := make([]byte, 64)
		rand.New(rand.NewSource(int64(i))).Read(b)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v := &VM{}
		v.open()
		defer v.L.Close()
		pos := 0
		val := genValue(v.L, data, &pos, 0)
		for _, proto := range []int{2, 3} {
			for _, p3 := range []bool{false, true} {
				w := resp.Writer{Proto3: p3}
				v.reply(&w, val, proto, 0)
				if len(w.Buf) == 0 {
					t.Fatalf("empty reply for %q", data)
				}
			}
		}
	})
}

func TestBuilderRESP3(t *testing.T) {
	v := &VM{}
	v.open()
	defer v.L.Close()
	b := &v.b
	b.reset(v.L, 3)
	b.MapLen(2)
	b.BulkString("a")
	b.Double(1.5)
	b.BulkString("b")
	b.SetLen(2)
	b.BulkString("x")
	b.Null()
	m, ok := b.result().(*lua.LTable).RawGetString("map").(*lua.LTable)
	if !ok {
		t.Fatalf("map reply is %v", b.result())
	}
	if d := m.RawGetString("a").(*lua.LTable).RawGetString("double"); d != lua.LNumber(1.5) {
		t.Fatalf("double: %v", d)
	}
	if s := m.RawGetString("b").(*lua.LTable).RawGetString("set").(*lua.LTable); s.RawGetString("x") != lua.LTrue {
		t.Fatalf("set: %v", s)
	}
	var w resp.Writer
	w.Proto3 = true
	v.reply(&w, b.result(), 3, 0)
	if len(w.Buf) == 0 || w.Buf[0] != '%' {
		t.Fatalf("RESP3 map reply %q", w.Buf)
	}
	b.reset(v.L, 2)
	b.MapLen(1)
	b.BulkString("k")
	b.Bool(true)
	arr := b.result().(*lua.LTable)
	if arr.RawGetInt(1) != lua.LString("k") || arr.RawGetInt(2) != lua.LNumber(1) {
		t.Fatalf("RESP2 map as array: %v %v", arr.RawGetInt(1), arr.RawGetInt(2))
	}
}

// FuzzDecoders: cjson.decode, cmsgpack.unpack and struct.unpack on
// arbitrary bytes may fail with a Lua error, never with a Go panic.
func FuzzDecoders(f *testing.F) {
	f.Add([]byte(`[1,2,{"a":"b"},null,true,1.5e3]`), "bhi")
	f.Add([]byte("\x93\x01\xc0\x03\xde\x00\x01\xa1A\x02"), ">i2s")
	f.Add([]byte("\"\\ud83d\\ude00\""), "c0")
	f.Fuzz(func(t *testing.T, data []byte, format string) {
		v := &VM{rnd: newRand48()}
		v.open()
		defer v.L.Close()
		for _, call := range []struct {
			fn   string
			args []lua.LValue
		}{
			{"cjson.decode", []lua.LValue{lua.LString(data)}},
			{"cmsgpack.unpack", []lua.LValue{lua.LString(data)}},
			{"struct.unpack", []lua.LValue{lua.LString(format), lua.LString(data)}},
			{"struct.pack", []lua.LValue{lua.LString(format), lua.LNumber(1), lua.LString(data)}},
			{"string.format", []lua.LValue{lua.LString(format), lua.LNumber(-1.5), lua.LString(data), lua.LNumber(math.Inf(1))}},
		} {
			lib, name, _ := strings.Cut(call.fn, ".")
			fn := v.real(v.globals.RawGetString(lib).(*lua.LTable)).RawGetString(name)
			err := v.L.CallByParam(lua.P{Fn: fn, NRet: lua.MultRet, Protect: true}, call.args...)
			if ae, ok := err.(*lua.ApiError); ok && ae.Type == lua.ApiErrorPanic {
				t.Fatalf("%s(%q, %q) panicked: %v", call.fn, data, format, ae)
			}
			v.L.SetTop(0)
		}
	})
}

// FuzzEOFHint: the compile-error hint never panics on any source.
func FuzzEOFHint(f *testing.F) {
	for _, s := range []string{"local goto = 1 t.goto = {goto = 2}", "if x then", "local t = {\n1", "--[[ x", "[==[ a ]==] while", "x = 'a\\'", "1e+5 .. ..."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		_ = eofHint(src)
		_ = renameGoto(src)
		_ = translateCompileError("user_script at EOF:   syntax error", src)
		for line := 1; line <= 3; line++ {
			for col := 0; col <= len(src)+1; col += 1 + len(src)/7 {
				_ = midHint(src, line, col, "x")
				_ = translateCompileError(fmt.Sprintf("user_script line:%d(column:%d) near 'x':   syntax error", line, col), src)
			}
		}
	})
}
