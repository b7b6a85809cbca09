package moonvm

import (
	"github.com/moonkv/moonkv/internal/lua"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/resp"
)

// builder is the resp.Replier redis.call hands to commands: it builds the
// Lua value of the reply directly, as Redis's RESP-to-Lua conversion
// (script_lua.c's redisProtocolToLuaType) would from the protocol, in the
// protocol the script chose with redis.setresp.
type builder struct {
	L     *lua.State
	proto int
	stack []frame
	val   lua.Value
	isErr bool
	// pending is the memory of the tables built, charged after the
	// command (see table).
	pending int64
}

type frame struct {
	t      *lua.Table
	wrap   string // "" for an array, "map" or "set"
	left   int    // elements still expected (keys and values count apart)
	i      int
	key    lua.Value
	hasKey bool
}

var _ resp.Replier = (*builder)(nil)

func (b *builder) reset(L *lua.State, proto int) {
	b.L, b.proto, b.stack, b.val, b.isErr, b.pending = L, proto, b.stack[:0], lua.Nil, false, 0
}

// table makes a table for the reply being built. Its cost is counted in
// pending and charged to the script's memory budget once the command has
// finished (redis.call): a budget error must not unwind through a
// command halfway through its reply.
func (b *builder) table(narray, nhash int) *lua.Table {
	b.pending += lua.TableCost(narray, nhash)
	return b.L.NewTableUncharged(narray, nhash)
}

func (b *builder) Proto() int { return b.proto }

// push adds a finished value to the innermost open aggregate, closing
// every aggregate it completes.
func (b *builder) push(v lua.Value) {
	for {
		if len(b.stack) == 0 {
			b.val = v
			return
		}
		f := &b.stack[len(b.stack)-1]
		switch f.wrap {
		case "":
			f.i++
			f.t.SetInt(f.i, v)
		case "map":
			if !f.hasKey {
				f.key, f.hasKey = v, true
			} else {
				if !f.key.IsNil() {
					f.t.Set(f.key, v)
				}
				f.hasKey = false
			}
		case "set":
			if !v.IsNil() {
				f.t.Set(v, lua.True)
			}
		}
		f.left--
		if f.left > 0 {
			return
		}
		v = f.close(b)
		b.stack = b.stack[:len(b.stack)-1]
	}
}

func (f *frame) close(b *builder) lua.Value {
	if f.wrap == "" {
		return lua.TableValue(f.t)
	}
	w := b.table(0, 1)
	w.SetStr(f.wrap, lua.TableValue(f.t))
	return lua.TableValue(w)
}

func (b *builder) open(n int, wrap string, count int) {
	var t *lua.Table
	if wrap == "" {
		t = b.table(n, 0)
	} else {
		t = b.table(0, n)
	}
	f := frame{t: t, wrap: wrap, left: count}
	if count <= 0 {
		b.push(f.close(b))
		return
	}
	b.stack = append(b.stack, f)
}

func (b *builder) Simple(s string) {
	t := b.table(0, 1)
	if s == "OK" {
		t.SetStr("ok", lua.String("OK"))
	} else {
		t.SetStr("ok", lua.String(s))
	}
	b.push(lua.TableValue(t))
}

func (b *builder) Error(s string) {
	t := b.table(0, 2)
	t.SetStr("err", lua.String(errText("-"+s)))
	t.SetStr("ignore_error_stats_update", lua.True)
	if len(b.stack) == 0 {
		b.isErr = true
	}
	b.push(lua.TableValue(t))
}

func (b *builder) Int(n int64)          { b.push(lua.Number(float64(n))) }
func (b *builder) Bulk(p []byte)        { b.push(lua.String(string(p))) }
func (b *builder) BulkString(s string)  { b.push(lua.String(s)) }
func (b *builder) ArrayLen(n int)       { b.open(n, "", n) }
func (b *builder) BigNumber(d string)   { b.wrapped("big_number", lua.String(d)) }
func (b *builder) Verbatim(f, s string) { b.verbatim(f, s) }

func (b *builder) Null() {
	if b.proto == 3 {
		b.push(lua.Nil)
		return
	}
	b.push(lua.False)
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
		b.push(lua.String(string(resp.AppendDouble(nil, f))))
		return
	}
	b.wrapped("double", lua.Number(f))
}

func (b *builder) Bool(v bool) {
	if b.proto == 2 {
		if v {
			b.push(lua.Number(1))
		} else {
			b.push(lua.Number(0))
		}
		return
	}
	b.push(lua.Bool(v))
}

func (b *builder) wrapped(field string, v lua.Value) {
	if b.proto == 2 {
		b.push(lua.String(v.String()))
		return
	}
	t := b.table(0, 1)
	t.SetStr(field, v)
	b.push(lua.TableValue(t))
}

