package lists_test

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/test/compat"
)

// rig is a server that records what it propagates, with raw connections.
type rig struct {
	t     *testing.T
	addr  string
	mu    sync.Mutex
	props []string
}

func newRig(t *testing.T) *rig {
	r := &rig{t: t}
	cfg := server.DefaultConfig()
	cfg.Port = 0
	srv := server.New(cfg, commands.Registry())
	srv.Propagator = func(effects []server.Effect) {
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, e := range effects {
			parts := make([]string, len(e.Args))
			for i, a := range e.Args {
				parts[i] = string(a)
			}
			r.props = append(r.props, strings.Join(parts, " "))
		}
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	srv.Serve()
	t.Cleanup(func() { srv.Close() })
	r.addr = srv.Addr().String()
	return r
}

type client struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

func (r *rig) dial() *client {
	c, err := net.Dial("tcp", r.addr)
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { c.Close() })
	return &client{t: r.t, c: c, r: bufio.NewReader(c)}
}

func (c *client) send(args ...string) {
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	c.c.Write(compat.Encode(bs))
}

func (c *client) read() string {
	c.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	b, err := compat.ReadReply(c.r)
	if err != nil {
		c.t.Fatal(err)
	}
	return string(b)
}

func (c *client) do(args ...string) string { c.send(args...); return c.read() }

func (r *rig) effects() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.props
	r.props = nil
	return p
}

func (r *rig) expectEffects(what string, want ...string) {
	r.t.Helper()
	if got := r.effects(); fmt.Sprint(got) != fmt.Sprint(want) {
		r.t.Errorf("%s propagated %q, want %q", what, got, want)
	}
}

func TestPropagation(t *testing.T) {
	r := newRig(t)
	c := r.dial()
	c.do("RPUSH", "l", "a", "b", "c", "d")
	r.expectEffects("RPUSH", "RPUSH l a b c d")
	c.do("LTRIM", "l", "0", "-1")
	r.expectEffects("LTRIM that removes nothing")
	c.do("BLPOP", "l", "0")
	r.expectEffects("BLPOP served at once", "LPOP l")
	c.do("BLMPOP", "0", "1", "l", "RIGHT", "COUNT", "10")
	r.expectEffects("BLMPOP served at once", "RPOP l 3")
	c.do("LMPOP", "1", "l", "LEFT")
	r.expectEffects("LMPOP on a missing key")
	c.do("RPUSH", "l", "x")
	r.effects()
	c.do("LMPOP", "2", "nope", "l", "LEFT", "COUNT", "3")
	r.expectEffects("LMPOP", "LPOP l 1")
	c.do("RPUSH", "l", "x")
	r.effects()
	c.do("BRPOPLPUSH", "l", "m", "0")
	r.expectEffects("BRPOPLPUSH", "RPOPLPUSH l m")
	c.do("BLMOVE", "m", "l", "LEFT", "RIGHT", "0")
	r.expectEffects("BLMOVE", "LMOVE m l LEFT RIGHT")

	// a parked client is served after the pusher's own effect
	w := r.dial()
	w.send("BRPOP", "q", "0")
	time.Sleep(100 * time.Millisecond)
	c.do("LPUSH", "q", "1", "2")
	if got := w.read(); got != "*2\r\n$1\r\nq\r\n$1\r\n1\r\n" {
		t.Fatalf("BRPOP got %q", got)
	}
	r.expectEffects("served BRPOP", "LPUSH q 1 2", "RPOP q")
	w.send("BLPOP", "q2", "0.05")
	if got := w.read(); got != "*-1\r\n" {
		t.Fatalf("timeout got %q", got)
	}
	r.expectEffects("timed out BLPOP")
}

// A client that blocked must not keep the execution lock: others run
// while it waits, and many waiters on many keys are all served.
func TestManyWaiters(t *testing.T) {
	r := newRig(t)
	const n = 50
	ws := make([]*client, n)
	for i := range ws {
		ws[i] = r.dial()
		ws[i].send("BLPOP", fmt.Sprintf("k%d", i%5), "0")
	}
	time.Sleep(150 * time.Millisecond)
	p := r.dial()
	if got := p.do("PING"); got != "+PONG\r\n" {
		t.Fatalf("PING while clients wait: %q", got)
	}
	for i := 0; i < n; i++ {
		p.do("RPUSH", fmt.Sprintf("k%d", i%5), fmt.Sprint(i))
	}
	seen := map[string]bool{}
	for i, w := range ws {
		got := w.read()
		if !strings.HasPrefix(got, fmt.Sprintf("*2\r\n$2\r\nk%d\r\n", i%5)) || seen[got] {
			t.Fatalf("waiter %d got %q", i, got)
		}
		seen[got] = true
	}
	// FIFO per key: waiter i on key i%5 got the (i/5)-th push to that key
	for i := 0; i < 5; i++ {
		if !seen[fmt.Sprintf("*2\r\n$2\r\nk%d\r\n$%d\r\n%d\r\n", i, len(fmt.Sprint(i)), i)] {
			t.Fatalf("first waiter of k%d was not served first", i)
		}
	}
}

// bench calls handlers directly, as the dispatcher does minus the network.
type bench struct {
	srv *server.Server
	w   resp.Writer
	c   server.Ctx
}

func newBench() *bench {
	b := &bench{srv: server.New(server.DefaultConfig(), commands.Registry())}
	b.c = server.Ctx{Srv: b.srv, KS: b.srv.KS, DB: b.srv.KS.DBs[0], R: &b.w}
	return b
}

func (b *bench) run(args ...string) {
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	b.c.Args = bs
	b.c.Spec = b.srv.Reg.Lookup(bs[0])
	b.w.Reset()
	b.c.Spec.Handler(&b.c)
}

func (b *bench) prepared(args ...string) func() {
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	spec := b.srv.Reg.Lookup(bs[0])
	return func() {
		b.c.Args = bs
		b.c.Spec = spec
		b.w.Reset()
		spec.Handler(&b.c)
	}
}

func BenchmarkLPushLPop(b *testing.B) {
	bn := newBench()
	bn.run("RPUSH", "list", "seed")
	push := bn.prepared("LPUSH", "list", "value-of-sixteen")
	pop := bn.prepared("LPOP", "list")
	b.ReportAllocs()
	for b.Loop() {
		push()
		pop()
	}
}

func BenchmarkRPush(b *testing.B) {
	bn := newBench()
	push := bn.prepared("RPUSH", "list", "value-of-sixteen")
	b.ReportAllocs()
	for b.Loop() {
		push()
	}
}

func BenchmarkLRange100(b *testing.B) {
	bn := newBench()
	for i := 0; i < 1000; i++ {
		bn.run("RPUSH", "list", fmt.Sprintf("value-%d", i))
	}
	lr := bn.prepared("LRANGE", "list", "450", "549")
	b.ReportAllocs()
	for b.Loop() {
		lr()
	}
}
