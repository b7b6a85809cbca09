package moonvm

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/moonkv/moonkv/internal/lua"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/script"
)

// Function libraries run in a Lua state of their own, as in Redis 7.0:
// a second VM (funcExt.vm of the EVAL VM) whose globals carry no KEYS,
// ARGV or error handler. Every library's code and functions see one
// globals table of their own, empty and read-only, whose metatable sends
// reads on:
//
//   - while a library loads, to the load-time API: a table holding only
//     redis = {register_function, log, LOG_*, REDIS_VERSION[_NUM]}, so
//     anything else (redis.call, math, string, _G...) is an undefined
//     global;
//   - when a function runs, to the real globals (the libraries, redis.*
//     without register_function).

// funcExt is a VM's share of the function machinery.
type funcExt struct {
	vm *VM // on the EVAL VM: the functions' VM, made on first use

	// On the functions' VM:
	rnd     *rand48    // the EVAL VM's: Redis has one generator for both
	env     *lua.Table // the libraries' globals
	envMeta *lua.Table // its metatable (__index switches)
	loadAPI *lua.Table // what __index reaches while a library loads
	load    *libLoad   // the library being loaded
}

// libLoad is one FUNCTION LOAD in progress.
type libLoad struct {
	funcs    []*script.Function
	deadline time.Time // zero: no timeout
	timedOut bool
}

// fnHandle is a function's Script.Compiled: its callback.
type fnHandle struct{ cb lua.Value }

var errLoadTimeout = errors.New(rerr.LibLoadTimeout)

func (v *VM) functions() *VM {
	if v.fx.vm == nil {
		f := &VM{e: v.e}
		f.fx.rnd = &v.rnd
		f.openFunctions()
		v.fx.vm = f
	}
	return v.fx.vm
}

// openFunctions makes the functions' Lua state: EVAL's sandbox without
// KEYS, ARGV and the error handler, plus the libraries' globals.
func (v *VM) openFunctions() {
	v.open()
	L := v.L
	g := L.Globals()
	g.SetReadOnly(false)
	for _, name := range []string{"KEYS", "ARGV", "__redis__err__handler"} {
		g.SetStr(name, lua.Nil)
	}
	g.SetReadOnly(true)
	undefined := g.Metatable() // reading a missing name is an error

	redis := g.GetStr("redis").AsTable()
	api := L.NewTable(0, 8)
	api.SetStr("register_function", lua.FunctionValue(L.NewFunction("register_function", v.registerFunction)))
	for _, name := range []string{"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING", "REDIS_VERSION", "REDIS_VERSION_NUM"} {
		api.SetStr(name, redis.GetStr(name))
	}
	api.SetMetatable(undefined)
	api.SetReadOnly(true)
	loadAPI := L.NewTable(0, 1)
	loadAPI.SetStr("redis", lua.TableValue(api))
	loadAPI.SetMetatable(undefined)
	loadAPI.SetReadOnly(true)

	env := L.NewTable(0, 0)
	meta := L.NewTable(0, 1)
	meta.SetStr("__index", lua.TableValue(g))
	meta.SetReadOnly(true)
	env.SetMetatable(meta)
	env.SetReadOnly(true)
	v.fx.env, v.fx.envMeta, v.fx.loadAPI = env, meta, loadAPI
}

func (v *VM) setEnvIndex(t *lua.Table) {
	m := v.fx.envMeta
	m.SetReadOnly(false)
	m.SetStr("__index", lua.TableValue(t))
	m.SetReadOnly(true)
}

// LoadLibrary implements script.FunctionVM.
func (v *VM) LoadLibrary(code string, timeout time.Duration) ([]*script.Function, error) {
	return v.functions().loadLibrary(code, timeout)
}

// FlushFunctions implements script.FunctionVM.
func (v *VM) FlushFunctions() { v.fx.vm = nil }

// FunctionsMemory implements script.FunctionVM.
func (v *VM) FunctionsMemory() int64 {
	if v.fx.vm == nil {
		return 0
	}
	return v.fx.vm.L.LiveMemory()
}

func (v *VM) loadLibrary(code string, timeout time.Duration) ([]*script.Function, error) {
	L := v.L
	c, err := L.Load(code, "@user_function")
	if err != nil {
		return nil, compileError("ERR " + strings.Replace(rerr.LibCompileFmt, "%s", err.Error(), 1))
	}
	ld := &libLoad{}
	if timeout > 0 {
		ld.deadline = time.Now().Add(timeout)
	}
	c.Function().SetEnv(v.fx.env)
	v.setEnvIndex(v.fx.loadAPI)
	v.fx.load = ld
	_, err = L.Run(c)
	v.fx.load = nil
	v.setEnvIndex(L.Globals())
	L.CloseCoroutines()
	if err != nil {
		var msg string
		le, _ := err.(*lua.Error)
		switch {
		case ld.timedOut:
			msg = "ERR " + rerr.LibLoadTimeout
		case le != nil && le.Value.AsTable() != nil:
			if s, ok := le.Value.AsTable().GetStr("err").AsString(); ok {
				msg = s
			} else {
				msg = "ERR unknown error"
			}
		case le != nil:
			msg = "ERR " + L.ToString(le.Value)
		default:
			msg = "ERR " + err.Error()
		}
		return nil, compileError("ERR " + strings.Replace(rerr.LibRegisterFmt, "%s", oneLine(msg), 1))
	}
	return ld.funcs, nil
}

