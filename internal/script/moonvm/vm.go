package moonvm

import (
	"errors"
	"strings"

	"github.com/moonkv/moonkv/internal/lua"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/script"
)

// VM is one server's Lua state. It implements script.VM.
type VM struct {
	e *script.Engine
	L *lua.State

	keys, argv   *lua.Table
	nkeys, nargv int
	pcall        lua.Value // the engine's pcall, which Redis's pcall wraps

	// chunks maps loadstring chunk ids to the names they were given.
	chunks map[string]string

	run *script.Run // the running script
	rnd rand48      // math.random's state: survives SCRIPT FLUSH, as in Redis

	// builder and argument buffers reused by redis.call.
	b       builder
	args    [][]byte
	argBuf  []byte
	argOffs []int

	// fx is the function libraries' machinery (function.go).
	fx funcExt
}

var _ script.VM = (*VM)(nil)

// New returns the factory script.New takes.
func New(e *script.Engine) script.VM {
	v := &VM{e: e, rnd: newRand48()}
	v.open()
	return v
}

// hookEvery is how many loop iterations and calls run between two
// checks for SCRIPT KILL.
const hookEvery = 1000

var errKilled = errors.New(script.KilledError())

func (v *VM) hook(*lua.State) error {
	if r := v.run; r != nil && r.Killed() {
		return errKilled
	}
	if v.fx.load != nil {
		return v.loadHook()
	}
	return nil
}

func (v *VM) open() {
	L := lua.NewState(lua.Options{
		Hook:      v.hook,
		HookEvery: hookEvery,
		Random:    v.random().float,
		Seed:      func(s int64) { v.random().seed(int32(s)) },
	})
	v.L = L
	L.SetMemoryLimit(MemoryLimit)
	L.OpenRedisLibs()
	g := L.Globals()
	// Redis 7.0's Lua has no os library and no function environments.
	for _, name := range []string{"os", "getfenv", "setfenv"} {
		g.SetStr(name, lua.Nil)
	}
	v.pcall = g.GetStr("pcall")
	L.Register("pcall", v.redisPcall)
	L.Register("load", load)
	v.chunks = map[string]string{}
	loadstring := g.GetStr("loadstring")
	L.Register("loadstring", func(L *lua.State, args []lua.Value) []lua.Value {
		res := L.Invoke(loadstring, args...)
		if len(res) > 0 && !res[0].IsNil() && len(v.chunks) < maxChunkNames {
			// Redis's error handler reports a loaded chunk's source,
			// the name it was given, not its shortened chunk id.
			name := L.OptString(args, 2, L.CheckString(args, 1))
			v.chunks[chunkID(name)] = name
		}
		return res
	})
	L.Register("__redis__err__handler", errHandler)
	v.installRedis()
	// Redis's string library has dump; moonkv cannot produce Lua 5.1
	// bytecode (and loadstring refuses it), so it fails as C Lua's does
	// for functions it cannot dump.
	g.GetStr("string").AsTable().SetStr("dump", lua.FunctionValue(L.NewFunction("dump", func(L *lua.State, args []lua.Value) []lua.Value {
		if f := L.CheckAny(args, 1); f.Type() != lua.TypeFunction {
			L.TypeError(args, 1, "function")
		}
		L.Errorf("unable to dump given function")
		return nil
	})))
	v.keys = L.NewTable(0, 0)
	v.argv = L.NewTable(0, 0)
	L.SetGlobal("KEYS", lua.TableValue(v.keys))
	L.SetGlobal("ARGV", lua.TableValue(v.argv))
	v.protect()
	v.nkeys, v.nargv = 0, 0
}

// protect makes the globals and the libraries read-only, as Redis 7.0
// does, and makes reading an undefined global an error.
func (v *VM) protect() {
	L := v.L
	g := L.Globals()
	for _, name := range []string{"string", "table", "math", "coroutine", "redis", "bit", "cjson", "cmsgpack", "struct"} {
		if t := g.GetStr(name).AsTable(); t != nil {
			t.SetReadOnly(true)
		}
	}
	mt := L.NewTable(0, 1)
	mt.SetStr("__index", lua.FunctionValue(L.NewFunction("__index", func(L *lua.State, args []lua.Value) []lua.Value {
		name := ""
		if len(args) >= 2 {
			name = L.ToString(args[1])
		}
		L.Errorf("%s", strings.Replace(rerr.ScriptNoGlobalFmt, "%s", name, 1))
		return nil
	})))
	g.SetMetatable(mt)
	g.SetReadOnly(true)
	v.protectReachable()
}

// Flush drops every compiled script by starting a fresh Lua state, as
// SCRIPT FLUSH does in Redis.
func (v *VM) Flush() { v.open() }

// Compile compiles a script; the Chunk is kept on s.
func (v *VM) Compile(s *script.Script) error {
	src := string(s.Body)
	if s.Skip > 0 {
		// The shebang line is not Lua, but it still counts as line 1.
		src = src[s.Skip:]
	}
	c, err := v.L.Load(src, "@user_script")
	if err != nil {
		return compileError(strings.Replace(rerr.ScriptCompileFmt, "%s", err.Error(), 1))
	}
	s.Compiled = c
	return nil
}

type compileError string

