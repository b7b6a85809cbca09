package luabridge

import (
	"math"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/script"
)

// protect makes the globals and the library tables read-only, as Redis
// 7.0 does: scripts see an empty proxy whose reads fall through to the
// real table and whose writes fail. Reading an undefined global fails too.
func (v *VM) protect() {
	L := v.L
	g := v.globals
	v.proxies = map[*lua.LTable]*lua.LTable{}
	for _, name := range []string{"string", "table", "math", "coroutine", "redis", "bit", "cjson", "cmsgpack", "struct"} {
		if real, ok := g.RawGetString(name).(*lua.LTable); ok {
			g.RawSetString(name, v.newProxy(real))
		}
	}
	gmt := L.NewTable()
	gmt.RawSetString("__index", L.NewFunction(func(L *lua.LState) int {
		name := unrenameGoto(L.ToString(2))
		L.RaiseError("%s", strings.Replace(rerr.ScriptNoGlobalFmt, "%s", name, 1))
		return 0
	}))
	L.SetMetatable(g, gmt)
	v.env = v.newProxy(g)
	g.RawSetString("_G", v.env)
}

func (v *VM) newProxy(real *lua.LTable) *lua.LTable {
	L := v.L
	p := L.NewTable()
	mt := L.NewTable()
	mt.RawSetString("__index", real)
	mt.RawSetString("__newindex", L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("%s", rerr.ScriptReadonlyTab)
		return 0
	}))
	mt.RawSetString("__metatable", L.NewTable())
	L.SetMetatable(p, mt)
	v.proxies[p] = real
	return p
}

// real sees through a read-only proxy.
func (v *VM) real(t *lua.LTable) *lua.LTable {
	if r := v.proxies[t]; r != nil {
		return r
	}
	return t
}

func (v *VM) readonly(t *lua.LTable) bool {
	if _, ok := v.proxies[t]; ok {
		return true
	}
	for _, r := range v.proxies {
		if r == t {
			return true
		}
	}
	return false
}

