package luabridge

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"log/slog"
	"runtime/metrics"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/script"
)

const (
	redisVersion    = "7.0.15"
	redisVersionNum = 0x0007000f
)

func (v *VM) installRedis() {
	L := v.L
	r := L.NewTable()
	set := func(name string, fn lua.LGFunction) { r.RawSetString(name, L.NewFunction(fn)) }
	set("call", func(L *lua.LState) int { return v.call(L, true) })
	set("pcall", func(L *lua.LState) int { return v.call(L, false) })
	set("error_reply", func(L *lua.LState) int {
		s, ok := L.Get(1).(lua.LString)
		if L.GetTop() != 1 || !ok {
			L.Push(errTable(L, rerr.ScriptWrongArgs))
			return 1
		}
		e := string(s)
		if !strings.HasPrefix(e, "-") {
			e = "-" + e
		}
		L.Push(errTable(L, e))
		return 1
	})
	set("status_reply", func(L *lua.LState) int {
		s, ok := L.Get(1).(lua.LString)
		if L.GetTop() != 1 || !ok {
			L.Push(errTable(L, rerr.ScriptWrongArgs))
			return 1
		}
		t := L.CreateTable(0, 1)
		t.RawSetString("ok", s)
		L.Push(t)
		return 1
	})
	set("sha1hex", func(L *lua.LState) int {
		if L.GetTop() != 1 {
			raise(L, rerr.ScriptWrongNArgs)
		}
		s := lua.LVAsString(L.Get(1))
		if n, ok := L.Get(1).(lua.LNumber); ok {
			s = fmtNumber(float64(n))
		}
		sum := sha1.Sum([]byte(s))
		L.Push(lua.LString(hex.EncodeToString(sum[:])))
		return 1
	})
	set("log", func(L *lua.LState) int {
		if L.GetTop() < 2 {
			raise(L, rerr.ScriptLogArgs)
		}
		n, ok := L.Get(1).(lua.LNumber)
		if !ok || n < 0 || n > 3 {
			raise(L, rerr.ScriptLogLevel)
		}
		var b strings.Builder
		for i := 2; i <= L.GetTop(); i++ {
			if i > 2 {
				b.WriteByte(' ')
			}
			a := L.Get(i)
			if num, ok := a.(lua.LNumber); ok {
				b.WriteString(fmtNumber(float64(num)))
			} else if s, ok := a.(lua.LString); ok {
				b.WriteString(string(s))
			}
		}
		level := []slog.Level{slog.LevelDebug, slog.LevelDebug + 2, slog.LevelInfo, slog.LevelWarn}[int(n)]
		v.e.Srv.Log.Log(context.Background(), level, b.String(), "source", "script")
		return 0
	})
	set("setresp", func(L *lua.LState) int {
		if L.GetTop() != 1 {
			raise(L, "redis.setresp() requires one argument.")
		}
		n := L.ToInt(1)
		if n != 2 && n != 3 {
			raise(L, rerr.ScriptRespVersion)
		}
		if v.run != nil {
			v.run.Resp = n
		}
		return 0
	})
	set("set_repl", func(L *lua.LState) int {
		if L.GetTop() != 1 {
			raise(L, "redis.set_repl() requires one argument.")
		}
		n := L.ToInt(1)
		if n&^script.ReplAll != 0 {
			raise(L, rerr.ScriptReplFlags)
		}
		if v.run != nil {
			v.run.Repl = n
		}
		return 0
	})
	set("replicate_commands", func(L *lua.LState) int {
		L.Push(lua.LTrue)
		return 1
	})
	set("breakpoint", func(L *lua.LState) int {
		L.Push(lua.LFalse)
		return 1
	})
	set("debug", func(L *lua.LState) int { return 0 })
	set("acl_check_cmd", func(L *lua.LState) int {
		if L.GetTop() < 1 {
			raise(L, "Please specify at least one argument for this redis lib call")
		}
		if v.e.Srv.Reg.Lookup([]byte(lua.LVAsString(L.Get(1)))) == nil {
			raise(L, "Invalid command passed to redis.acl_check_cmd()")
		}
		// moonkv has no ACL users yet: the default user may run anything.
		L.Push(lua.LTrue)
		return 1
	})
	for name, val := range map[string]int{
		"LOG_DEBUG": 0, "LOG_VERBOSE": 1, "LOG_NOTICE": 2, "LOG_WARNING": 3,
		"REPL_NONE": script.ReplNone, "REPL_AOF": script.ReplAOF, "REPL_SLAVE": script.ReplReplica,
		"REPL_REPLICA": script.ReplReplica, "REPL_ALL": script.ReplAll,
	} {
		r.RawSetString(name, lua.LNumber(val))
	}
	r.RawSetString("REDIS_VERSION", lua.LString(redisVersion))
	r.RawSetString("REDIS_VERSION_NUM", lua.LNumber(redisVersionNum))
	v.globals.RawSetString("redis", r)
}

// errTable builds the {err=...} table Redis uses for errors inside Lua.
// text is "-CODE message" (the code is kept) or a plain message (the code
// becomes ERR).
func errTable(L *lua.LState, text string) *lua.LTable {
	t := L.CreateTable(0, 2)
	t.RawSetString("err", lua.LString(errText(text)))
	return t
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

// raise raises an {err=...} error from a Go function of the redis
// library, as luaPushError + luaError do.
func raise(L *lua.LState, text string) {
	L.Error(errTable(L, text), 0)
}

func heapKB() float64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return float64(s[0].Value.Uint64()) / 1024
}

// call is redis.call (raise true) and redis.pcall.
func (v *VM) call(L *lua.LState, raiseErr bool) int {
	run := v.run
	if run == nil {
		raise(L, "redis.call/pcall can only be called inside a script invocation")
	}
	if run.Killed() {
		raise(L, script.KilledError())
	}
	n := L.GetTop()
	if n == 0 {
		return v.fail(L, rerr.ScriptNoArgs, raiseErr)
	}
	buf := v.argBuf[:0]
	offs := v.argOffs[:0]
	for i := 1; i <= n; i++ {
		switch a := L.Get(i).(type) {
		case lua.LString:
			buf = append(buf, a...)
		case lua.LNumber:
			buf = appendArgNumber(buf, float64(a))
		default:
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
	// Commands may keep their arguments only by copying them, so the
	// buffers are reused for the next call. A nested redis.call cannot
	// happen: commands do not run scripts.
	b := &v.b
	b.reset(L, run.Resp)
	if msg := run.Call(args, b); msg != "" {
		L.SetTop(0)
		return v.fail(L, msg, raiseErr)
	}
	L.SetTop(0)
	val := b.result()
	if raiseErr && b.isErr {
		L.Error(val, 0)
	}
	L.Push(val)
	return 1
}

func (v *VM) fail(L *lua.LState, msg string, raiseErr bool) int {
	t := errTable(L, msg)
	if raiseErr {
		L.Error(t, 0)
	}
	L.Push(t)
	return 1
}
