package compat

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

// Compare sends steps (parsed from the scenario at path) to the moonkv at
// addr and checks each reply against the golden file goldenPath and, in
// live mode, against a redis-server started with redisArgs (recording the
// golden file from it with MOONKV_RECORD=1).
func Compare(t *testing.T, path string, steps []Step, goldenPath string, mode Mode, addr string, redisArgs ...string) {
	t.Helper()
	got := runSteps(t, addr, steps)

	var want [][]byte
	if mode.Live {
		want = runSteps(t, StartRedis(t, redisArgs...), steps)
		if mode.Record {
			if err := writeGolden(goldenPath, steps, want, redisArgs); err != nil {
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

func same(st Step, a, b []byte) bool {
	switch {
	case st.Type:
		return len(a) > 0 && len(b) > 0 && a[0] == b[0]
	case st.Sorted:
		return bytes.Equal(Canonical(a), Canonical(b))
	}
	return bytes.Equal(a, b)
}

func runSteps(t *testing.T, addr string, steps []Step) [][]byte {
	s := NewSession(addr)
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

func writeGolden(path string, steps []Step, replies [][]byte, redisArgs []string) error {
	var b bytes.Buffer
	with := ""
	if len(redisArgs) > 0 {
		with = " (" + strings.Join(redisArgs, " ") + ")"
	}
	b.WriteString("# Replies recorded from redis-server 7.0.15" + with + "; re-record with MOONKV_RECORD=1.\n")
	for i, st := range steps {
		fmt.Fprintf(&b, "> %s\n%s\n", st.Text, strconv.Quote(string(replies[i])))
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

func readGolden(path string, steps []Step) ([][]byte, error) {
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