// installBase replaces the base functions whose gopher-lua versions
// differ from Redis's Lua or reach outside the sandbox.
func (v *VM) installBase() {
	L := v.L
	g := v.globals
	set := func(name string, fn lua.LGFunction) { g.RawSetString(name, L.NewFunction(fn)) }
	set("tostring", func(L *lua.LState) int {
		a := L.CheckAny(1)
		if n, ok := a.(lua.LNumber); ok {
			L.Push(lua.LString(fmtNumber(float64(n))))
			return 1
		}
		if a == v.jsonNull {
			// C Lua prints the NULL light userdata this way.
			L.Push(lua.LString("userdata: (nil)"))
			return 1
		}
		L.Push(L.ToStringMeta(a))
		return 1
	})
	set("collectgarbage", func(L *lua.LState) int {
		// gopher-lua's runs runtime.GC for the whole process; Go's
		// collector needs no help from scripts.
		switch L.OptString(1, "collect") {
		case "count":
			L.Push(lua.LNumber(float64(heapKB())))
		case "step":
			L.Push(lua.LTrue)
		default:
			L.Push(lua.LNumber(0))
		}
		return 1
	})
	set("gcinfo", func(L *lua.LState) int {
		L.Push(lua.LNumber(int64(heapKB())))
		return 1
	})
	set("error", func(L *lua.LState) int {
		obj := L.Get(1)
		level := L.OptInt(2, 1)
		if n, ok := obj.(lua.LNumber); ok {
			obj = lua.LString(fmtNumber(float64(n)))
		}
		if s, ok := obj.(lua.LString); ok && level > 0 {
			// Position of the function at that level, if it is Lua.
			if dbg, ok := L.GetStack(level); ok {
				if _, err := L.GetInfo("Sl", dbg, lua.LNil); err == nil && dbg.What != "G" && dbg.CurrentLine > 0 {
					obj = lua.LString(dbg.Source + ":" + strconv.Itoa(dbg.CurrentLine) + ": " + string(s))
				}
			}
		}
		L.Error(obj, 0)
		return 0
	})
	set("tonumber", func(L *lua.LState) int {
		a := L.CheckAny(1)
		if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
			base := int(checkNumber(L, 2))
			if base < 2 || base > 36 {
				L.ArgError(2, "base out of range")
			}
			s := strings.TrimSpace(lua.LVAsString(a))
			if n, err := strconv.ParseInt(s, base, 64); err == nil {
				L.Push(lua.LNumber(n))
			} else {
				L.Push(lua.LNil)
			}
			return 1
		}
		switch x := a.(type) {
		case lua.LNumber:
			L.Push(x)
		case lua.LString:
			if n, ok := strToNumber(string(x)); ok {
				L.Push(lua.LNumber(n))
			} else {
				L.Push(lua.LNil)
			}
		default:
			L.Push(lua.LNil)
		}
		return 1
	})
	set("pcall", v.pcall)
	set("unpack", func(L *lua.LState) int {
		var t *lua.LTable
		if tb, ok := L.Get(1).(*lua.LTable); ok {
			t = v.real(tb)
		} else {
			got := "no value"
			if L.GetTop() >= 1 {
				got = L.Get(1).Type().String()
			}
			L.ArgError(1, "table expected, got "+got)
		}
		i, j := 1, t.Len()
		if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
			i = int(checkNumber(L, 2))
		}
		if L.GetTop() >= 3 && L.Get(3) != lua.LNil {
			j = int(checkNumber(L, 3))
		}
		if i > j {
			return 0
		}
		n := j - i + 1
		// C Lua's stack limit (LUAI_MAXCSTACK) counts the arguments too.
		if n <= 0 || n+L.GetTop() > 8000 {
			L.RaiseError("too many results to unpack")
		}
		for k := i; k <= j; k++ {
			L.Push(t.RawGetInt(k))
		}
		return n
	})
	set("rawset", func(L *lua.LState) int {
		t := L.CheckTable(1)
		if v.readonly(t) {
			L.Error(lua.LString(rerr.ScriptReadonlyTab), 0)
		}
		t.RawSet(L.CheckAny(2), L.CheckAny(3))
		L.Push(t)
		return 1
	})
	set("rawget", func(L *lua.LState) int {
		L.Push(v.real(L.CheckTable(1)).RawGet(L.CheckAny(2)))
		return 1
	})
	setmt := g.RawGetString("setmetatable")
	set("setmetatable", func(L *lua.LState) int {
		if t := L.CheckTable(1); v.readonly(t) {
			L.Error(lua.LString(rerr.ScriptReadonlyTab), 0)
		}
		L.Push(setmt)
		L.Push(L.Get(1))
		L.Push(L.Get(2))
		L.Call(2, 1)
		return 1
	})
	next := L.NewFunction(func(L *lua.LState) int {
		t := v.real(L.CheckTable(1))
		k, val := t.Next(L.Get(2))
		if k == lua.LString(concatName) && t == v.globals {
			// moonkv's own helper is not part of the globals Redis shows.
			k, val = t.Next(k)
		}
		if k == lua.LNil {
			L.Push(lua.LNil)
			return 1
		}
		L.Push(k)
		L.Push(val)
		return 2
	})
	g.RawSetString("next", next)
	set("pairs", func(L *lua.LState) int {
		t := L.CheckTable(1)
		L.Push(next)
		L.Push(v.real(t))
		L.Push(lua.LNil)
		return 3
	})
	set("loadstring", func(L *lua.LState) int {
		src := L.CheckString(1)
		name := L.OptString(2, src)
		id := chunkName(name)
		fn, err := v.compileChunk(src, id)
		if err == nil && len(v.chunks) < 10000 {
			v.chunks[id] = name
		}
		if err != nil {
			L.Push(lua.LNil)
			L.Push(lua.LString(err.Error()))
			return 2
		}
		fn.Env = v.env
		L.Push(fn)
		return 1
	})
	load := g.RawGetString("load")
	set("load", func(L *lua.LState) int {
		top := L.GetTop()
		L.Push(load)
		for i := 1; i <= top; i++ {
			L.Push(L.Get(i))
		}
		L.Call(top, 2)
		if fn, ok := L.Get(-2).(*lua.LFunction); ok {
			fn.Env = v.env
		}
		return 2
	})
	g.RawSetString("_GOPHER_LUA_VERSION", lua.LNil)
	// gopher-lua's math.huge is the largest float, not infinity.
	g.RawGetString("math").(*lua.LTable).RawSetString("huge", lua.LNumber(math.Inf(1)))
	g.RawGetString("string").(*lua.LTable).RawSetString("char", L.NewFunction(func(L *lua.LState) int {
		n := L.GetTop()
		b := make([]byte, n)
		for i := 1; i <= n; i++ {
			c := int(cInt64(checkNumber(L, i)))
			if c < 0 || c > 255 {
				L.ArgError(i, "invalid value")
			}
			b[i-1] = byte(c)
		}
		L.Push(lua.LString(b))
		return 1
	}))
	// gopher-lua makes the string library its own metatable for strings;
	// C Lua has a separate metatable whose __index is the library.
	strlib := v.globals.RawGetString("string").(*lua.LTable)
	strlib.RawSetString("__index", lua.LNil)
	strMT := L.NewTable()
	strMT.RawSetString("__index", strlib)
	L.SetMetatable(lua.LString(""), strMT)
	v.installTableCompat(v.globals.RawGetString("table").(*lua.LTable))
	v.globals.RawGetString("string").(*lua.LTable).RawSetString("format", L.NewFunction(strFormat))
}

