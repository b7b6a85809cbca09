package scripting_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/server"
)

// INFO memory's scripting figures are measured, not constants: they grow
// as scripts and libraries are cached and fall back when they are flushed.
func TestInfoScriptMemory(t *testing.T) {
	s := server.New(server.DefaultConfig(), commands.Registry())
	var w resp.Writer
	run := func(args ...string) string {
		w.Reset()
		s.Call(newCtx(s, &w, args...))
		return string(w.Buf)
	}
	field := func(name string) int64 {
		info := run("INFO", "memory")
		for _, line := range strings.Split(info, "\r\n") {
			if v, ok := strings.CutPrefix(line, name+":"); ok {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					t.Fatalf("%s: %q", name, v)
				}
				return n
			}
		}
		t.Fatalf("INFO memory has no %s", name)
		return 0
	}
	run("EVAL", "return 1", "0")
	lua0, eval0 := field("used_memory_lua"), field("used_memory_scripts_eval")
	if lua0 <= 0 || eval0 <= 0 {
		t.Fatalf("used_memory_lua %d, used_memory_scripts_eval %d", lua0, eval0)
	}
	for i := 0; i < 50; i++ {
		run("EVAL", "local t = {} for i = 1, 10 do t[i] = i * "+strconv.Itoa(i)+" end return #t", "0")
	}
	if lua, eval := field("used_memory_lua"), field("used_memory_scripts_eval"); lua <= lua0 || eval <= eval0 {
		t.Fatalf("after 50 scripts: used_memory_lua %d (was %d), used_memory_scripts_eval %d (was %d)", lua, lua0, eval, eval0)
	}
	run("SCRIPT", "FLUSH")
	if eval := field("used_memory_scripts_eval"); eval != 0 {
		t.Fatalf("after SCRIPT FLUSH used_memory_scripts_eval %d", eval)
	}
	if fn := field("used_memory_functions"); fn != 0 {
		t.Fatalf("no library loaded, used_memory_functions %d", fn)
	}
	if got := run("FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('f', function() return 1 end)"); got != "$3\r\nlib\r\n" {
		t.Fatalf("FUNCTION LOAD: %q", got)
	}
	vmf, fn := field("used_memory_vm_functions"), field("used_memory_functions")
	if vmf <= 0 || fn <= 0 {
		t.Fatalf("used_memory_vm_functions %d, used_memory_functions %d", vmf, fn)
	}
	if total := field("used_memory_vm_total"); total != field("used_memory_lua")+vmf {
		t.Fatalf("used_memory_vm_total %d is not eval + functions", total)
	}
	if scripts := field("used_memory_scripts"); scripts != field("used_memory_scripts_eval")+fn {
		t.Fatalf("used_memory_scripts %d is not eval + functions overheads", scripts)
	}
}
