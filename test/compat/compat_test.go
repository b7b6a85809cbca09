package compat

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/moonkv/moonkv"
)

func TestScenarios(t *testing.T) {
	mode := ModeFromEnv(t)
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			RunScenario(t, f, mode)
		})
		if fn, err := HasFunctionsMode(f); err != nil {
			t.Fatal(err)
		} else if fn {
			t.Run(name+"@functions", func(t *testing.T) {
				t.Parallel()
				RunFunctionsScenario(t, f, mode)
			})
		}
	}
}

// RunScenario runs one scenario file against moonkv and compares the
// replies with the golden file and, in live mode, with redis-server.
func RunScenario(t *testing.T, path string, mode Mode) {
	steps, err := ParseScenario(path)
	if err != nil {
		t.Fatal(err)
	}
	runScenarioSteps(t, path, steps, strings.TrimSuffix(path, ".txt")+".golden", mode)
}

// RunFunctionsScenario runs a scenario's @functions variant: each EVAL
// and EVAL_RO made a FUNCTION LOAD and an FCALL (see FunctionSteps),
// compared with <scenario>.functions.golden.
func RunFunctionsScenario(t *testing.T, path string, mode Mode) {
	steps, err := ParseScenario(path)
	if err != nil {
		t.Fatal(err)
	}
	runScenarioSteps(t, path, FunctionSteps(steps), strings.TrimSuffix(path, ".txt")+".functions.golden", mode)
}

func runScenarioSteps(t *testing.T, path string, steps []Step, goldenPath string, mode Mode) {
	srv, err := moonkv.Start(moonkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	Compare(t, path, steps, goldenPath, mode, srv.Addr())
}
