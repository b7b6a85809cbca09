package moonvm

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"log/slog"
	"math"
	"strconv"
	"strings"

	"github.com/moonkv/moonkv/internal/lua"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/script"
)

const (
	redisVersion    = "7.0.15"
	redisVersionNum = 0x0007000f
)

func (v *VM) installRedis() {
	L := v.L
	r := L.RegisterLib("redis", map[string]lua.GoFunction{
		"call":  func(L *lua.State, args []lua.Value) []lua.Value { return v.call(L, args, true) },
		"pcall": func(L *lua.State, args []lua.Value) []lua.Value { return v.call(L, args, false) },
		"error_reply": func(L *lua.State, args []lua.Value) []lua.Value {
			s, ok := stringArg(args)
			if len(args) != 1 || !ok {
				return L.Ret1(errTable(L, rerr.ScriptWrongArgs))
			}
			if !strings.HasPrefix(s, "-") {
				s = "-" + s
			}
			return L.Ret1(errTable(L, s))
		},
		"status_reply": func(L *lua.State, args []lua.Value) []lua.Value {
			s, ok := stringArg(args)
			if len(args) != 1 || !ok {
				return L.Ret1(errTable(L, rerr.ScriptWrongArgs))
			}
			t := L.NewTable(0, 1)
			t.SetStr("ok", lua.String(s))
			return L.Ret1(lua.TableValue(t))
		},
		"sha1hex": func(L *lua.State, args []lua.Value) []lua.Value {
			if len(args) != 1 {
				raise(L, rerr.ScriptWrongNArgs)
			}
			s := ""
			if t := args[0].Type(); t == lua.TypeString || t == lua.TypeNumber {
				s = args[0].String()
			}
			sum := sha1.Sum([]byte(s))
			return L.Ret1(lua.String(hex.EncodeToString(sum[:])))
		},
		"log": func(L *lua.State, args []lua.Value) []lua.Value {
			if len(args) < 2 {
				raise(L, rerr.ScriptLogArgs)
			}
			n, ok := args[0].AsNumber()
			if !ok {
				// lua_isnumber: numeric strings count as numbers.
				if s, isStr := args[0].AsString(); isStr {
					n, ok = parseLuaNumber(s)
				}
			}
			if !ok {
				raise(L, rerr.ScriptLogNotNumber)
			}
			if n = math.Trunc(n); n < 0 || n > 3 {
				raise(L, rerr.ScriptLogLevel)
			}
			var b strings.Builder
			for i, a := range args[1:] {
				if i > 0 {
					b.WriteByte(' ')
				}
				if t := a.Type(); t == lua.TypeString || t == lua.TypeNumber {
					b.WriteString(a.String())
				}
			}
			level := []slog.Level{slog.LevelDebug, slog.LevelDebug + 2, slog.LevelInfo, slog.LevelWarn}[int(n)]
			v.e.Srv.Log.Log(context.Background(), level, b.String(), "source", "script")
			return nil
		},
		"setresp": func(L *lua.State, args []lua.Value) []lua.Value {
			if len(args) != 1 {
				raise(L, "redis.setresp() requires one argument.")
			}
			n := toInt(args[0])
			if n != 2 && n != 3 {
				raise(L, rerr.ScriptRespVersion)
			}
			if v.run != nil {
				v.run.Resp = n
			}
			return nil
		},
		"set_repl": func(L *lua.State, args []lua.Value) []lua.Value {
			if len(args) != 1 {
				raise(L, "redis.set_repl() requires one argument.")
			}
			n := toInt(args[0])
			if n&^script.ReplAll != 0 {
				raise(L, rerr.ScriptReplFlags)
			}
			if v.run != nil {
				v.run.Repl = n
			}
			return nil
		},
		"replicate_commands": func(L *lua.State, args []lua.Value) []lua.Value { return L.Ret1(lua.True) },
		"breakpoint":         func(L *lua.State, args []lua.Value) []lua.Value { return L.Ret1(lua.False) },
		"debug":              func(L *lua.State, args []lua.Value) []lua.Value { return nil },
		"acl_check_cmd": func(L *lua.State, args []lua.Value) []lua.Value {
			if len(args) < 1 {
				raise(L, rerr.ScriptNoArgs)
			}
			name := ""
			if t := args[0].Type(); t == lua.TypeString || t == lua.TypeNumber {
				name = args[0].String()
			}
			if v.e.Srv.Reg.Lookup([]byte(name)) == nil {
				raise(L, "Invalid command passed to redis.acl_check_cmd()")
			}
			// moonkv has no ACL users yet: the default user may run anything.
			return L.Ret1(lua.True)
		},
	})
	for name, val := range map[string]int{
		"LOG_DEBUG": 0, "LOG_VERBOSE": 1, "LOG_NOTICE": 2, "LOG_WARNING": 3,
		"REPL_NONE": script.ReplNone, "REPL_AOF": script.ReplAOF, "REPL_SLAVE": script.ReplReplica,
		"REPL_REPLICA": script.ReplReplica, "REPL_ALL": script.ReplAll,
	} {
		r.SetStr(name, lua.Number(float64(val)))
	}
	r.SetStr("REDIS_VERSION", lua.String(redisVersion))
	r.SetStr("REDIS_VERSION_NUM", lua.Number(redisVersionNum))
}

