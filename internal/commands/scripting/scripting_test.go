package scripting_test

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/server"
)

const counter = `local current = redis.call('get', KEYS[1])
if current then
    current = tonumber(current)
    redis.call('set', KEYS[1], current + ARGV[1])
    return current + ARGV[1]
else
    redis.call('set', KEYS[1], ARGV[1])
    return ARGV[1]
end`

func startServer(t *testing.T, threshold time.Duration) *server.Server {
	t.Helper()
	cfg := server.DefaultConfig()
	cfg.Port = 0
	cfg.BusyReplyThreshold = threshold
	s := server.New(cfg, commands.Registry())
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	s.Serve()
	t.Cleanup(func() { s.Close() })
	return s
}

type conn struct {
	t  *testing.T
	c  net.Conn
	rd *bufio.Reader
}

func dial(t *testing.T, s *server.Server) *conn {
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &conn{t: t, c: c, rd: bufio.NewReader(c)}
}

func (c *conn) send(args ...string) {
	var b strings.Builder
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	if _, err := c.c.Write([]byte(b.String())); err != nil {
		c.t.Fatal(err)
	}
}

// line reads one single-line reply within d.
func (c *conn) line(d time.Duration) string {
	c.c.SetReadDeadline(time.Now().Add(d))
	l, err := c.rd.ReadString('\n')
	if err != nil {
		c.t.Fatalf("reading reply: %v", err)
	}
	return strings.TrimRight(l, "\r\n")
}

func (c *conn) do(args ...string) string {
	c.send(args...)
	return c.line(5 * time.Second)
}

// TestBusyScriptKill: a script past busy-reply-threshold makes other
// clients answer -BUSY at once; SCRIPT KILL stops it even through pcall;
// the server then serves normally.
func TestBusyScriptKill(t *testing.T) {
	s := startServer(t, 150*time.Millisecond)
	a, b := dial(t, s), dial(t, s)
	for _, body := range []string{
		"local i = 0 while true do i = i + 1 end",
		"while true do pcall(function() while true do end end) end",
	} {
		a.send("EVAL", body, "0")
		time.Sleep(400 * time.Millisecond)
		start := time.Now()
		if got := b.do("PING"); !strings.HasPrefix(got, "-BUSY ") {
			t.Fatalf("PING during a busy script: %q", got)
		}
		if time.Since(start) > 3*time.Second {
			t.Fatalf("BUSY took %v", time.Since(start))
		}
		if got := b.do("SCRIPT", "KILL"); got != "+OK" {
			t.Fatalf("SCRIPT KILL: %q", got)
		}
		got := a.line(5 * time.Second)
		if !strings.HasPrefix(got, "-ERR Script killed by user with SCRIPT KILL... script: ") {
			t.Fatalf("killed script replied %q", got)
		}
		if got := b.do("PING"); got != "+PONG" {
			t.Fatalf("PING after kill: %q", got)
		}
	}
	if got := b.do("SCRIPT", "KILL"); got != "-NOTBUSY No scripts in execution right now." {
		t.Fatalf("SCRIPT KILL with nothing running: %q", got)
	}
}

// TestBusyScriptUnkillable: a script that wrote cannot be killed; it runs
// to its end and its writes stay.
func TestBusyScriptUnkillable(t *testing.T) {
	s := startServer(t, 100*time.Millisecond)
	a, b := dial(t, s), dial(t, s)
	// A bounded loop that outlives the threshold.
	a.send("EVAL", "redis.call('set','w','1') local n = 0 for i = 1, 1e7 do n = n + i end return 1", "0")
	time.Sleep(250 * time.Millisecond)
	got := b.do("SCRIPT", "KILL")
	if !strings.HasPrefix(got, "-UNKILLABLE Sorry the script already executed write commands") {
		// The loop may already have ended on a fast machine.
		if got != "-NOTBUSY No scripts in execution right now." {
			t.Fatalf("SCRIPT KILL of a writing script: %q", got)
		}
	}
	if got := a.line(30 * time.Second); got != ":1" {
		t.Fatalf("script reply %q", got)
	}
	if got := b.do("GET", "w"); got != "$1" {
		t.Fatalf("GET w: %q", got)
	}
}

func newCtx(s *server.Server, w *resp.Writer, args ...string) *server.Ctx {
	a := make([][]byte, len(args))
	for i, x := range args {
		a[i] = []byte(x)
	}
	return &server.Ctx{Srv: s, KS: s.KS, DB: s.KS.DBs[0], R: w, Args: a, Spec: s.Reg.LookupArgs(a)}
}

