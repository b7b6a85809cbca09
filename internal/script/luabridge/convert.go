package luabridge

import (
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/moonkv/moonkv/internal/resp"
)

// builder is the resp.Replier redis.call hands to commands: it builds the
// Lua value of the reply directly, as Redis's RESP-to-Lua conversion
// would from the protocol (script_lua.c's redisProtocolToLuaType), in the
// protocol the script chose with redis.setresp.
type builder struct {
	L     *lua.LState
	proto int
	stack []frame
	val   lua.LValue
	isErr bool
}

type frame struct {
	t      *lua.LTable
	wrap   string // "" for an array, "map" or "set"
	left   int    // elements still expected (keys and values count apart)
	i      int
	key    lua.LValue
	hasKey bool
}

var _ resp.Replier = (*builder)(nil)

func (b *builder) reset(L *lua.LState, proto int) {
	b.L, b.proto, b.stack, b.val, b.isErr = L, proto, b.stack[:0], lua.LNil, false
}

func (b *builder) result() lua.LValue { return b.val }

func (b *builder) Proto() int { return b.proto }

// push adds a finished value to the innermost open aggregate, closing
// every aggregate it completes.
func (b *builder) push(v lua.LValue) {
	for {
		if len(b.stack) == 0 {
			b.val = v
			return
		}
		f := &b.stack[len(b.stack)-1]
		switch f.wrap {
		case "":
			f.i++
			f.t.RawSetInt(f.i, v)
		case "map":
			if !f.hasKey {
				f.key, f.hasKey = v, true
			} else {
				if f.key != lua.LNil {
					f.t.RawSet(f.key, v)
				}
				f.hasKey = false
			}
		case "set":
			if v != lua.LNil {
				f.t.RawSet(v, lua.LTrue)
			}
		}
		f.left--
		if f.left > 0 {
			return
		}
		v = f.close(b.L)
		b.stack = b.stack[:len(b.stack)-1]
	}
}

func (f *frame) close(L *lua.LState) lua.LValue {
	if f.wrap == "" {
		return f.t
	}
	w := L.CreateTable(0, 1)
	w.RawSetString(f.wrap, f.t)
	return w
}

func (b *builder) open(n int, wrap string, count int) {
	var t *lua.LTable
	if wrap == "" {
		t = b.L.CreateTable(n, 0)
	} else {
		t = b.L.CreateTable(0, n)
	}
	f := frame{t: t, wrap: wrap, left: count}
	if count <= 0 {
		b.push(f.close(b.L))
		return
	}
	b.stack = append(b.stack, f)
}

// lvOK is "OK" already boxed as a Lua value: the most common status
// reply costs no allocation for its text.
var lvOK lua.LValue = lua.LString("OK")

func (b *builder) Simple(s string) {
	t := b.L.CreateTable(0, 1)
	if s == "OK" {
		t.RawSetString("ok", lvOK)
	} else {
		t.RawSetString("ok", lua.LString(s))
	}
	b.push(t)
}

func (b *builder) Error(s string) {
	t := errTable(b.L, "-"+s)
	t.RawSetString("ignore_error_stats_update", lua.LTrue)
	if len(b.stack) == 0 {
		b.isErr = true
	}
	b.push(t)
}

func (b *builder) Int(n int64)          { b.push(lua.LNumber(n)) }
func (b *builder) Bulk(p []byte)        { b.push(lua.LString(p)) }
func (b *builder) BulkString(s string)  { b.push(lua.LString(s)) }
func (b *builder) ArrayLen(n int)       { b.open(n, "", n) }
func (b *builder) BigNumber(d string)   { b.wrapped("big_number", lua.LString(d)) }
func (b *builder) Verbatim(f, s string) { b.verbatim(f, s) }

func (b *builder) Null() {
	if b.proto == 3 {
		b.push(lua.LNil)
		return
	}
	b.push(lua.LFalse)
}

func (b *builder) NullArray() { b.Null() }

func (b *builder) MapLen(n int) {
	if b.proto == 2 {
		b.open(2*n, "", 2*n)
		return
	}
	b.open(n, "map", 2*n)
}

