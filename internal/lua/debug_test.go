package lua

import (
	"fmt"
	"os"
	"syscall"
	"testing"
)

// TestRunFile runs $LUAFILE and prints its output (a development aid).
func TestRunFile(t *testing.T) {
	f := os.Getenv("LUAFILE")
	if f == "" {
		t.Skip()
	}
	fmt.Print(runCorpusFile(t, f))
}

// TestCPUTime runs $LUABENCH once and reports the user CPU time it took,
// for comparing with `/usr/bin/time -f %U lua5.1 file` on a loaded box.
func TestCPUTime(t *testing.T) {
	f := os.Getenv("LUABENCH")
	if f == "" {
		t.Skip()
	}
	src, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	L := NewState(Options{MaxCallDepth: 16000})
	c, err := L.Load(string(src), "@"+f)
	if err != nil {
		t.Fatal(err)
	}
	var r0, r1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
	if _, err := L.Run(c); err != nil {
		t.Fatal(err)
	}
	syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
	us := (r1.Utime.Sec-r0.Utime.Sec)*1e6 + int64(r1.Utime.Usec-r0.Utime.Usec)
	fmt.Printf("moonkv %s user %.3fs\n", f, float64(us)/1e6)
}
