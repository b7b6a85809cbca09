package server

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestParseMemory(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"100", 100, true}, {"100b", 100, true}, {"1k", 1000, true}, {"1kb", 1024, true},
		{"1KB", 1024, true}, {"2m", 2000000, true}, {"2mb", 2 << 20, true}, {"1g", 1e9, true}, {"1gb", 1 << 30, true},
		{"", 0, true}, {"-1", 0, false}, {"1.5gb", 0, false}, {"1x", 0, false}, {" 1", 0, false},
		{"99999999999999999999gb", 0, false}, {"9223372036854775807", 9223372036854775807, true},
		{"9223372036854775808", 0, false},
	}
	for _, c := range cases {
		got, ok := parseMemory(c.in)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("parseMemory(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestDefaultsRoundTrip(t *testing.T) {
	c := DefaultConfig()
	for _, p := range Params() {
		if p.Name == "dir" {
			continue
		}
		if got := p.Get(&c); got != p.Default {
			t.Errorf("%s: default reads back as %q, want %q", p.Name, got, p.Default)
		}
	}
	if c.Port != 6379 || c.Databases != 16 || c.BusyReplyThreshold != 5*time.Second || c.Hz != 10 {
		t.Errorf("unexpected defaults: %+v", c)
	}
	seen := map[string]bool{}
	for _, p := range Params() {
		for _, n := range append([]string{p.Name}, p.Aliases...) {
			if seen[n] {
				t.Errorf("parameter %s declared twice", n)
			}
			seen[n] = true
		}
		if LookupParam(strings.ToUpper(p.Name)) != p {
			t.Errorf("%s: lookup is not case-insensitive", p.Name)
		}
		for _, a := range p.Aliases {
			if LookupParam(a) != p {
				t.Errorf("alias %s does not find %s", a, p.Name)
			}
		}
	}
}

func newTestServer(t *testing.T) *Server {
	t.Helper()
	s := New(DefaultConfig(), NewRegistry())
	s.ApplyConfig()
	return s
}

func TestConfigSetIsAtomic(t *testing.T) {
	s := newTestServer(t)
	err := s.ConfigSet([]string{"hz", "20", "maxmemory", "10mb", "timeout", "-1"})
	if err == nil || !strings.Contains(err.Error(), "'timeout'") {
		t.Fatalf("want a timeout error, got %v", err)
	}
	if s.Cfg.Hz != 10 || s.Cfg.MaxMemory != 0 {
		t.Fatalf("a failed CONFIG SET changed values: hz=%d maxmemory=%d", s.Cfg.Hz, s.Cfg.MaxMemory)
	}
	if err := s.ConfigSet([]string{"hz", "20", "maxmemory", "10mb", "hash-max-ziplist-entries", "7"}); err != nil {
		t.Fatal(err)
	}
	if s.Cfg.Hz != 20 || s.Cfg.MaxMemory != 10<<20 || s.KS.Limits.HashMaxListpackEntries != 7 {
		t.Fatalf("values not applied: hz=%d maxmemory=%d limit=%d", s.Cfg.Hz, s.Cfg.MaxMemory, s.KS.Limits.HashMaxListpackEntries)
	}
}

func TestConfigSetApplyFailureRestores(t *testing.T) {
	s := newTestServer(t)
	s.Cfg.Port = 0
	if err := s.ListenConfigured(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.Serve()
	// Occupy a port so that moving there fails.
	busy, err := listenAny()
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	_, port, _ := splitHostPort(busy.Addr().String())
	old := s.Cfg.Port
	s.lock() // CONFIG SET runs under the execution lock
	err = s.ConfigSet([]string{"maxmemory", "30", "port", itoa(port)})
	s.unlock()
	if err == nil || !strings.Contains(err.Error(), "Unable to listen on this port") {
		t.Fatalf("want a listen error, got %v", err)
	}
	if s.Cfg.Port != old || s.Cfg.MaxMemory != 0 {
		t.Fatalf("failed apply left port=%d maxmemory=%d", s.Cfg.Port, s.Cfg.MaxMemory)
	}
}

func TestConfigFile(t *testing.T) {
	dir := t.TempDir()
	inc := filepath.Join(dir, "inc.conf")
	os.WriteFile(inc, []byte("maxmemory 2mb\n"), 0o644)
	main := filepath.Join(dir, "moonkv.conf")
	os.WriteFile(main, []byte(strings.Join([]string{
		"# a comment",
		"",
		"port 7777",
		"  bind 127.0.0.1 -::1  ",
		`requirepass "pa ss"`,
		"save 900 1",
		"save 300 10",
		"HZ 20",
		"lua-time-limit 100",
		"include " + inc,
		"notify-keyspace-events Ex",
	}, "\n")), 0o644)
	cfg, err := LoadConfig(main, "port 8888\nmaxmemory 3mb\n")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Port != 8888 || cfg.MaxMemory != 3<<20 || cfg.RequirePass != "pa ss" || cfg.Hz != 20 ||
		cfg.BusyReplyThreshold != 100*time.Millisecond || len(cfg.Bind) != 2 || getSave(&cfg) != "900 1 300 10" ||
		NotifyFlagsString(cfg.NotifyKeyspaceEvents) != "xE" || cfg.ConfigFile != main {
		t.Fatalf("unexpected config: %+v", cfg)
	}

	bad := filepath.Join(dir, "bad.conf")
	os.WriteFile(bad, []byte("port 1\nnosuchdirective 5\n"), 0o644)
	_, err = LoadConfig(bad, "")
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Line != 2 || ce.File != bad || !strings.Contains(err.Error(), "FATAL CONFIG FILE ERROR") ||
		!strings.Contains(err.Error(), "Bad directive or wrong number of arguments") {
		t.Fatalf("unexpected error: %v", err)
	}
	os.WriteFile(bad, []byte("port abc\n"), 0o644)
	if _, err = LoadConfig(bad, ""); err == nil || !strings.Contains(err.Error(), "argument couldn't be parsed into an integer") {
		t.Fatalf("unexpected error: %v", err)
	}
	os.WriteFile(bad, []byte("daemonize yes\n"), 0o644)
	if _, err = LoadConfig(bad, ""); err == nil || !strings.Contains(err.Error(), "daemonize") {
		t.Fatalf("unexpected error: %v", err)
	}
	os.WriteFile(bad, []byte("port \"1\n"), 0o644)
	if _, err = LoadConfig(bad, ""); err == nil || !strings.Contains(err.Error(), "Unbalanced quotes") {
		t.Fatalf("unexpected error: %v", err)
	}
}

func TestParseCommandLine(t *testing.T) {
	file, dirs, err := ParseCommandLine([]string{"x.conf", "--port", "7000", "--bind", "127.0.0.1", "::1", "--save", ""})
	if err != nil || file != "x.conf" || dirs != "port 7000\nbind 127.0.0.1 ::1\nsave \"\"\n" {
		t.Fatalf("got %q %q %v", file, dirs, err)
	}
	cfg := DefaultConfig()
	if err := ApplyConfigText(&cfg, dirs); err != nil || cfg.Port != 7000 || len(cfg.Save) != 0 || len(cfg.Bind) != 2 {
		t.Fatalf("apply: %v %+v", err, cfg)
	}
	// One argument holding several words, as in `redis-server --save
	// "3600 1 300 10"`: Redis splits it (MULTI_ARG_CONFIG), here too.
	_, dirs, err = ParseCommandLine([]string{"--save", "3600 1 300 10", "--bind", "127.0.0.1 ::1"})
	cfg = DefaultConfig()
	if err != nil || ApplyConfigText(&cfg, dirs) != nil || getSave(&cfg) != "3600 1 300 10" || len(cfg.Bind) != 2 {
		t.Fatalf("one argument of several words: %v %q %+v", err, dirs, cfg)
	}
	if _, _, err := ParseCommandLine([]string{"a.conf", "stray"}); err == nil {
		t.Fatal("a value without a directive was accepted")
	}
}

func TestRewrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "moonkv.conf")
	os.WriteFile(path, []byte("# keep me\nport 7000\nhz 20\nhz 30\nsave 100 1\ninclude /dev/null\n"), 0o644)
	cfg, err := LoadConfig(path, "")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Port = 7001
	cfg.MaxMemory = 5 << 20
	cfg.RequirePass = `a "b`
	cfg.Save = nil
	if err := RewriteConfigFile(path, &cfg); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	text := string(data)
	for _, want := range []string{"# keep me\n", "port 7001\n", "hz 30\n", `save ""`, "include /dev/null\n",
		"# Generated by CONFIG REWRITE\n", "maxmemory 5mb\n", `requirepass "a \"b"`, "dir "} {
		if !strings.Contains(text, want) {
			t.Errorf("rewritten file lacks %q:\n%s", want, text)
		}
	}
	if strings.Count(text, "hz ") != 1 {
		t.Errorf("duplicate hz lines kept:\n%s", text)
	}
	back, err := LoadConfig(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if back.Port != 7001 || back.MaxMemory != 5<<20 || back.RequirePass != `a "b` || len(back.Save) != 0 || back.Hz != 30 {
		t.Fatalf("rewritten file reads back as %+v", back)
	}
}

func TestNotifyFlags(t *testing.T) {
	for in, want := range map[string]string{"": "", "A": "A", "KEA": "AKE", "g$": "g$", "xg": "gx", "Km": "Km", "Ag$lshzxetd": "A", "n": "n"} {
		f, ok := ParseNotifyFlags(in)
		if !ok || NotifyFlagsString(f) != want {
			t.Errorf("%q -> %q, want %q", in, NotifyFlagsString(f), want)
		}
	}
	if _, ok := ParseNotifyFlags("Q"); ok {
		t.Error("Q accepted")
	}
}

func BenchmarkConfigGetAll(b *testing.B) {
	s := New(DefaultConfig(), NewRegistry())
	for i := 0; i < b.N; i++ {
		s.configGet([]string{"*"})
	}
}

func listenAny() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

func itoa(n int) string { return strconv.Itoa(n) }

// TestHzChangesTheCron checks that CONFIG SET hz changes the periodic
// task's frequency while the server runs: at hz 100, active expiry
// removes a key within a few ticks of its deadline, which at hz 1 would
// take up to a second.
func TestHzChangesTheCron(t *testing.T) {
	s := newTestServer(t)
	s.Cfg.Port = 0
	s.Cfg.Hz = 1
	if err := s.ListenConfigured(); err != nil {
		t.Fatal(err)
	}
	s.Serve()
	defer s.Close()
	time.Sleep(100 * time.Millisecond) // the periodic task starts at hz 1
	s.lock()
	if err := s.ConfigSet([]string{"hz", "100"}); err != nil {
		t.Fatal(err)
	}
	s.unlock()
	time.Sleep(1100 * time.Millisecond) // the hz 1 ticker fires and switches
	db := s.KS.DBs[0]
	for round := 0; round < 3; round++ {
		s.lock()
		s.KS.Tick()
		k := []byte("k" + itoa(round))
		db.SetString(k, []byte("v"), false)
		db.SetExpire(k, s.KS.Now+30)
		s.unlock()
		time.Sleep(250 * time.Millisecond)
		s.lock()
		n := db.Len()
		s.unlock()
		if n != 0 {
			t.Fatalf("round %d: the expired key was not removed within 220 ms of its deadline", round)
		}
	}
}
