package keys_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/commands/keys"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/test/compat"
)

// clock is a fake clock safe to move while the server reads it.
type clock struct{ ms atomic.Int64 }

func (c *clock) NowMs() int64              { return c.ms.Load() }
func (c *clock) Advance(d time.Duration)   { c.ms.Add(d.Milliseconds()) }
func newClock() *clock                     { c := &clock{}; c.ms.Store(1_700_000_000_000); return c }
func (c *clock) at(d time.Duration) string { return strconv.FormatInt(c.NowMs()+d.Milliseconds(), 10) }

// harness is a moonkv server on a fake clock, recording what it
// propagates, with one client connection.
type harness struct {
	t     *testing.T
	clk   *clock
	srv   *server.Server
	sess  *compat.Session
	mu    sync.Mutex
	props []string
}

func start(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, clk: newClock()}
	cfg := server.DefaultConfig()
	cfg.Port = 0
	cfg.Clock = h.clk
	// Active expiry would race with the assertions on lazy expiry.
	cfg.Hz = 1
	h.srv = server.New(cfg, commands.Registry())
	h.srv.Propagator = func(effects []server.Effect) {
		h.mu.Lock()
		defer h.mu.Unlock()
		for _, e := range effects {
			parts := make([]string, len(e.Args))
			for i, a := range e.Args {
				parts[i] = string(a)
			}
			h.props = append(h.props, fmt.Sprintf("%d %s", e.DB, strings.Join(parts, " ")))
		}
	}
	if err := h.srv.Listen(); err != nil {
		t.Fatal(err)
	}
	h.srv.Serve()
	h.sess = compat.NewSession(h.srv.Addr().String())
	t.Cleanup(func() {
		h.sess.Close()
		h.srv.Close()
	})
	return h
}

// do sends a command and returns its reply rendered loosely: integers and
// strings as text, nil as "(nil)", errors with their text, arrays in [].
func (h *harness) do(args ...string) string {
	h.t.Helper()
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	raw, err := h.sess.Do(compat.Step{Conn: 1, Args: bs})
	if err != nil {
		h.t.Fatalf("%v: %v", args, err)
	}
	return render(raw)
}

func (h *harness) expect(want string, args ...string) {
	h.t.Helper()
	if got := h.do(args...); got != want {
		h.t.Errorf("%s: got %s, want %s", strings.Join(args, " "), got, want)
	}
}

// propagated returns and forgets what was propagated so far.
func (h *harness) propagated() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	p := h.props
	h.props = nil
	return p
}

func render(raw []byte) string {
	s, _ := renderOne(raw)
	return s
}

func renderOne(raw []byte) (string, []byte) {
	i := strings.Index(string(raw), "\r\n")
	line, rest := string(raw[1:i]), raw[i+2:]
	switch raw[0] {
	case '+', ':':
		return line, rest
	case '-':
		return "ERR(" + line + ")", rest
	case '$':
		n, _ := strconv.Atoi(line)
		if n < 0 {
			return "(nil)", rest
		}
		return string(rest[:n]), rest[n+2:]
	case '*':
		n, _ := strconv.Atoi(line)
		if n < 0 {
			return "(nil)", rest
		}
		parts := make([]string, n)
		for j := range parts {
			parts[j], rest = renderOne(rest)
		}
		return "[" + strings.Join(parts, " ") + "]", rest
	}
	return "?" + string(raw), nil
}

