package lua

import (
	"strings"
	"testing"
)

func runBudget(t *testing.T, L *State, src string) error {
	t.Helper()
	c, err := L.Load(src, "@user_script")
	if err != nil {
		t.Fatal(err)
	}
	_, err = L.Run(c)
	return err
}

// The budget bounds what a script keeps, not what it allocates.
func TestMemoryBudgetCountsWhatIsKept(t *testing.T) {
	L := NewState(Options{MemoryLimit: 8 << 20})
	// 100 MB allocated in total, a few bytes kept.
	if err := runBudget(t, L, "local n = 0 for i = 1, 10000 do local s = string.rep('x', 10000) .. i n = n + #s end return n"); err != nil {
		t.Fatalf("garbage counted against the budget: %v", err)
	}
	// 16 MB kept.
	err := runBudget(t, L, "local t = {} for i = 1, 1600 do t[i] = string.rep('y', 10000) .. i end return #t")
	if err == nil || !strings.Contains(err.Error(), "not enough memory") {
		t.Fatalf("keeping twice the budget: %v", err)
	}
	// pcall cannot catch it.
	err = runBudget(t, L, "return pcall(string.rep, 'x', 2^30)")
	if err == nil || err.Error() != "not enough memory" {
		t.Fatalf("pcall of a 1 GB string.rep: %v", err)
	}
	// The state is usable afterwards and keeps counting correctly.
	if err := runBudget(t, L, "local t = {} for i = 1, 100 do t[i] = string.rep('z', 1000) .. i end return #t"); err != nil {
		t.Fatalf("after the failures: %v", err)
	}
}

// Buffers natives build in Go are checked as they grow.
func TestMemoryBudgetBuffers(t *testing.T) {
	for _, src := range []string{
		"local s = string.rep('x', 2^16) return #string.gsub(s, '.', s)",
		"local t = {} for i = 1, 300 do t[i] = string.rep('x', 2^16) end return #table.concat(t, string.rep('y', 2^16))",
		"local s = string.rep('x', 2^16) local t = {} for i = 1, 300 do t[i] = s .. i end return #cjson.encode(t)",
		"local s = string.rep('x', 2^16) local t = {} for i = 1, 300 do t[i] = s .. i end return #cmsgpack.pack(t)",
		"cjson.encode_sparse_array(false, 0) return cjson.encode({[2^31-1] = 1})",
		"return loadstring(string.rep('a=1 ', 2^20))",
	} {
		L := NewState(Options{MemoryLimit: 8 << 20})
		L.OpenRedisLibs()
		err := runBudget(t, L, src)
		if err == nil || !strings.Contains(err.Error(), "not enough memory") {
			t.Errorf("%s: %v", src, err)
		}
	}
}

// The walk counts a long string once however many slots hold it, and
// sees values in tables, upvalues, metatables and coroutines.
func TestLiveMemory(t *testing.T) {
	L := NewState(Options{})
	base := L.LiveMemory()
	L.SetGlobal("s", String(strings.Repeat("x", 1<<20)))
	if _, err := L.DoString("t = {} for i = 1, 100 do t[i] = s end", "=x"); err != nil {
		t.Fatal(err)
	}
	got := L.LiveMemory() - base
	if got < 1<<20 || got > 1<<20+64<<10 {
		t.Fatalf("a 1 MiB string held 101 times counts %d bytes", got)
	}
	if _, err := L.DoString("local big = string.rep('y', 2^20) f = function() return big end", "=y"); err != nil {
		t.Fatal(err)
	}
	if d := L.LiveMemory() - base - got; d < 1<<20 {
		t.Fatalf("a string held by an upvalue counts %d bytes", d)
	}
}

// After a script that allocated much, its registers do not keep its
// garbage reachable.
func TestReleaseAfterFailure(t *testing.T) {
	L := NewState(Options{MemoryLimit: 64 << 20})
	err := runBudget(t, L, "local keep = string.rep('k', 2^24) local t = {} for i = 1, 2^30 do t[i] = i end")
	if err == nil {
		t.Fatal("no error")
	}
	for i, v := range L.stack {
		if v.t == TypeString && v.strLen() == 1<<24 {
			t.Fatalf("stack slot %d still holds the failed script's 16 MiB string", i)
		}
	}
}

// Nested C calls stop at LUAI_MAXCCALLS as in C Lua: pcall chains and
// coroutine nesting alike.
func TestCCallLimit(t *testing.T) {
	L := NewState(Options{})
	for src, want := range map[string]string{
		"local function f() return pcall(f) end return select('#', f())": "200",
		"local function f(n) local co = coroutine.create(function() return f(n + 1) end) local ok, e = coroutine.resume(co) if not ok then return n end return e end return f(1)": "200",
	} {
		res, err := L.DoString(src, "=c")
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := res[0].String(); got != want {
			t.Errorf("%s: %s, want %s", src, got, want)
		}
	}
}

func BenchmarkLiveMemory(b *testing.B) {
	L := NewState(Options{})
	if _, err := L.DoString("t = {} for i = 1, 1e5 do t[i] = {i, tostring(i)} end", "=b"); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		L.LiveMemory()
	}
}

// BenchmarkBudgetedLoop is a loop that allocates garbage under a budget
// it keeps passing, so it includes the walks.
func BenchmarkBudgetedLoop(b *testing.B) {
	L := NewState(Options{MemoryLimit: 4 << 20})
	c, err := L.Load("local n = 0 for i = 1, 1000 do local s = string.rep('x', 1000) .. i n = n + #s end return n", "=b")
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		if _, err := L.Run(c); err != nil {
			b.Fatal(err)
		}
	}
}
