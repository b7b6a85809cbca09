package debug_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/test/compat"
)

// The DEBUG scenarios live in test/compat/testdata/debug_scenarios: they
// need enable-debug-command yes on both servers, which the shared harness
// (test/compat) does not set, so this test runs them with the harness's
// own pieces. Golden replies are recorded from redis-server 7.0.15 with
// MOONKV_RECORD=1, compared live with MOONKV_ORACLE=live.
const scenarioDir = "../../../test/compat/testdata/debug_scenarios"

// startMoonkv starts a moonkv with DEBUG enabled and persistence in a
// private directory.
func startMoonkv(t testing.TB, edit func(*server.Config)) (*server.Server, string) {
	t.Helper()
	sc := server.DefaultConfig()
	sc.Port = 0
	sc.Bind = []string{"127.0.0.1"}
	sc.EnableDebugCommand = "yes"
	sc.Save = nil
	sc.AppendOnly = false
	sc.Dir = t.TempDir()
	if edit != nil {
		edit(&sc)
	}
	s := server.New(sc, commands.Registry())
	if err := s.OpenPersistence(); err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	s.Serve()
	t.Cleanup(func() { s.Close() })
	return s, s.Addr().String()
}

func TestDebugScenarios(t *testing.T) {
	mode := compat.ModeFromEnv(t)
	files, err := filepath.Glob(filepath.Join(scenarioDir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios in %s: %v", scenarioDir, err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runScenario(t, f, mode)
		})
	}
}

func runScenario(t *testing.T, path string, mode compat.Mode) {
	steps, err := compat.ParseScenario(path)
	if err != nil {
		t.Fatal(err)
	}
	goldenPath := strings.TrimSuffix(path, ".txt") + ".golden"
	_, addr := startMoonkv(t, nil)
	t.Logf("moonkv at %s", addr)
	got := runSteps(t, addr, steps)
	var want [][]byte
	if mode.Live {
		want = runSteps(t, compat.StartRedis(t, "--enable-debug-command", "yes"), steps)
		if mode.Record {
			if err := writeGolden(goldenPath, steps, want); err != nil {
				t.Fatal(err)
			}
		}
	}
	golden, err := readGolden(goldenPath, steps)
	if err != nil {
		t.Fatalf("%v (record it with MOONKV_RECORD=1 and redis-server installed)", err)
	}
	if want == nil {
		want = golden
	} else {
		for i := range steps {
			if !same(steps[i], golden[i], want[i]) {
				t.Errorf("%s:%d: golden reply is stale: %s\n golden: %q\n redis:  %q", path, steps[i].Line, steps[i].Text, golden[i], want[i])
			}
		}
	}
	for i, st := range steps {
		if !same(st, want[i], got[i]) {
			t.Errorf("%s:%d: %s\n want: %q\n got:  %q", path, st.Line, st.Text, want[i], got[i])
		}
	}
}

func same(st compat.Step, a, b []byte) bool {
	switch {
	case st.Type:
		return len(a) > 0 && len(b) > 0 && a[0] == b[0]
	case st.Sorted:
		return bytes.Equal(compat.Canonical(a), compat.Canonical(b))
	}
	return bytes.Equal(a, b)
}

func runSteps(t *testing.T, addr string, steps []compat.Step) [][]byte {
	s := compat.NewSession(addr)
	defer s.Close()
	out := make([][]byte, len(steps))
	for i, st := range steps {
		r, err := s.Do(st)
		if err != nil {
			t.Fatalf("line %d: %s: %v", st.Line, st.Text, err)
		}
		out[i] = r
	}
	return out
}

func writeGolden(path string, steps []compat.Step, replies [][]byte) error {
	var b bytes.Buffer
	b.WriteString("# Replies recorded from redis-server 7.0.15 (enable-debug-command yes); re-record with MOONKV_RECORD=1.\n")
	for i, st := range steps {
		fmt.Fprintf(&b, "> %s\n%s\n", st.Text, strconv.Quote(string(replies[i])))
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

func readGolden(path string, steps []compat.Step) ([][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	var out [][]byte
	var cmd string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "> "):
			cmd = line[2:]
		default:
			r, err := strconv.Unquote(line)
			if err != nil {
				return nil, fmt.Errorf("%s: bad reply line %q", path, line)
			}
			i := len(out)
			if i >= len(steps) || steps[i].Text != cmd {
				return nil, fmt.Errorf("%s: golden file does not match the scenario at %q", path, cmd)
			}
			out = append(out, []byte(r))
		}
	}
	if len(out) != len(steps) {
		return nil, fmt.Errorf("%s: golden file has %d replies for %d steps", path, len(out), len(steps))
	}
	return out, sc.Err()
}
