package lua

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The differential corpus: testdata/*.lua run here must print exactly
// what lua5.1 printed when the .golden files were recorded. Regenerate
// with MOONKV_LUA_ORACLE=record; compare live with MOONKV_LUA_ORACLE=1.

func runCorpusFile(t testing.TB, path string) string {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	L := NewState(Options{Print: func(s string) { out.WriteString(s); out.WriteByte('\n') }, MaxCallDepth: 16000})
	if strings.HasPrefix(filepath.Base(path), "cjson") {
		L.OpenCjson()
	}
	c, err := L.Load(string(src), "@"+filepath.Base(path))
	if err != nil {
		out.WriteString("lua5.1: " + err.Error() + "\n")
		return out.String()
	}
	if _, err := L.Run(c); err != nil {
		out.WriteString("lua5.1: " + err.Error() + "\n")
	}
	return out.String()
}

func oracle(t *testing.T, path string) string {
	cmd := exec.Command("lua5.1", filepath.Base(path))
	cmd.Dir = filepath.Dir(path)
	var out, errb bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errb
	_ = cmd.Run()
	s := out.String()
	if e := errb.String(); e != "" {
		// Keep only the message line of an uncaught error.
		s += strings.SplitN(e, "\n", 2)[0] + "\n"
	}
	return s
}

func corpusFiles(t *testing.T) []string {
	files, err := filepath.Glob("testdata/*.lua")
	if err != nil || len(files) == 0 {
		t.Fatal("no corpus files", err)
	}
	return files
}

func TestCorpus(t *testing.T) {
	mode := os.Getenv("MOONKV_LUA_ORACLE")
	if mode != "" {
		if _, err := exec.LookPath("lua5.1"); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("MOONKV_LUA_ORACLE set but lua5.1 is not installed")
			}
			t.Skip("lua5.1 not installed")
		}
	}
	for _, f := range corpusFiles(t) {
		f := f
		t.Run(strings.TrimSuffix(filepath.Base(f), ".lua"), func(t *testing.T) {
			golden := strings.TrimSuffix(f, ".lua") + ".golden"
			var want string
			switch mode {
			case "record":
				want = oracle(t, f)
				if err := os.WriteFile(golden, []byte(want), 0o644); err != nil {
					t.Fatal(err)
				}
			case "":
				b, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("missing golden file: %v", err)
				}
				want = string(b)
			default:
				want = oracle(t, f)
			}
			got := runCorpusFile(t, f)
			if got != want {
				t.Errorf("output differs from lua5.1\n%s", diffLines(want, got))
			}
		})
	}
}

func diffLines(want, got string) string {
	w := strings.Split(want, "\n")
	g := strings.Split(got, "\n")
	var b strings.Builder
	n := len(w)
	if len(g) > n {
		n = len(g)
	}
	shown := 0
	for i := 0; i < n && shown < 15; i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			b.WriteString("line " + itoa(i+1) + ":\n  lua5.1: " + a + "\n  moonkv: " + c + "\n")
			shown++
		}
	}
	return b.String()
}

func itoa(i int) string { return formatNumber(float64(i)) }