// chunkName is the name C Lua gives a loadstring chunk: [string "..."],
// cut at the first line.
func chunkName(src string) string {
	const max = 60 - 17 // LUA_IDSIZE less the decoration
	n := min(len(src), max)
	if i := strings.IndexByte(src, '\n'); i >= 0 && i < n {
		n = i
	}
	if n < len(src) {
		return `[string "` + src[:n] + `..."]`
	}
	return `[string "` + src + `"]`
}

// pcall is Redis 7.0's pcall: an error raised as an {err=...} table (by
// redis.call) is returned as its message string. A killed script's error
// is raised again: pcall cannot swallow SCRIPT KILL.
func (v *VM) pcall(L *lua.LState) int {
	top := L.GetTop()
	L.CheckAny(1)
	err := L.PCall(top-1, lua.MultRet, v.pcallFn)
	if v.run != nil && v.run.Killed() {
		L.Error(errTable(L, script.KilledError()), 0)
	}
	if err != nil {
		obj := lua.LValue(lua.LString(err.Error()))
		if ae, ok := err.(*lua.ApiError); ok {
			obj = ae.Object
		}
		if t, ok := obj.(*lua.LTable); ok {
			if s, ok := t.RawGetString("err").(lua.LString); ok {
				obj = s
			}
		}
		L.SetTop(0)
		L.Push(lua.LFalse)
		L.Push(obj)
		return 2
	}
	L.Insert(lua.LTrue, 1)
	return L.GetTop()
}

// strToNumber converts a string as C Lua's lua_str2number (strtod, or
// strtoul for hex) does: surrounding blanks allowed, nothing else.
func strToNumber(s string) (float64, bool) {
	s = strings.Trim(s, " \t\n\r\v\f")
	if s == "" {
		return 0, false
	}
	body := strings.TrimLeft(s, "+-")
	if len(body) > 1 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X') {
		n, err := strconv.ParseUint(body[2:], 16, 64)
		if err != nil {
			return 0, false
		}
		if s[0] == '-' {
			return -float64(n), true
		}
		return float64(n), true
	}
	if strings.ContainsAny(s, "_pP") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	return f, true
}

// installTableCompat adds Lua 5.1's deprecated table functions, which
// Redis's Lua still has and gopher-lua does not.
func (v *VM) installTableCompat(t *lua.LTable) {
	L := v.L
	t.RawSetString("insert", L.NewFunction(func(L *lua.LState) int {
		if _, ok := L.Get(1).(*lua.LTable); !ok {
			got := "no value"
			if L.GetTop() >= 1 {
				got = L.Get(1).Type().String()
			}
			L.ArgError(1, "table expected, got "+got)
		}
		tb := v.real(L.Get(1).(*lua.LTable))
		e := tb.Len() + 1
		var pos int
		switch L.GetTop() {
		case 2:
			pos = e
		case 3:
			pos = int(checkNumber(L, 2))
			if pos > e {
				e = pos
			}
			for i := e; i > pos; i-- {
				tb.RawSetInt(i, tb.RawGetInt(i-1))
			}
		default:
			L.RaiseError("wrong number of arguments to 'insert'")
		}
		tb.RawSetInt(pos, L.Get(L.GetTop()))
		return 0
	}))
	checkTable := func(L *lua.LState, i int) *lua.LTable {
		if tb, ok := L.Get(i).(*lua.LTable); ok {
			return v.real(tb)
		}
		got := "no value"
		if i <= L.GetTop() {
			got = L.Get(i).Type().String()
		}
		L.ArgError(i, "table expected, got "+got)
		return nil
	}
	checkFunc := func(L *lua.LState, i int) *lua.LFunction {
		if fn, ok := L.Get(i).(*lua.LFunction); ok {
			return fn
		}
		got := "no value"
		if i <= L.GetTop() {
			got = L.Get(i).Type().String()
		}
		L.ArgError(i, "function expected, got "+got)
		return nil
	}
	t.RawSetString("foreach", L.NewFunction(func(L *lua.LState) int {
		tb := checkTable(L, 1)
		fn := checkFunc(L, 2)
		k, val := tb.Next(lua.LNil)
		for k != lua.LNil {
			L.Push(fn)
			L.Push(k)
			L.Push(val)
			L.Call(2, 1)
			if r := L.Get(-1); r != lua.LNil {
				return 1
			}
			L.Pop(1)
			k, val = tb.Next(k)
		}
		return 0
	}))
	t.RawSetString("foreachi", L.NewFunction(func(L *lua.LState) int {
		tb := checkTable(L, 1)
		fn := checkFunc(L, 2)
		n := tb.Len()
		for i := 1; i <= n; i++ {
			L.Push(fn)
			L.Push(lua.LNumber(i))
			L.Push(tb.RawGetInt(i))
			L.Call(2, 1)
			if r := L.Get(-1); r != lua.LNil {
				return 1
			}
			L.Pop(1)
		}
		return 0
	}))
	t.RawSetString("setn", L.NewFunction(func(L *lua.LState) int {
		L.RaiseError("'setn' is obsolete")
		return 0
	}))
}