// loadHook stops a library's code that runs past its deadline.
func (v *VM) loadHook() error {
	ld := v.fx.load
	if !ld.deadline.IsZero() && time.Now().After(ld.deadline) {
		ld.timedOut = true
		return errLoadTimeout
	}
	return nil
}

// luaString is luaGetStringSds: strings and numbers (as their text).
func luaString(val lua.Value) (string, bool) {
	switch val.Type() {
	case lua.TypeString, lua.TypeNumber:
		return val.String(), true
	}
	return "", false
}

// registerFunction is redis.register_function, in its two forms:
// (name, callback) and {function_name=, callback=, flags=, description=}.
func (v *VM) registerFunction(L *lua.State, args []lua.Value) []lua.Value {
	ld := v.fx.load
	if ld == nil {
		raise(L, rerr.RegisterNotLoading)
	}
	if len(args) < 1 || len(args) > 2 {
		raise(L, rerr.RegisterNArgs)
	}
	f := &script.Function{}
	var cb lua.Value
	if len(args) == 2 {
		name, ok := luaString(args[0])
		if !ok {
			raise(L, rerr.RegisterFirstArg)
		}
		if args[1].Type() != lua.TypeFunction {
			raise(L, rerr.RegisterSecondArg)
		}
		f.Name, cb = name, args[1]
	} else {
		t := args[0].AsTable()
		if t == nil {
			raise(L, rerr.RegisterNotTable)
		}
		hasName := false
		var k lua.Value
		for {
			nk, val, ok := t.Next(k)
			if !ok || nk.IsNil() {
				break
			}
			k = nk
			key, ok := luaString(k)
			if !ok {
				raise(L, rerr.RegisterKeyType)
			}
			switch strings.ToLower(key) {
			case "function_name":
				s, ok := luaString(val)
				if !ok {
					raise(L, rerr.RegisterNameType)
				}
				f.Name, hasName = s, true
			case "description":
				s, ok := luaString(val)
				if !ok {
					raise(L, rerr.RegisterDescType)
				}
				f.Desc, f.HasDesc = s, true
			case "callback":
				if val.Type() != lua.TypeFunction {
					raise(L, rerr.RegisterCbType)
				}
				cb = val
			case "flags":
				ft := val.AsTable()
				if ft == nil {
					raise(L, rerr.RegisterFlagsType)
				}
				for i := 1; ; i++ {
					fv := ft.GetInt(i)
					if fv.IsNil() {
						break
					}
					s, ok := luaString(fv)
					if !ok {
						raise(L, rerr.RegisterBadFlag)
					}
					fl, ok := script.FlagByName(s)
					if !ok {
						raise(L, rerr.RegisterBadFlag)
					}
					f.Flags |= fl
				}
			default:
				raise(L, rerr.RegisterUnknownArg)
			}
		}
		if !hasName {
			raise(L, rerr.RegisterNoName)
		}
		if cb.IsNil() {
			raise(L, rerr.RegisterNoCallback)
		}
	}
	if !script.ValidName(f.Name) {
		raise(L, rerr.LibBadName)
	}
	for _, o := range ld.funcs {
		// Redis 7.0.15 crashes on two names that differ only in case
		// (FCALL finds names in any case): moonkv refuses the second.
		if strings.EqualFold(o.Name, f.Name) {
			raise(L, rerr.LibFuncDupInLib)
		}
	}
	f.S.Compiled = &fnHandle{cb: cb}
	ld.funcs = append(ld.funcs, f)
	return nil
}

// runFunction calls a function's callback with its keys and arguments
// and replies to the caller, as Run does for EVAL.
func (v *VM) runFunction(run *script.Run, h *fnHandle, keys, argv [][]byte) {
	L := v.L
	kt := L.NewTable(len(keys), 0)
	for i, k := range keys {
		kt.SetInt(i+1, lua.String(string(k)))
	}
	at := L.NewTable(len(argv), 0)
	for i, a := range argv {
		at.SetInt(i+1, lua.String(string(a)))
	}
	v.run = run
	rets, err := L.Call(h.cb, lua.TableValue(kt), lua.TableValue(at))
	v.finish(run, rets, err)
}

// parseLuaNumber converts a string as lua_str2number does: a decimal or
// hexadecimal number, surrounding spaces allowed.
func parseLuaNumber(s string) (float64, bool) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, false
	}
	if h := strings.TrimPrefix(strings.TrimPrefix(t, "-"), "0x"); len(h) < len(strings.TrimPrefix(t, "-")) || strings.HasPrefix(strings.TrimPrefix(t, "-"), "0X") {
		h = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(t, "-"), "0x"), "0X")
		u, err := strconv.ParseUint(h, 16, 64)
		if err != nil {
			return 0, false
		}
		if strings.HasPrefix(t, "-") {
			return -float64(u), true
		}
		return float64(u), true
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	return f, true
}

// random is math.random's generator: the EVAL VM's own, which the
// functions' VM shares.
func (v *VM) random() *rand48 {
	if v.fx.rnd != nil {
		return v.fx.rnd
	}
	return &v.rnd
}