func TestParseCursor(t *testing.T) {
	cases := []struct {
		in   string
		want uint64
		ok   bool
	}{
		{"0", 0, true}, {"", 0, true}, {"00", 0, true}, {"+5", 5, true}, {"-0", 0, true},
		{"-1", 1<<64 - 1, true}, {"18446744073709551615", 1<<64 - 1, true},
		{"-18446744073709551615", 1, true}, {"18446744073709551616", 0, false},
		{"99999999999999999999", 0, false}, {"12\x00junk", 12, true}, {"\x00", 0, true},
		{" 1", 0, false}, {"\t1", 0, false}, {"1 ", 0, false}, {"+", 0, false}, {"-", 0, false},
		{"1.0", 0, false}, {"0x1", 0, false}, {"abc", 0, false},
	}
	for _, c := range cases {
		got, ok := keys.ParseCursor([]byte(c.in))
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("ParseCursor(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestParseScanOptions(t *testing.T) {
	split := func(s string) [][]byte {
		var out [][]byte
		for _, f := range strings.Fields(s) {
			out = append(out, []byte(f))
		}
		return out
	}
	o, err := keys.ParseScanOptions(split("MATCH a* COUNT 7 TYPE hash"), true)
	if err != nil || o.Count != 7 || o.Pattern == nil || o.Pattern.String() != "a*" || o.Type != "hash" || !o.HasType {
		t.Errorf("got %+v, %v", o, err)
	}
	if o, _ := keys.ParseScanOptions(split("MATCH a* MATCH *"), true); o.Pattern != nil || o.Count != 10 {
		t.Errorf("MATCH * should mean no filter: %+v", o)
	}
	for _, bad := range []string{"COUNT 0", "COUNT -3", "COUNT x", "MATCH", "FOO bar", "COUNT 1 MATCH"} {
		if _, err := keys.ParseScanOptions(split(bad), true); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := keys.ParseScanOptions(split("TYPE string"), false); err == nil {
		t.Error("TYPE accepted where it is not allowed")
	}
}

// TestPropagation checks the effects written to the AOF and replicas, as
// Redis 7.0 writes them (checked against an appendonly redis-server).
func TestPropagation(t *testing.T) {
	h := start(t)
	h.do("SET", "k", "v")
	h.propagated()
	steps := []struct {
		args []string
		want []string
	}{
		{[]string{"EXPIRE", "k", "100", "NX"}, []string{"0 PEXPIREAT k " + h.clk.at(100*time.Second) + " NX"}},
		{[]string{"EXPIRE", "k", "100", "NX"}, nil},
		{[]string{"PEXPIRE", "k", "5000", "xx"}, []string{"0 PEXPIREAT k " + h.clk.at(5*time.Second) + " xx"}},
		{[]string{"EXPIREAT", "k", "4000000000"}, []string{"0 PEXPIREAT k 4000000000000"}},
		{[]string{"PEXPIREAT", "k", "4000000000001"}, []string{"0 PEXPIREAT k 4000000000001"}},
		{[]string{"PERSIST", "k"}, []string{"0 PERSIST k"}},
		{[]string{"PERSIST", "k"}, nil},
		{[]string{"EXPIRE", "k", "-1"}, []string{"0 DEL k"}},
		{[]string{"EXPIRE", "k", "10"}, nil},
		{[]string{"SET", "a", "1"}, []string{"0 SET a 1"}},
		{[]string{"UNLINK", "a", "nosuch"}, []string{"0 UNLINK a nosuch"}},
		{[]string{"DEL", "a"}, nil},
		{[]string{"SET", "s", "v"}, []string{"0 SET s v"}},
		{[]string{"COPY", "s", "d"}, []string{"0 COPY s d"}},
		{[]string{"COPY", "s", "d"}, nil},
		{[]string{"RENAME", "d", "d"}, nil},
		{[]string{"RENAMENX", "d", "s"}, nil},
		{[]string{"RENAME", "d", "e"}, []string{"0 RENAME d e"}},
		{[]string{"MOVE", "e", "1"}, []string{"0 MOVE e 1"}},
		{[]string{"MOVE", "e", "1"}, nil},
		{[]string{"SWAPDB", "3", "3"}, []string{"0 SWAPDB 3 3"}},
		{[]string{"FLUSHDB"}, []string{"0 FLUSHDB"}},
		{[]string{"FLUSHDB", "ASYNC"}, []string{"0 FLUSHDB ASYNC"}},
		{[]string{"FLUSHALL", "SYNC"}, []string{"0 FLUSHALL SYNC"}},
		{[]string{"FLUSHALL", "x"}, nil},
		{[]string{"EXISTS", "k"}, nil},
		{[]string{"TOUCH", "k"}, nil},
	}
	for _, st := range steps {
		h.do(st.args...)
		if got := h.propagated(); !slices.Equal(got, st.want) {
			t.Errorf("%v propagated %q, want %q", st.args, got, st.want)
		}
	}
	// A key found expired by a command is deleted, and the deletion
	// propagated, before the command runs.
	h.do("SET", "x", "v")
	h.do("PEXPIRE", "x", "10")
	h.propagated()
	h.clk.Advance(11 * time.Millisecond)
	h.expect("0", "EXISTS", "x")
	if got := h.propagated(); !slices.Equal(got, []string{"0 DEL x"}) {
		t.Errorf("lazy expiry propagated %q", got)
	}
	// A write command that meets an expired key propagates that key's
	// deletion, and nothing of its own when it then changes nothing.
	for _, cmd := range [][]string{
		{"DEL", "x"}, {"UNLINK", "x"}, {"EXPIRE", "x", "100"}, {"PERSIST", "x"}, {"RENAME", "x", "y"},
		{"RENAMENX", "x", "y"}, {"COPY", "x", "y"}, {"MOVE", "x", "1"},
	} {
		h.do("SET", "x", "v")
		h.do("PEXPIRE", "x", "10")
		h.propagated()
		h.clk.Advance(11 * time.Millisecond)
		h.do(cmd...)
		if got := h.propagated(); !slices.Equal(got, []string{"0 DEL x"}) {
			t.Errorf("%v on an expired key propagated %q", cmd, got)
		}
	}
}

// TestExpiry walks keys through their deadlines on a fake clock.
func TestExpiry(t *testing.T) {
	h := start(t)
	h.do("SET", "k", "v")
	h.expect("1", "PEXPIRE", "k", "1000")
	h.expect("1000", "PTTL", "k")
	h.expect("1", "TTL", "k")
	h.expect(h.clk.at(time.Second), "PEXPIRETIME", "k")
	h.clk.Advance(999 * time.Millisecond)
	h.expect("1", "PTTL", "k")
	h.expect("0", "TTL", "k")
	h.clk.Advance(time.Millisecond)
	// Alive while the deadline is now; gone once it has passed.
	h.expect("0", "PTTL", "k")
	h.expect("1", "EXISTS", "k")
	h.clk.Advance(time.Millisecond)
	h.expect("-2", "PTTL", "k")
	h.expect("0", "EXISTS", "k")
	h.expect("0", "DBSIZE")

	// EXPIRE with GT/LT against the current deadline.
	h.do("SET", "k", "v")
	h.expect("1", "EXPIRE", "k", "10")
	h.expect("0", "EXPIRE", "k", "5", "GT")
	h.expect("1", "EXPIRE", "k", "20", "GT")
	h.expect("0", "EXPIRE", "k", "30", "LT")
	h.expect("1", "EXPIRE", "k", "15", "LT")
	h.expect("15", "TTL", "k")

	// Expired keys are returned by no command (DBSIZE counts them until
	// something removes them; active expiry may run meanwhile, so that
	// count is not checked here).
	for i := 0; i < 50; i++ {
		h.do("SET", fmt.Sprint("e", i), "v")
		h.do("PEXPIRE", fmt.Sprint("e", i), "5")
	}
	h.do("SET", "live", "v")
	h.clk.Advance(20 * time.Second)
	h.expect("[live]", "KEYS", "*")
	for i := 0; i < 20; i++ {
		h.expect("live", "RANDOMKEY")
	}
	h.expect("[0 [live]]", "SCAN", "0", "COUNT", "1000")
	h.expect("1", "DBSIZE")
	h.expect("live", "RANDOMKEY")
	h.do("DEL", "live")
	h.expect("(nil)", "RANDOMKEY")
}

func TestObjectIdleTime(t *testing.T) {
	h := start(t)
	h.do("SET", "k", "v")
	h.clk.Advance(5 * time.Second)
	h.expect("5", "OBJECT", "IDLETIME", "k")
	h.expect("5", "OBJECT", "IDLETIME", "k") // OBJECT is no access
	h.expect("1", "EXISTS", "k")
	h.expect("string", "TYPE", "k")
	h.expect("5", "OBJECT", "IDLETIME", "k") // nor EXISTS, nor TYPE
	h.expect("1", "TOUCH", "k")
	h.expect("0", "OBJECT", "IDLETIME", "k")
	h.clk.Advance(3 * time.Second)
	h.do("GET", "k")
	h.expect("0", "OBJECT", "IDLETIME", "k")
	h.clk.Advance(2 * time.Second)
	h.do("RENAME", "k", "k2")
	h.expect("0", "OBJECT", "IDLETIME", "k2")
}

// scan runs one SCAN call and returns the next cursor and the keys.
func (h *harness) scan(cursor string, opts ...string) (string, []string) {
	h.t.Helper()
	args := [][]byte{[]byte("SCAN"), []byte(cursor)}
	for _, o := range opts {
		args = append(args, []byte(o))
	}
	raw, err := h.sess.Do(compat.Step{Conn: 1, Args: args})
	if err != nil {
		h.t.Fatal(err)
	}
	// *2 $n cursor *m $k key...
	parts := strings.Split(string(raw), "\r\n")
	if len(parts) < 4 || parts[0] != "*2" {
		h.t.Fatalf("SCAN reply %q", raw)
	}
	next := parts[2]
	var out []string
	for i := 5; i < len(parts); i += 2 {
		out = append(out, parts[i])
	}
	return next, out
}

// TestScanGuarantee: a full SCAN iteration returns every key present for
// its whole length, while other keys come and go and the table grows and
// shrinks between calls.
func TestScanGuarantee(t *testing.T) {
	h := start(t)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		h.do("SET", fmt.Sprint("stable:", i), "v")
	}
	for round := 0; round < 6; round++ {
		seen := map[string]bool{}
		cursor := "0"
		calls := 0
		for {
			next, got := h.scan(cursor, "COUNT", strconv.Itoa(1+rng.IntN(40)))
			for _, k := range got {
				seen[k] = true
			}
			calls++
			// Churn between calls: grow the table in even rounds, shrink
			// it in odd ones.
			for j := 0; j < 40; j++ {
				k := fmt.Sprint("churn:", rng.IntN(2000))
				if round%2 == 0 {
					h.do("SET", k, "v")
				} else {
					h.do("DEL", k)
				}
			}
			if next == "0" {
				break
			}
			cursor = next
			if calls > 10000 {
				t.Fatal("SCAN did not finish")
			}
		}
		for i := 0; i < 300; i++ {
			if k := fmt.Sprint("stable:", i); !seen[k] {
				t.Fatalf("round %d: %s missing from a full iteration", round, k)
			}
		}
	}
	// MATCH and TYPE filter after the step: every stable key still comes
	// back exactly when it matches.
	seen := map[string]bool{}
	cursor := "0"
	for {
		next, got := h.scan(cursor, "MATCH", "stable:1*", "TYPE", "string")
		for _, k := range got {
			if !strings.HasPrefix(k, "stable:1") {
				t.Fatalf("SCAN MATCH returned %q", k)
			}
			seen[k] = true
		}
		if next == "0" {
			break
		}
		cursor = next
	}
	if len(seen) != 111 {
		t.Errorf("SCAN MATCH stable:1* found %d keys, want 111", len(seen))
	}
	if _, got := h.scan("0", "TYPE", "list", "COUNT", "100000"); len(got) != 0 {
		t.Errorf("SCAN TYPE list returned %q", got)
	}
}

// TestSwapDBWakesBlocked: a client blocked on a key of database 0 is
// served when SWAPDB brings in a database where the key exists, as in
// Redis.
func TestSwapDBWakesBlocked(t *testing.T) {
	h := start(t)
	h.do("RPUSH", "q", "x")
	h.expect("1", "MOVE", "q", "1")
	waiter := compat.NewSession(h.srv.Addr().String())
	defer waiter.Close()
	done := make(chan string, 1)
	go func() {
		raw, err := waiter.Do(compat.Step{Conn: 1, Args: [][]byte{[]byte("BLPOP"), []byte("q"), []byte("5")}})
		if err != nil {
			done <- err.Error()
			return
		}
		done <- render(raw)
	}()
	// let the client park (it stays parked: nothing is in its database)
	select {
	case got := <-done:
		t.Fatalf("BLPOP returned %s before the swap", got)
	case <-time.After(150 * time.Millisecond):
	}
	h.expect("OK", "SWAPDB", "0", "1")
	select {
	case got := <-done:
		if got != "[q x]" {
			t.Fatalf("BLPOP got %s", got)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the blocked client was not served after SWAPDB")
	}
	h.expect("0", "EXISTS", "q")
}
