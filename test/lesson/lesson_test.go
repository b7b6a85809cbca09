package lesson

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/moonkv/moonkv"
	"github.com/moonkv/moonkv/test/compat"
)

// python is Debian's interpreter, the one python3-redis installs into.
const python = "/usr/bin/python3"

// seed is the lesson the lesson_*.py programs are copied from. It lives
// outside the repository, so the check that the copies are verbatim only
// runs where it exists.
const seed = "/work/shared/seed/lesson-redis-lua-scripting.md"

// outcome is what a program did, as compared and recorded.
type outcome struct {
	Stdout string `json:"stdout"`
	Exit   int    `json:"exit"`
	// Error is the last line of stderr: the uncaught exception, if any.
	Error string `json:"error"`

	stderr string // whole stderr, temporary paths replaced, for live comparison
}

func requirePython(t *testing.T) {
	t.Helper()
	out, err := exec.Command(python, "-c", "import redis").CombinedOutput()
	if err == nil {
		return
	}
	msg := "the lesson programs need " + python + " with redis-py (apt-get install -y python3-redis): " + err.Error() + " " + string(out)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func TestLesson(t *testing.T) {
	requirePython(t)
	mode := compat.ModeFromEnv(t)
	programs, err := filepath.Glob("testdata/*.py")
	if err != nil || len(programs) == 0 {
		t.Fatalf("no programs in testdata: %v", err)
	}
	for _, prog := range programs {
		name := strings.TrimSuffix(filepath.Base(prog), ".py")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			goldenPath := strings.TrimSuffix(prog, ".py") + ".golden"

			srv, err := moonkv.Start(moonkv.Config{})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			got := runProgram(t, prog, srv.Addr())

			var want *outcome
			if mode.Live {
				w := runProgram(t, prog, compat.StartRedis(t))
				want = &w
				if mode.Record {
					writeGolden(t, goldenPath, w)
				}
			}
			golden := readGolden(t, goldenPath)
			if want == nil {
				want = &golden
			} else {
				if !sameOutcome(golden, *want) {
					t.Errorf("golden outcome is stale (re-record with MOONKV_RECORD=1)\n golden: %+v\n redis:  %+v", golden, *want)
				}
				if got.Exit != 0 && got.stderr != want.stderr {
					t.Errorf("stderr differs from Redis's\n--- redis:\n%s\n--- moonkv:\n%s", want.stderr, got.stderr)
				}
			}
			if !sameOutcome(got, *want) {
				t.Errorf("%s prints differently against moonkv\n--- want (Redis) stdout, exit %d, error %q:\n%s\n--- got (moonkv) stdout, exit %d, error %q:\n%s\n--- moonkv stderr:\n%s",
					prog, want.Exit, want.Error, want.Stdout, got.Exit, got.Error, got.Stdout, got.stderr)
			}
		})
	}
}

func sameOutcome(a, b outcome) bool {
	return a.Stdout == b.Stdout && a.Exit == b.Exit && a.Error == b.Error
}

// runProgram runs a program against the server at addr. The programs say
// port=6379 (the lesson's localhost:6379); the copy that runs says the
// server's port instead.
func runProgram(t *testing.T, path, addr string) outcome {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(src, []byte("port=6379")) {
		t.Fatalf("%s does not connect with port=6379; the test cannot point it at its server", path)
	}
	src = bytes.ReplaceAll(src, []byte("port=6379"), []byte("port="+port))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "program.py"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "program.py")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1", "PYTHONHASHSEED=0")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s against %s did not finish in time\nstdout:\n%s\nstderr:\n%s", path, addr, stdout.String(), stderr.String())
	}
	o := outcome{Stdout: stdout.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		o.Exit = ee.ExitCode()
	case err != nil:
		t.Fatalf("running %s: %v", path, err)
	}
	o.stderr = strings.ReplaceAll(stderr.String(), dir, "<dir>")
	lines := strings.Split(strings.TrimRight(o.stderr, "\n"), "\n")
	o.Error = lines[len(lines)-1]
	return o
}

func writeGolden(t *testing.T, path string, o outcome) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(o); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readGolden(t *testing.T, path string) outcome {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (record it with MOONKV_RECORD=1, redis-server and python3-redis installed)", err)
	}
	var o outcome
	if err := json.Unmarshal(data, &o); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return o
}

// TestLessonCopiesAreVerbatim checks that testdata/lesson_*.py are the
// lesson's Python programs, in order and unchanged.
func TestLessonCopiesAreVerbatim(t *testing.T) {
	md, err := os.ReadFile(seed)
	if err != nil {
		t.Skipf("the lesson is not on this machine (%v); its copies in testdata stand on their own", err)
	}
	blocks := regexp.MustCompile("(?s)```(?:py|python)\n(.*?)```").FindAllSubmatch(md, -1)
	copies, err := filepath.Glob("testdata/lesson_*.py")
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != len(copies) {
		t.Fatalf("the lesson has %d Python programs, testdata has %d copies", len(blocks), len(copies))
	}
	for i, b := range blocks {
		c, err := os.ReadFile(copies[i])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(c, b[1]) {
			t.Errorf("%s is not the lesson's program %d verbatim", copies[i], i+1)
		}
	}
}
