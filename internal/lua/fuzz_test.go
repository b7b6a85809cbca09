package lua

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzCompile feeds arbitrary source to the compiler and, when it
// compiles, runs it under tight limits: nothing may panic or hang.
func FuzzCompile(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.lua")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x")
	f.Add("return ('x'):rep(100):gsub('(x*)*', '%1')")
	f.Fuzz(func(t *testing.T, src string) {
		L := NewState(Options{MemoryLimit: 8 << 20, MaxCallDepth: 200, HookEvery: 1000, Hook: func(L *State) error {
			L.hookCount++
			if L.hookCount > 200 {
				return errBudget
			}
			return nil
		}})
		defer L.CloseCoroutines()
		c, err := L.Load(src, "=fuzz")
		if err != nil {
			return
		}
		if _, err := L.Run(c); err != nil {
			var ie *InternalError
			if errors.As(err, &ie) {
				t.Fatalf("%v\n%s", ie.Panic, ie.Stack)
			}
		}
	})
}