func (b *builder) SetLen(n int) {
	if b.proto == 2 {
		b.open(n, "", n)
		return
	}
	b.open(n, "set", n)
}

func (b *builder) Double(f float64) {
	if b.proto == 2 {
		b.push(lua.LString(resp.AppendDouble(nil, f)))
		return
	}
	b.wrapped("double", lua.LNumber(f))
}

func (b *builder) Bool(v bool) {
	if b.proto == 2 {
		if v {
			b.push(lua.LNumber(1))
		} else {
			b.push(lua.LNumber(0))
		}
		return
	}
	b.push(lua.LBool(v))
}

func (b *builder) wrapped(field string, v lua.LValue) {
	if b.proto == 2 {
		b.push(lua.LString(lua.LVAsString(v)))
		return
	}
	t := b.L.CreateTable(0, 1)
	t.RawSetString(field, v)
	b.push(t)
}

func (b *builder) verbatim(format, s string) {
	if b.proto == 2 {
		b.push(lua.LString(s))
		return
	}
	in := b.L.CreateTable(0, 2)
	in.RawSetString("string", lua.LString(s))
	in.RawSetString("format", lua.LString(format))
	t := b.L.CreateTable(0, 1)
	t.RawSetString("verbatim_string", in)
	b.push(t)
}

// maxReplyDepth bounds the nesting of a reply built from Lua tables (a
// table can contain itself).
const maxReplyDepth = 1000

// reply writes a Lua value as the script's reply (script_lua.c's
// luaReplyToRedisReply). proto is the script's redis.setresp choice; w
// renders in the caller's protocol.
func (v *VM) reply(w resp.Replier, val lua.LValue, proto int, depth int) {
	switch x := val.(type) {
	case lua.LString:
		w.BulkString(string(x))
	case lua.LBool:
		if proto == 2 {
			if x {
				w.Int(1)
			} else {
				w.Null()
			}
			return
		}
		w.Bool(bool(x))
	case lua.LNumber:
		w.Int(toInteger(float64(x)))
	case *lua.LTable:
		if depth >= maxReplyDepth {
			w.Error("ERR reached lua stack limit")
			return
		}
		x = v.real(x)
		if s, ok := x.RawGetString("err").(lua.LString); ok {
			w.Error(oneLine(string(s)))
			return
		}
		if s, ok := x.RawGetString("ok").(lua.LString); ok {
			w.Simple(oneLine(string(s)))
			return
		}
		if n, ok := x.RawGetString("double").(lua.LNumber); ok {
			w.Double(float64(n))
			return
		}
		if s, ok := x.RawGetString("big_number").(lua.LString); ok {
			w.BigNumber(oneLine(string(s)))
			return
		}
		if vt, ok := x.RawGetString("verbatim_string").(*lua.LTable); ok {
			f, ok1 := vt.RawGetString("format").(lua.LString)
			s, ok2 := vt.RawGetString("string").(lua.LString)
			if ok1 && ok2 {
				w.Verbatim(string(f), string(s))
				return
			}
		}
		if m, ok := x.RawGetString("map").(*lua.LTable); ok {
			n := 0
			m.ForEach(func(_, _ lua.LValue) { n++ })
			w.MapLen(n)
			m.ForEach(func(k, val lua.LValue) {
				v.reply(w, k, proto, depth+1)
				v.reply(w, val, proto, depth+1)
			})
			return
		}
		if s, ok := x.RawGetString("set").(*lua.LTable); ok {
			n := 0
			s.ForEach(func(_, _ lua.LValue) { n++ })
			w.SetLen(n)
			s.ForEach(func(k, _ lua.LValue) { v.reply(w, k, proto, depth+1) })
			return
		}
		n := 0
		for x.RawGetInt(n+1) != lua.LNil {
			n++
		}
		w.ArrayLen(n)
		for i := 1; i <= n; i++ {
			v.reply(w, x.RawGetInt(i), proto, depth+1)
		}
	default:
		w.Null()
	}
}

func oneLine(s string) string {
	if strings.IndexAny(s, "\r\n") < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}
