package persist

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/moonkv/moonkv/internal/rerr"
)

func cmd(s string) [][]byte {
	var out [][]byte
	for _, f := range strings.Fields(s) {
		out = append(out, []byte(f))
	}
	return out
}

func join(args [][]byte) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = string(a)
	}
	return strings.Join(parts, " ")
}

func load(t *testing.T, opts Options) ([]string, LoadStats, error) {
	t.Helper()
	a, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var got []string
	st, err := a.Load(nil, func(args [][]byte) error {
		got = append(got, join(args))
		return nil
	})
	return got, st, err
}

func TestAppendWaitLoad(t *testing.T) {
	for _, policy := range []Fsync{FsyncAlways, FsyncEverySec, FsyncNo} {
		t.Run(policy.String(), func(t *testing.T) {
			opts := Options{Dir: t.TempDir(), Fsync: policy, LoadTruncated: true}
			a, err := Open(opts)
			if err != nil {
				t.Fatal(err)
			}
			off := a.Append(0, cmd("SET a 1"))
			off = max(off, a.Append(3, cmd("SET b 2")))
			if err := a.Wait(off); err != nil {
				t.Fatal(err)
			}
			// acknowledged bytes are in the file before Close
			data, _ := os.ReadFile(a.Files()[1])
			if int64(len(data)) < off {
				t.Fatalf("after Wait the file has %d bytes, want %d", len(data), off)
			}
			a.Append(3, cmd("DEL b"))
			if err := a.Close(); err != nil {
				t.Fatal(err)
			}
			got, st, err := load(t, opts)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"SELECT 0", "SET a 1", "SELECT 3", "SET b 2", "DEL b"}
			if fmt.Sprint(got) != fmt.Sprint(want) || st.Truncated {
				t.Fatalf("loaded %q (truncated %v), want %q", got, st.Truncated, want)
			}
		})
	}
}

