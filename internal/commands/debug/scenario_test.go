package debug_test

import (
	"path/filepath"
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
	_, addr := startMoonkv(t, nil)
	t.Logf("moonkv at %s", addr)
	compat.Compare(t, path, steps, strings.TrimSuffix(path, ".txt")+".golden", mode, addr, "--enable-debug-command", "yes")
}
