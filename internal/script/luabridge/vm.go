package luabridge

import (
	"context"
	"strings"
	"time"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/parse"

	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/script"
)

// VM is one server's Lua state. It implements script.VM.
type VM struct {
	e *script.Engine
	L *lua.LState

	// globals is the real globals table; env is the read-only proxy
	// scripts see as their environment and as _G.
	globals, env *lua.LTable
	// proxies maps each read-only proxy to the table it guards.
	proxies map[*lua.LTable]*lua.LTable
	keys    *lua.LTable
	argv    *lua.LTable
	nkeys   int
	nargv   int
	errFn   *lua.LFunction
	pcallFn *lua.LFunction
	// chunks maps loadstring chunk names to the strings they came from.
	chunks map[string]string

	run *script.Run // the running script
	rnd rand48      // math.random's state: survives SCRIPT FLUSH, as in Redis

	jsonNull *lua.LUserData // cjson.null
	cjson    *cjsonConfig

	// builder and argument buffers reused by redis.call.
	b       builder
	args    [][]byte
	argBuf  []byte
	argOffs []int
}

// New returns the factory script.New takes.
func New(e *script.Engine) script.VM {
	v := &VM{e: e, rnd: newRand48()}
	v.open()
	return v
}

// killCtx is the context gopher-lua polls at every instruction while a
// script runs: it is cancelled by SCRIPT KILL. Done is a plain field read,
// the cheapest check gopher-lua allows.
type killCtx struct {
	done <-chan struct{}
}

func (k *killCtx) Deadline() (time.Time, bool) { return time.Time{}, false }
func (k *killCtx) Done() <-chan struct{}       { return k.done }
func (k *killCtx) Value(key any) any           { return nil }
func (k *killCtx) Err() error {
	select {
	case <-k.done:
		return context.Canceled
	default:
		return nil
	}
}

func (v *VM) open() {
	L := lua.NewState(lua.Options{
		SkipOpenLibs:     true,
		CallStackSize:    callStackSize,
		RegistrySize:     1024 * 4,
		RegistryMaxSize:  1024 * 1024,
		RegistryGrowStep: 1024,
	})
	v.L = L
	for _, lib := range []struct {
		name string
		fn   lua.LGFunction
	}{
		{lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable},
		{lua.StringLibName, lua.OpenString}, {lua.MathLibName, lua.OpenMath},
		{lua.CoroutineLibName, lua.OpenCoroutine},
	} {
		L.Push(L.NewFunction(lib.fn))
		L.Push(lua.LString(lib.name))
		L.Call(1, 0)
	}
	g := L.G.Global
	v.globals = g
	v.chunks = map[string]string{}
	for _, name := range []string{"dofile", "loadfile", "print", "_printregs", "getfenv", "setfenv",
		"module", "require", "newproxy"} {
		g.RawSetString(name, lua.LNil)
	}
	v.installBase()
	v.installRandom(g.RawGetString("math").(*lua.LTable))
	v.installRedis()
	v.installBit()
	v.installCjson()
	v.installCmsgpack()
	v.installStruct()
	v.keys = L.NewTable()
	v.argv = L.NewTable()
	g.RawSetString("KEYS", v.keys)
	g.RawSetString("ARGV", v.argv)
	v.errFn = L.NewFunction(v.errorHandler)
	g.RawSetString("__redis__err__handler", v.errFn)
	g.RawSetString(concatName, L.NewFunction(v.concat))
	v.pcallFn = L.NewFunction(func(L *lua.LState) int {
		// Runs before the stack unwinds: name the failing variable.
		if s, ok := L.Get(1).(lua.LString); ok {
			L.Push(lua.LString(unrenameGoto(nameRuntimeError(L, 1, string(s)))))
			return 1
		}
		L.Push(L.Get(1))
		return 1
	})
	v.protect()
}

// Flush drops every compiled script by starting a fresh Lua state, as
// SCRIPT FLUSH does in Redis.
func (v *VM) Flush() {
	v.L.Close()
	v.nkeys, v.nargv = 0, 0
	v.open()
}

// Compile compiles a script into f_<sha>.
func (v *VM) Compile(s *script.Script) error {
	body := s.Body
	src := string(body)
	if s.Skip > 0 {
		// The shebang line is not Lua, but it still counts as line 1.
		src = src[s.Skip:]
	}
	src = renameGoto(src)
	chunk, err := parse.Parse(strings.NewReader(src), "user_script")
	if err != nil {
		return compileError(err.Error(), src)
	}
	rewriteConcat(chunk)
	proto, err := lua.Compile(chunk, "user_script")
	if err != nil {
		return compileError(err.Error(), src)
	}
	// A main chunk has no "arg" table in C Lua; gopher-lua would build
	// one at every call.
	proto.IsVarArg &^= lua.VarArgNeedsArg
	fn := v.L.NewFunctionFromProto(proto)
	fn.Env = v.env
	s.Compiled = fn
	return nil
}

func compileError(msg, src string) error {
	return errorString(unrenameGoto(strings.Replace(rerr.ScriptCompileFmt, "%s", translateCompileError(msg, src), 1)))
}

type errorString string

func (e errorString) Error() string { return string(e) }

// Run runs a compiled script and replies to its caller.
func (v *VM) Run(run *script.Run, keys, argv [][]byte) {
	L := v.L
	fn := run.Script.Compiled.(*lua.LFunction)
	v.fill(v.keys, &v.nkeys, keys)
	v.fill(v.argv, &v.nargv, argv)
	v.run = run
	// A fresh context per run: a coroutine's context.WithCancel watches
	// its parent from another goroutine, which must never see a later
	// run's write.
	L.SetContext(&killCtx{done: run.Done()})
	L.Push(fn)
	err := L.PCall(0, 1, v.errFn)
	L.RemoveContext()
	v.run = nil
	if err != nil {
		v.replyError(run, err)
		return
	}
	ret := L.Get(-1)
	L.Pop(1)
	v.reply(run.R, ret, run.Resp, 0)
}

// fill refills KEYS or ARGV in place.
func (v *VM) fill(t *lua.LTable, n *int, vals [][]byte) {
	for i, b := range vals {
		// The same keys and arguments come back call after call: keep
		// the string already there instead of allocating it again.
		if old, ok := t.RawGetInt(i + 1).(lua.LString); ok && string(old) == string(b) {
			continue
		}
		t.RawSetInt(i+1, lua.LString(b))
	}
	for i := len(vals); i < max(*n, t.MaxN()); i++ {
		t.RawSetInt(i+1, lua.LNil)
	}
	*n = len(vals)
}

// compileChunk compiles source for loadstring, with the same rewriting
// as scripts.
func (v *VM) compileChunk(src, name string) (*lua.LFunction, error) {
	src = renameGoto(src)
	chunk, err := parse.Parse(strings.NewReader(src), name)
	if err != nil {
		return nil, err
	}
	rewriteConcat(chunk)
	proto, err := lua.Compile(chunk, name)
	if err != nil {
		return nil, err
	}
	proto.IsVarArg &^= lua.VarArgNeedsArg
	return v.L.NewFunctionFromProto(proto), nil
}

// callStackSize is C Lua 5.1's LUAI_MAXCALLS: scripts may recurse as
// deeply as in Redis before "stack overflow".
const callStackSize = 20000