func stringArg(args []lua.Value) (string, bool) {
	if len(args) == 0 {
		return "", false
	}
	// lua_type must be LUA_TSTRING: numbers are refused.
	return args[0].AsString()
}

// toInt converts like lua_tointeger: numbers and numeric strings, else 0.
func toInt(a lua.Value) int {
	if n, ok := a.AsNumber(); ok {
		return int(n)
	}
	if s, ok := a.AsString(); ok {
		if f, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
			return int(f)
		}
	}
	return 0
}

// errTable builds the {err=...} table Redis uses for errors inside Lua.
// text is "-CODE message" (the code is kept) or a plain message (the code
// becomes ERR).
func errTable(L *lua.State, text string) lua.Value {
	t := L.NewTable(0, 2)
	t.SetStr("err", lua.String(errText(text)))
	return lua.TableValue(t)
}

func errText(text string) string {
	var code, msg string
	if strings.HasPrefix(text, "-") {
		if sp := strings.IndexByte(text, ' '); sp < 0 {
			code, msg = "ERR", text[1:]
		} else {
			code, msg = text[1:sp], text[sp+1:]
		}
	} else {
		code, msg = "ERR", text
	}
	return code + " " + strings.Trim(msg, "\r\n")
}

// raise raises an {err=...} error from a native of the redis library, as
// luaPushError + luaError do.
func raise(L *lua.State, text string) {
	L.RaiseError(errTable(L, text))
}

// call is redis.call (raiseErr true) and redis.pcall.
func (v *VM) call(L *lua.State, in []lua.Value, raiseErr bool) []lua.Value {
	run := v.run
	if run == nil {
		raise(L, "redis.call/pcall can only be called inside a script invocation")
	}
	if run.Killed() {
		raise(L, script.KilledError())
	}
	if len(in) == 0 {
		return v.fail(L, rerr.ScriptNoArgs, raiseErr)
	}
	buf := v.argBuf[:0]
	offs := v.argOffs[:0]
	for _, a := range in {
		if s, ok := a.AsString(); ok {
			buf = append(buf, s...)
		} else if n, ok := a.AsNumber(); ok {
			buf = appendArgNumber(buf, n)
		} else {
			v.argBuf, v.argOffs = buf, offs
			return v.fail(L, rerr.ScriptArgType, raiseErr)
		}
		offs = append(offs, len(buf))
	}
	args := v.args[:0]
	start := 0
	for _, end := range offs {
		args = append(args, buf[start:end:end])
		start = end
	}
	v.argBuf, v.argOffs, v.args = buf, offs, args
	// Commands keep their arguments only by copying them, so the buffers
	// are reused by the next call; commands do not run scripts, so calls
	// do not nest.
	b := &v.b
	b.reset(L, run.Resp)
	msg := run.Call(args, b)
	if cap(v.argBuf) > 1<<20 {
		// A huge argument (SET k <400 MB>) is the keyspace's now; the
		// reused buffer must not keep a copy of it alive.
		clear(v.args[:cap(v.args)])
		v.argBuf = nil
	}
	if p := b.pending; p > 0 {
		b.pending = 0
		L.Charge(p)
	}
	if msg != "" {
		return v.fail(L, msg, raiseErr)
	}
	val := b.val
	b.val = lua.Nil
	if raiseErr && b.isErr {
		L.RaiseError(val)
	}
	return L.Ret1(val)
}

func (v *VM) fail(L *lua.State, msg string, raiseErr bool) []lua.Value {
	t := errTable(L, msg)
	if raiseErr {
		L.RaiseError(t)
	}
	return L.Ret1(t)
}

// appendArgNumber formats a number passed to redis.call as Redis does:
// integers in full, anything else as a reply double ("%.17g", inf, nan).
func appendArgNumber(dst []byte, f float64) []byte {
	if f == math.Trunc(f) && math.Abs(f) < 1e17 {
		if f == 0 && math.Signbit(f) {
			return append(dst, "-0"...)
		}
		return strconv.AppendInt(dst, int64(f), 10)
	}
	return resp.AppendDouble(dst, f)
}

// toInteger converts a reply number as C's (long long) cast does on
// amd64: out of range and NaN give the minimum.
func toInteger(f float64) int64 {
	if math.IsNaN(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0 {
		return math.MinInt64
	}
	return int64(f)
}