func TestManifestLayout(t *testing.T) {
	dir := t.TempDir()
	a, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	data, err := os.ReadFile(filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest"))
	if err != nil {
		t.Fatal(err)
	}
	want := "file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
	if string(data) != want {
		t.Fatalf("manifest:\n%s\nwant:\n%s", data, want)
	}
}

// A crash can cut the last write anywhere: every prefix of the file must
// load, keeping exactly the complete commands, and never half a MULTI.
func TestTornTailEveryOffset(t *testing.T) {
	base := t.TempDir()
	a, err := Open(Options{Dir: base, Fsync: FsyncAlways})
	if err != nil {
		t.Fatal(err)
	}
	a.Append(0, cmd("SET a 1"))
	a.Append(0, cmd("MULTI"))
	a.Append(0, cmd("SET b 2"))
	a.Append(0, cmd("INCR c"))
	a.Append(0, cmd("EXEC"))
	off := a.Append(0, cmd("SET d 4"))
	a.Wait(off)
	a.Close()
	full, err := os.ReadFile(a.Files()[1])
	if err != nil {
		t.Fatal(err)
	}
	// the complete prefixes and what they must load
	units := []struct {
		end  int
		cmds []string
	}{}
	{
		enc := func(s string) []byte { return appendCommand(nil, cmd(s)...) }
		n := 0
		steps := []struct {
			c    string
			keep []string
		}{
			{"SELECT 0", []string{"SELECT 0"}},
			{"SET a 1", []string{"SELECT 0", "SET a 1"}},
			{"MULTI", nil}, {"SET b 2", nil}, {"INCR c", nil},
			{"EXEC", []string{"SELECT 0", "SET a 1", "MULTI", "SET b 2", "INCR c", "EXEC"}},
			{"SET d 4", []string{"SELECT 0", "SET a 1", "MULTI", "SET b 2", "INCR c", "EXEC", "SET d 4"}},
		}
		var lastKeep []string
		for _, s := range steps {
			n += len(enc(s.c))
			if s.keep != nil {
				lastKeep = s.keep
			}
			units = append(units, struct {
				end  int
				cmds []string
			}{n, lastKeep})
		}
		if n != len(full) {
			t.Fatalf("encoded %d bytes, file has %d", n, len(full))
		}
	}
	expect := func(size int) []string {
		var keep []string
		for _, u := range units {
			if u.end <= size {
				keep = u.cmds
			}
		}
		return keep
	}
	for size := 0; size <= len(full); size++ {
		dir := t.TempDir()
		src := filepath.Join(base, "appendonlydir")
		dst := filepath.Join(dir, "appendonlydir")
		os.MkdirAll(dst, 0o755)
		for _, name := range []string{"appendonly.aof.manifest", "appendonly.aof.1.base.aof"} {
			b, _ := os.ReadFile(filepath.Join(src, name))
			os.WriteFile(filepath.Join(dst, name), b, 0o644)
		}
		os.WriteFile(filepath.Join(dst, "appendonly.aof.1.incr.aof"), full[:size], 0o644)
		_, st, err := load(t, Options{Dir: dir, LoadTruncated: true})
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		// after the cut, a load gives exactly the kept commands and
		// needs no further cut
		got, st2, err := load(t, Options{Dir: dir, LoadTruncated: true})
		if err != nil {
			t.Fatalf("size %d, reload: %v", size, err)
		}
		want := expect(size)
		if fmt.Sprint(got) != fmt.Sprint(want) || st2.Truncated {
			t.Fatalf("size %d: after the cut loaded %q (cut again: %v), want %q", size, got, st2.Truncated, want)
		}
		// the first load cut exactly when the prefix held more than the
		// complete units it kept
		clean := sumLen(want) == size
		if st.Truncated == clean {
			t.Fatalf("size %d: truncated=%v, clean prefix=%v", size, st.Truncated, clean)
		}
	}
}

func sumLen(cmds []string) int {
	n := 0
	for _, c := range cmds {
		n += len(appendCommand(nil, cmd(c)...))
	}
	return n
}

func TestTornTailRefusedWithoutLoadTruncated(t *testing.T) {
	dir := t.TempDir()
	a, _ := Open(Options{Dir: dir})
	off := a.Append(0, cmd("SET a 1"))
	a.Wait(off)
	a.Close()
	path := a.Files()[1]
	data, _ := os.ReadFile(path)
	os.WriteFile(path, data[:len(data)-3], 0o644)
	if _, _, err := load(t, Options{Dir: dir}); err == nil || !strings.Contains(err.Error(), "aof-load-truncated") {
		t.Fatalf("want a refusal naming aof-load-truncated, got %v", err)
	}
}

func TestCorruptionIsAnError(t *testing.T) {
	dir := t.TempDir()
	a, _ := Open(Options{Dir: dir})
	off := a.Append(0, cmd("SET a 1"))
	a.Wait(off)
	a.Close()
	path := a.Files()[1]
	data, _ := os.ReadFile(path)
	data = append([]byte("*2\r\n$3\r\nGET\r\n!!garbage"), data...)
	os.WriteFile(path, data, 0o644)
	if _, _, err := load(t, Options{Dir: dir, LoadTruncated: true}); err == nil {
		t.Fatal("corruption in the middle loaded without error")
	}
}

// Many clients waiting under "always" share fsyncs and all return.
func TestGroupCommit(t *testing.T) {
	a, err := Open(Options{Dir: t.TempDir(), Fsync: FsyncAlways})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var mu sync.Mutex // stands in for the execution lock
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				mu.Lock()
				off := a.Append(0, cmd(fmt.Sprintf("SET k%d %d", g, i)))
				mu.Unlock()
				if err := a.Wait(off); err != nil {
					t.Error(err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.synced != a.appended || len(a.pending) != 0 {
		t.Fatalf("synced %d of %d appended, %d pending", a.synced, a.appended, len(a.pending))
	}
}

func BenchmarkAppendWaitAlways(b *testing.B) {
	a, err := Open(Options{Dir: b.TempDir(), Fsync: FsyncAlways})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	args := cmd("SET key:000000012345 xxx")
	var mu sync.Mutex
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			mu.Lock()
			off := a.Append(0, args)
			mu.Unlock()
			a.Wait(off)
		}
	})
	b.StopTimer()
	a.mu.Lock()
	b.ReportMetric(float64(b.N)/float64(max(a.fsyncs, 1)), "writes/fsync")
	a.mu.Unlock()
}

