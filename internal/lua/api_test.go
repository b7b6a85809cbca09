package lua

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

func mustRun(t *testing.T, L *State, src string) []Value {
	t.Helper()
	r, err := L.DoString(src, "@user_script")
	if err != nil {
		t.Fatalf("run %q: %v", src, err)
	}
	return r
}

func runErr(t *testing.T, L *State, src string) string {
	t.Helper()
	_, err := L.DoString(src, "@user_script")
	if err == nil {
		t.Fatalf("run %q: expected error", src)
	}
	return err.Error()
}

func TestChunkNameAndErrors(t *testing.T) {
	L := NewState(Options{})
	got := runErr(t, L, "local x = 1\nlocal y = nil\nreturn y.z")
	if got != "user_script:3: attempt to index local 'y' (a nil value)" {
		t.Fatal(got)
	}
	_, err := L.Load("x = = 1", "@user_script")
	if err == nil || err.Error() != "user_script:1: unexpected symbol near '='" {
		t.Fatal(err)
	}
	if _, err := L.Load("\x1bLua", "=x"); err == nil {
		t.Fatal("bytecode accepted")
	}
}

func TestReadOnlyTables(t *testing.T) {
	L := NewState(Options{})
	L.Globals().SetReadOnly(true)
	L.GetGlobal("string").AsTable().SetReadOnly(true)
	for _, src := range []string{"x = 1", "string.foo = 1", "rawset(_G, 'x', 1)", "table.insert(string, 1)", "setmetatable(_G, {})"} {
		if got := runErr(t, L, src); !strings.Contains(got, "Attempt to modify a readonly table") {
			t.Errorf("%s: %s", src, got)
		}
	}
	// Locals and fresh tables are still writable.
	r := mustRun(t, L, "local t = {} t.x = 5 return t.x")
	if n, _ := r[0].AsNumber(); n != 5 {
		t.Fatal(r)
	}
}

func TestRedisGlobalsProtection(t *testing.T) {
	// Redis (before 7) guarded _G with a Lua metatable using error level 2.
	L := NewState(Options{})
	mustRun(t, L, `
local mt = {}
setmetatable(_G, mt)
mt.__newindex = function(t, n, v)
  error("Script attempted to create global variable '"..tostring(n).."'", 2)
end
mt.__index = function(t, n)
  error("Script attempted to access nonexistent global variable '"..tostring(n).."'", 2)
end`)
	if got := runErr(t, L, "x = 1"); got != "user_script:1: Script attempted to create global variable 'x'" {
		t.Fatal(got)
	}
	if got := runErr(t, L, "\nreturn y"); got != "user_script:2: Script attempted to access nonexistent global variable 'y'" {
		t.Fatal(got)
	}
	// A native metamethod's luaL_error-style error names the Lua line
	// that triggered it, as in C Lua.
	mt := L.Globals().Metatable()
	mt.SetStr("__newindex", FunctionValue(L.NewFunction("__newindex", func(L *State, args []Value) []Value {
		L.Errorf("Attempt to modify a readonly table")
		return nil
	})))
	if got := runErr(t, L, "x = 1"); got != "user_script:1: Attempt to modify a readonly table" {
		t.Fatal(got)
	}
}

func TestMemoryLimit(t *testing.T) {
	L := NewState(Options{MemoryLimit: 1 << 20})
	L.ResetMemory()
	got := runErr(t, L, "local t = {} for i = 1, 1e7 do t[i] = i end")
	if !strings.Contains(got, "not enough memory") {
		t.Fatal(got)
	}
	// pcall cannot swallow it.
	L.ResetMemory()
	got = runErr(t, L, "local s = 'x' pcall(function() for i = 1, 30 do s = s .. s end end) return #s")
	if !strings.Contains(got, "not enough memory") {
		t.Fatal(got)
	}
	L.ResetMemory()
	mustRun(t, L, "local t = {} for i = 1, 100 do t[i] = i end")
}

func TestHookAbortsLoop(t *testing.T) {
	deadline := time.Now().Add(50 * time.Millisecond)
	L := NewState(Options{HookEvery: 1000, Hook: func(L *State) error {
		if time.Now().After(deadline) {
			return errors.New("ERR script timeout")
		}
		return nil
	}})
	got := runErr(t, L, "while true do pcall(function() end) end")
	if got != "ERR script timeout" {
		t.Fatal(got)
	}
}

func TestStackOverflow(t *testing.T) {
	L := NewState(Options{MaxCallDepth: 500})
	got := runErr(t, L, "local function f() return 1 + f() end return f()")
	if got != "user_script:1: stack overflow" {
		t.Fatal(got)
	}
	r := mustRun(t, L, "local function f(n) if n == 0 then return 0 end return f(n - 1) end return f(1e6)")
	if n, _ := r[0].AsNumber(); n != 0 {
		t.Fatal(r)
	}
}