func TestCounterInProcess(t *testing.T) {
	s := server.New(server.DefaultConfig(), commands.Registry())
	var w resp.Writer
	c := newCtx(s, &w, "SCRIPT", "LOAD", counter)
	s.Call(c)
	sha := strings.Split(string(w.Buf), "\r\n")[1]
	for i, want := range []string{"$1\r\n5\r\n", ":10\r\n", ":15\r\n"} {
		w.Reset()
		s.Call(newCtx(s, &w, "EVALSHA", sha, "1", "counter", "5"))
		if string(w.Buf) != want {
			t.Fatalf("call %d: %q, want %q", i, w.Buf, want)
		}
	}
}

func BenchmarkEvalshaCounter(b *testing.B) {
	s := server.New(server.DefaultConfig(), commands.Registry())
	var w resp.Writer
	s.Call(newCtx(s, &w, "SCRIPT", "LOAD", counter))
	sha := strings.Split(string(w.Buf), "\r\n")[1]
	c := newCtx(s, &w, "EVALSHA", sha, "1", "counter", "1")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.Reset()
		s.Call(c)
	}
}

func BenchmarkEvalCPULoop(b *testing.B) {
	s := server.New(server.DefaultConfig(), commands.Registry())
	var w resp.Writer
	c := newCtx(s, &w, "EVAL", "local s=0 for i=1,100000 do s=s+i end return s", "0")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.Reset()
		s.Call(c)
	}
	if string(w.Buf) != ":5000050000\r\n" {
		b.Fatalf("reply %q", w.Buf)
	}
}

// TestOOM: with maxmemory exceeded, a script without flags may not run a
// deny-oom command before it has written; a script with a shebang needs
// allow-oom (or no-writes) to run at all.
func TestOOM(t *testing.T) {
	cfg := server.DefaultConfig()
	cfg.MaxMemory = 1 // always exceeded
	s := server.New(cfg, commands.Registry())
	var w resp.Writer
	for _, c := range []struct{ body, want string }{
		{"return redis.call('set','x','1')", "-OOM command not allowed when used memory > 'maxmemory'. script: "},
		{"return redis.pcall('set','x','1')", "-OOM command not allowed when used memory > 'maxmemory'.\r\n"},
		{"return redis.call('get','x')", "$-1\r\n"},
		{"redis.call('del','x') return redis.call('set','x','1')", "+OK\r\n"},
		{"#!lua\nreturn redis.call('get','x')", "-OOM command not allowed when used memory > 'maxmemory'.\r\n"},
		{"#!lua flags=allow-oom\nreturn redis.call('set','x','2')", "+OK\r\n"},
		{"#!lua flags=no-writes\nreturn redis.call('get','x')", "$1\r\n2\r\n"},
	} {
		w.Reset()
		s.Call(newCtx(s, &w, "EVAL", c.body, "0"))
		if !strings.HasPrefix(string(w.Buf), c.want) {
			t.Errorf("%q: %q, want %q...", c.body, w.Buf, c.want)
		}
	}
}

// TestPropagation: a script's writes reach the propagator as its effects,
// wrapped in MULTI/EXEC when there are several; EVAL itself is not
// propagated, and redis.set_repl(redis.REPL_NONE) stops propagation.
func TestPropagation(t *testing.T) {
	s, expect, _ := effectsServer(t)
	c := dial(t, s)
	c.do("EVAL", "redis.call('set','a','1') redis.call('set','b','2') return 1", "0")
	expect("MULTI|set a 1|set b 2|EXEC")
	c.do("EVAL", "return redis.call('set',KEYS[1],ARGV[1])", "1", "k", "v")
	expect("set k v")
	c.do("EVAL", "redis.set_repl(redis.REPL_NONE) redis.call('set','c','3') return 1", "0")
	c.do("EVAL", "return redis.call('get','a')", "0")
	c.do("EVAL", "redis.call('set','d','4') return 1", "0")
	expect("set d 4")
}

// effectsServer starts a server that records each execution unit's
// effects ("set a 1|set b 2"). expect waits for the next unit's and
// compares; none fails if a unit's effects are waiting.
func effectsServer(t *testing.T) (s *server.Server, expect func(want string), none func()) {
	t.Helper()
	cfg := server.DefaultConfig()
	cfg.Port = 0
	s = server.New(cfg, commands.Registry())
	got := make(chan string, 16)
	s.Propagator = func(effs []server.Effect) {
		var out []string
		for _, e := range effs {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a))
			}
			out = append(out, strings.Join(parts, " "))
		}
		got <- strings.Join(out, "|")
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	s.Serve()
	t.Cleanup(func() { s.Close() })
	expect = func(want string) {
		t.Helper()
		select {
		case g := <-got:
			if g != want {
				t.Fatalf("effects %q, want %q", g, want)
			}
		case <-time.After(2 * time.Second):
			t.Fatalf("no effects, want %q", want)
		}
	}
	none = func() {
		t.Helper()
		select {
		case g := <-got:
			t.Fatalf("unexpected effects %q", g)
		default:
		}
	}
	return s, expect, none
}