// FuzzAOFLoad: whatever bytes the incremental file holds, loading is an
// error or a list of commands, never a panic or a hang.
func FuzzAOFLoad(f *testing.F) {
	f.Add(appendCommand(appendCommand(nil, cmd("MULTI")...), cmd("SET a 1")...))
	f.Add([]byte("*2\r\n$3\r\nGET\r\n$1\r\na\r\n*1\r\n$4\r\nEXEC\r\n"))
	f.Add([]byte("*99999999999\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		a, err := Open(Options{Dir: dir, LoadTruncated: true})
		if err != nil {
			t.Fatal(err)
		}
		path := a.Files()[1]
		a.Close()
		os.WriteFile(path, data, 0o644)
		b, err := Open(Options{Dir: dir, LoadTruncated: true})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		b.Load(nil, func(args [][]byte) error { return nil })
	})
}

// A write that fails stops the AOF: Wait reports it, Broken says so
// without a.mu (the server then refuses writes with MISCONF), and the
// error keeps the errno Redis's message names. Once the disk takes writes
// again, the retry (once a second) writes what was held back and the AOF
// accepts writes again, every record whole.
func TestWriteFailureBreaksAndRecovers(t *testing.T) {
	opts := Options{Dir: t.TempDir(), Fsync: FsyncEverySec}
	a, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	if a.Broken() {
		t.Fatal("a new AOF is broken")
	}
	if err := a.Wait(a.Append(0, cmd("SET k v"))); err != nil {
		t.Fatal(err)
	}
	// a full disk under the AOF's descriptor
	devFull, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full")
	}
	defer devFull.Close()
	fd := int(a.file.Fd())
	saved, err := syscall.Dup(fd)
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(saved)
	if err := syscall.Dup2(int(devFull.Fd()), fd); err != nil {
		t.Fatal(err)
	}
	err = a.Wait(a.Append(0, cmd("SET k w")))
	if err == nil || !a.Broken() || !errors.Is(a.Err(), syscall.ENOSPC) {
		t.Fatalf("write to a full disk: err %v, broken %v, Err %v", err, a.Broken(), a.Err())
	}
	if got := rerr.MisconfAOF(a.Err()).Error(); got != "MISCONF Errors writing to the AOF file: No space left on device" {
		t.Fatalf("MISCONF text %q", got)
	}
	a.Append(0, cmd("SET k x")) // appended while broken: held too

	// space again
	if err := syscall.Dup2(saved, fd); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for a.Broken() {
		if time.Now().After(deadline) {
			t.Fatalf("still broken after the disk recovered: %v", a.Err())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := a.Wait(a.Append(0, cmd("SET k y"))); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	got, st, err := load(t, Options{Dir: opts.Dir})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"SELECT 0", "SET k v", "SET k w", "SET k x", "SET k y"}
	if fmt.Sprint(got) != fmt.Sprint(want) || st.Truncated {
		t.Fatalf("loaded %q (truncated %v), want %q", got, st.Truncated, want)
	}
}

// A write that failed halfway is cut off the file, so that the retry
// writes its records whole.
func TestCutShortWrite(t *testing.T) {
	a, err := Open(Options{Dir: t.TempDir(), Fsync: FsyncEverySec})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.Wait(a.Append(0, cmd("SET k v"))); err != nil {
		t.Fatal(err)
	}
	st, _ := a.file.Stat()
	a.file.Write([]byte("*3\r\n$3\r\nSE")) // the part a short write left
	if kept := a.cutShortWrite(10); kept != 0 {
		t.Fatalf("kept %d bytes", kept)
	}
	if after, _ := a.file.Stat(); after.Size() != st.Size() {
		t.Fatalf("size %d after the cut, want %d", after.Size(), st.Size())
	}
}