func TestNoHostAccess(t *testing.T) {
	L := NewState(Options{})
	for _, name := range []string{"io", "require", "dofile", "loadfile", "load", "module", "package", "debug"} {
		if !L.GetGlobal(name).IsNil() {
			t.Errorf("%s is exposed", name)
		}
	}
	if !L.GetGlobal("string").AsTable().GetStr("dump").IsNil() {
		t.Error("string.dump exposed")
	}
	os := L.GetGlobal("os").AsTable()
	n := 0
	os.ForEach(func(k, v Value) bool { n++; return true })
	if n != 1 || os.GetStr("clock").IsNil() {
		t.Error("os has more than clock")
	}
}

func TestHostConversions(t *testing.T) {
	L := NewState(Options{})
	r := mustRun(t, L, "return 1.5, 'str', true, nil, {1, 2, 3, x = 'y'}")
	if len(r) != 5 {
		t.Fatal(len(r))
	}
	if n, ok := r[0].AsNumber(); !ok || n != 1.5 {
		t.Error(r[0])
	}
	if s, ok := r[1].AsString(); !ok || s != "str" {
		t.Error(r[1])
	}
	if b, ok := r[2].AsBool(); !ok || !b {
		t.Error(r[2])
	}
	if !r[3].IsNil() {
		t.Error(r[3])
	}
	tb := r[4].AsTable()
	if tb.Len() != 3 || tb.GetStr("x").String() != "y" || tb.GetInt(2).String() != "2" {
		t.Error("table contents")
	}
	// Calling a Lua function from Go many times.
	c, err := L.Load("return ... + 1", "=f")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		out, err := L.Call(FunctionValue(c.Function()), Number(float64(i)))
		if err != nil || out[0].String() != formatNumber(float64(i+1)) {
			t.Fatal(out, err)
		}
	}
}

func TestCoroutineCleanup(t *testing.T) {
	L := NewState(Options{})
	before := runtime.NumGoroutine()
	mustRun(t, L, "for i = 1, 50 do local co = coroutine.wrap(function() coroutine.yield(1) end) co() end")
	mustRun(t, L, "for i = 1, 50 do coroutine.resume(coroutine.create(function() end)) end")
	if n := len(L.g.coroutines); n != 50 {
		t.Fatalf("%d live coroutines, want 50", n)
	}
	L.CloseCoroutines()
	for i := 0; i < 100 && runtime.NumGoroutine() > before; i++ {
		time.Sleep(time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines left, had %d", n, before)
	}
}

func TestZeroAllocArithmetic(t *testing.T) {
	L := NewState(Options{})
	c, err := L.Load("local s = 0 for i = 1, 100 do s = s + i * 2 - 1 end return s", "=a")
	if err != nil {
		t.Fatal(err)
	}
	L.Run(c)
	allocs := testing.AllocsPerRun(100, func() { L.Run(c) })
	if allocs > 0 {
		t.Fatalf("%v allocs per run", allocs)
	}
}

func TestNativeHelpers(t *testing.T) {
	L := NewState(Options{})
	var where string
	L.Register("probe", func(L *State, args []Value) []Value {
		where = L.Where(1)
		r := L.Invoke(args[0], Number(20))
		return L.Ret1(Number(r[0].n + 1))
	})
	r := mustRun(t, L, "\nreturn probe(function(x) return x * 2 end)")
	if where != "user_script:2:" || r[0].String() != "41" {
		t.Fatal(where, r)
	}
	got := runErr(t, L, "return probe(function() error('inner') end)")
	if got != "user_script:1: inner" {
		t.Fatal(got)
	}
	u := &Userdata{Data: 7}
	mt := L.NewTable(0, 1)
	mt.SetStr("__index", FunctionValue(L.NewFunction("idx", func(L *State, args []Value) []Value {
		return L.Ret1(String("ud." + L.CheckString(args, 2)))
	})))
	u.SetMetatable(mt)
	L.SetGlobal("u", UserdataValue(u))
	if r := mustRun(t, L, "return u.field, type(u)"); r[0].String() != "ud.field" || r[1].String() != "userdata" {
		t.Fatal(r)
	}
}

func TestParallelStates(t *testing.T) {
	done := make(chan string, 4)
	for i := 0; i < 4; i++ {
		go func(i int) {
			L := NewState(Options{})
			L.OpenRedisLibs()
			r, err := L.DoString("local t = {} for k, v in pairs({a = 1, b = 2}) do t[#t+1] = k end return cjson.encode(t), ...", "=p")
			if err != nil {
				done <- err.Error()
				return
			}
			done <- r[0].String()
		}(i)
	}
	for i := 0; i < 4; i++ {
		if got := <-done; got != `["a","b"]` {
			t.Error(got)
		}
	}
}
func TestLongChains(t *testing.T) {
	L := NewState(Options{})
	src := "local a = 1 return a" + strings.Repeat("+a", 50000)
	r, err := L.DoString(src, "=c")
	if err != nil || r[0].String() != "50001" {
		t.Fatal(err, r)
	}
	if _, err := L.Load("local a = 1 return a"+strings.Repeat("+a", 300000), "=c"); err == nil {
		t.Fatal("expected a limit")
	}
	r, err = L.DoString("local t = {} t.a = t return t"+strings.Repeat(".a", 30000)+" == t", "=c")
	if err != nil || r[0].String() != "true" {
		t.Fatal(err, r)
	}
}