func (b *builder) verbatim(format, s string) {
	if b.proto == 2 {
		b.push(lua.String(s))
		return
	}
	in := b.table(0, 2)
	in.SetStr("string", lua.String(s))
	in.SetStr("format", lua.String(format))
	t := b.table(0, 1)
	t.SetStr("verbatim_string", lua.TableValue(in))
	b.push(lua.TableValue(t))
}

// Redis converts a reply on the Lua stack and checks at each value that
// four more slots fit under LUAI_MAXCSTACK (lua_checkstack), replying
// "reached lua stack limit" where they do not. A nested table costs one
// slot per array level, three per map value or set member and four per
// map key, and the conversion starts with two slots in use, so a plain
// nesting stops after 7995 arrays, as in Redis 7.0.15. This also bounds
// a table that contains itself.
const (
	maxLuaCStack   = 8000
	replyBaseSlots = 2
)

// reply writes a Lua value as the script's reply (script_lua.c's
// luaReplyToRedisReply). proto is the script's redis.setresp choice; w
// renders in the caller's protocol. depth is the Lua stack slots the
// enclosing tables use (0 for the script's return value).
func (v *VM) reply(w resp.Replier, val lua.Value, proto int, depth int) {
	budget := int64(maxReplyBytes)
	v.replyTo(w, val, proto, depth, &budget)
}

// maxReplyBytes bounds the reply a script's return value can describe.
// Tables can be shared and can contain themselves, so a few of them can
// describe a reply of astronomical size ({t, t} nested a thousand times):
// Redis would write it until the server ran out of memory. Once about
// this many bytes have been written, every value still to come is the
// error ScriptReplyTooLarge, so the reply stays well-formed and ends
// after at most one element per open aggregate. A reply built from
// distinct tables that fit in the script's memory budget stays far below.
const maxReplyBytes = 1 << 30

func (v *VM) replyTo(w resp.Replier, val lua.Value, proto int, depth int, budget *int64) {
	if replyBaseSlots+depth+4 > maxLuaCStack {
		w.Error("ERR reached lua stack limit")
		return
	}
	if *budget <= 0 {
		w.Error(rerr.ScriptReplyTooLarge)
		return
	}
	*budget -= 16
	if s, ok := val.AsString(); ok {
		*budget -= int64(len(s))
	}
	switch val.Type() {
	case lua.TypeString:
		s, _ := val.AsString()
		w.BulkString(s)
	case lua.TypeBoolean:
		x, _ := val.AsBool()
		if proto == 2 {
			if x {
				w.Int(1)
			} else {
				w.Null()
			}
			return
		}
		w.Bool(x)
	case lua.TypeNumber:
		n, _ := val.AsNumber()
		w.Int(toInteger(n))
	case lua.TypeTable:
		x := val.AsTable()
		if s, ok := x.GetStr("err").AsString(); ok {
			w.Error(oneLine(s))
			return
		}
		if s, ok := x.GetStr("ok").AsString(); ok {
			w.Simple(oneLine(s))
			return
		}
		if n, ok := x.GetStr("double").AsNumber(); ok {
			w.Double(n)
			return
		}
		if s, ok := x.GetStr("big_number").AsString(); ok {
			w.BigNumber(oneLine(s))
			return
		}
		if vt := x.GetStr("verbatim_string").AsTable(); vt != nil {
			f, ok1 := vt.GetStr("format").AsString()
			s, ok2 := vt.GetStr("string").AsString()
			if ok1 && ok2 {
				// The format is exactly three bytes on the wire (the
				// length counts three): Redis copies the first three,
				// spaces standing in for missing ones; any other length
				// would desynchronise the protocol.
				w.Verbatim((f + "   ")[:3], s)
				return
			}
		}
		if m := x.GetStr("map").AsTable(); m != nil {
			n := 0
			m.ForEach(func(_, _ lua.Value) bool { n++; return true })
			w.MapLen(n)
			m.ForEach(func(k, val lua.Value) bool {
				v.replyTo(w, k, proto, depth+4, budget)
				v.replyTo(w, val, proto, depth+3, budget)
				return true
			})
			return
		}
		if s := x.GetStr("set").AsTable(); s != nil {
			n := 0
			s.ForEach(func(_, _ lua.Value) bool { n++; return true })
			w.SetLen(n)
			s.ForEach(func(k, _ lua.Value) bool { v.replyTo(w, k, proto, depth+3, budget); return true })
			return
		}
		n := 0
		for !x.GetInt(n + 1).IsNil() {
			n++
		}
		w.ArrayLen(n)
		for i := 1; i <= n; i++ {
			v.replyTo(w, x.GetInt(i), proto, depth+1, budget)
		}
	default:
		w.Null()
	}
}