func (e compileError) Error() string { return string(e) }

// Run runs a compiled script and replies to its caller.
func (v *VM) Run(run *script.Run, keys, argv [][]byte) {
	if h, ok := run.Script.Compiled.(*fnHandle); ok {
		v.functions().runFunction(run, h, keys, argv)
		return
	}
	L := v.L
	c := run.Script.Compiled.(*lua.Chunk)
	v.keys = v.argTable(v.keys, "KEYS", v.nkeys)
	v.argv = v.argTable(v.argv, "ARGV", v.nargv)
	v.nkeys = fill(v.keys, v.nkeys, keys)
	v.nargv = fill(v.argv, v.nargv, argv)
	v.run = run
	rets, err := L.Run(c)
	v.finish(run, rets, err)
}

// finish replies to a script's or a function's caller with its first
// result or its error, and closes the coroutines it left.
func (v *VM) finish(run *script.Run, rets []lua.Value, err error) {
	v.run = nil
	if err != nil {
		v.L.CloseCoroutines()
		v.replyError(run, err)
		return
	}
	ret := lua.Nil
	if len(rets) > 0 {
		ret = rets[0]
	}
	v.reply(run.R, ret, run.Resp, 0)
	v.L.CloseCoroutines()
}

// fill refills KEYS or ARGV in place and returns the new count.
func fill(t *lua.Table, n int, vals [][]byte) int {
	for i, b := range vals {
		// The same keys and arguments come back call after call: keep
		// the string already there instead of allocating it again.
		if old, ok := t.GetInt(i + 1).AsString(); ok && old == string(b) {
			continue
		}
		t.SetInt(i+1, lua.String(string(b)))
	}
	for i := len(vals); i < max(n, t.Len()); i++ {
		t.SetInt(i+1, lua.Nil)
	}
	return len(vals)
}

// redisPcall is Redis 7.0's pcall: an error raised as an {err=...} table
// (by redis.call) is returned as its message string. Errors pcall cannot
// catch (SCRIPT KILL) pass through.
func (v *VM) redisPcall(L *lua.State, args []lua.Value) []lua.Value {
	L.CheckAny(args, 1)
	res := L.PCall(args)
	if len(res) == 2 {
		if ok, _ := res[0].AsBool(); !ok {
			if t := res[1].AsTable(); t != nil {
				if s := t.GetStr("err"); s.Type() == lua.TypeString || s.Type() == lua.TypeNumber {
					return L.Ret(lua.False, s)
				}
			}
		}
	}
	return res
}

// load is Lua 5.1's load(func [, chunkname]): the chunk is the
// concatenation of the pieces func returns.
func load(L *lua.State, args []lua.Value) []lua.Value {
	f := L.CheckAny(args, 1)
	if f.Type() != lua.TypeFunction {
		L.TypeError(args, 1, "function")
	}
	name := L.OptString(args, 2, "=(load)")
	var b strings.Builder
	for {
		r := L.Invoke(f)
		if len(r) == 0 || r[0].IsNil() {
			break
		}
		var s string
		switch r[0].Type() {
		case lua.TypeString, lua.TypeNumber:
			s = r[0].String()
		default:
			return L.Ret(lua.Nil, lua.String("reader function must return a string"))
		}
		if s == "" {
			break
		}
		// The pieces pile up in Go memory until the chunk is parsed.
		L.Reserve(2*int64(b.Cap()) + int64(len(s)))
		b.WriteString(s)
	}
	// Parsing costs many times the source's length (as loadstring
	// charges it).
	L.Charge(16 * int64(b.Len()))
	c, err := L.Load(b.String(), name)
	if err != nil {
		return L.Ret(lua.Nil, lua.String(err.Error()))
	}
	return L.Ret1(lua.FunctionValue(c.Function()))
}

// errHandler is the global __redis__err__handler Redis defines: it turns
// an error into an {err=...} table. moonvm does not call it (errors are
// handled in Go), but scripts can see and call it as in Redis.
func errHandler(L *lua.State, args []lua.Value) []lua.Value {
	e := lua.Nil
	if len(args) > 0 {
		e = args[0]
	}
	if e.AsTable() == nil {
		t := L.NewTable(0, 3)
		t.SetStr("err", lua.String("ERR "+L.ToString(e)))
		e = lua.TableValue(t)
	}
	if pos := L.Where(1); pos != "" {
		src, line := splitPos(pos)
		e.AsTable().SetStr("source", lua.String(src))
		e.AsTable().SetStr("line", lua.Number(float64(line)))
	}
	return L.Ret1(e)
}

// maxChunkNames bounds the loadstring names remembered for error reports.
const maxChunkNames = 10000

// chunkID is the id Lua gives a loadstring chunk named name
// (luaO_chunkid with LUA_IDSIZE 80): [string "first line..."].
func chunkID(name string) string {
	if strings.HasPrefix(name, "=") || strings.HasPrefix(name, "@") {
		return name
	}
	line := name
	if i := strings.IndexAny(line, "\r\n"); i >= 0 {
		line = line[:i]
	}
	const max = 63
	if len(line) > max {
		line = line[:max]
	}
	if len(line) < len(name) {
		return `[string "` + line + `..."]`
	}
	return `[string "` + line + `"]`
}
