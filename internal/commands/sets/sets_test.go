package sets_test

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/test/compat"
)

// harness is a listening server that records what it propagates.
type harness struct {
	t     *testing.T
	srv   *server.Server
	sess  *compat.Session
	mu    sync.Mutex
	props []string
}

func start(t *testing.T) *harness {
	h := &harness{t: t}
	cfg := server.DefaultConfig()
	cfg.Port = 0
	h.srv = server.New(cfg, commands.Registry())
	h.srv.Propagator = func(effects []server.Effect) {
		h.mu.Lock()
		defer h.mu.Unlock()
		for _, e := range effects {
			parts := make([]string, len(e.Args))
			for i, a := range e.Args {
				parts[i] = string(a)
			}
			h.props = append(h.props, strings.Join(parts, " "))
		}
	}
	if err := h.srv.Listen(); err != nil {
		t.Fatal(err)
	}
	h.srv.Serve()
	h.sess = compat.NewSession(h.srv.Addr().String())
	t.Cleanup(func() { h.sess.Close(); h.srv.Close() })
	return h
}

func (h *harness) do(args ...string) string {
	h.t.Helper()
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	raw, err := h.sess.Do(compat.Step{Conn: 1, Args: bs})
	if err != nil {
		h.t.Fatal(err)
	}
	return string(raw)
}

func (h *harness) propagated() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	p := h.props
	h.props = nil
	return p
}

func TestPropagation(t *testing.T) {
	h := start(t)
	h.do("SADD", "s", "1", "2", "3", "4", "5", "6")
	h.do("SADD", "s", "1")  // no change: nothing propagated
	h.do("SREM", "s", "99") // no change
	h.do("SMOVE", "s", "s", "1")
	if p := h.propagated(); len(p) != 1 || p[0] != "SADD s 1 2 3 4 5 6" {
		t.Fatalf("SADD: %q", p)
	}
	h.do("SPOP", "s")
	p := h.propagated()
	if len(p) != 1 || !strings.HasPrefix(p[0], "SREM s ") {
		t.Fatalf("SPOP: %q", p)
	}
	h.do("SPOP", "s", "2")
	p = h.propagated()
	if len(p) != 2 || !strings.HasPrefix(p[0], "SREM s ") || !strings.HasPrefix(p[1], "SREM s ") {
		t.Fatalf("SPOP 2: %q", p)
	}
	h.do("SPOP", "s", "10")
	if p := h.propagated(); len(p) != 1 || p[0] != "DEL s" {
		t.Fatalf("SPOP all: %q", p)
	}
	h.do("SUNIONSTORE", "d", "nokey")
	if p := h.propagated(); len(p) != 0 {
		t.Fatalf("empty SUNIONSTORE over nothing: %q", p)
	}
	h.do("HSET", "hf", "f", "10.5")
	h.propagated()
	h.do("HINCRBYFLOAT", "hf", "f", "0.1")
	if p := h.propagated(); len(p) != 1 || p[0] != "HSET hf f 10.6" {
		t.Fatalf("HINCRBYFLOAT: %q", p)
	}
	h.do("HINCRBYFLOAT", "hf", "f", "abc")
	h.do("HDEL", "hf", "nofield")
	if p := h.propagated(); len(p) != 0 {
		t.Fatalf("failed writes propagated: %q", p)
	}
	h.do("RPUSH", "l", "3", "1", "2")
	h.propagated()
	h.do("SORT", "l", "STORE", "dst")
	if p := h.propagated(); len(p) != 1 || p[0] != "SORT l STORE dst" {
		t.Fatalf("SORT STORE: %q", p)
	}
}

// bench runs one command's handler in-process, without the network.
type bench struct {
	srv *server.Server
	w   resp.Writer
}

func newBench() *bench {
	cfg := server.DefaultConfig()
	return &bench{srv: server.New(cfg, commands.Registry())}
}

func (b *bench) run(args ...[]byte) {
	spec := b.srv.Reg.Lookup(args[0])
	b.w.Reset()
	ctx := &server.Ctx{Srv: b.srv, KS: b.srv.KS, DB: b.srv.KS.DBs[0], R: &b.w, Args: args, Spec: spec}
	b.srv.Call(ctx)
}

func keys(n int, prefix string) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		out[i] = []byte(prefix + strconv.Itoa(i))
	}
	return out
}

func BenchmarkHandlers(b *testing.B) {
	hset, hget := []byte("HSET"), []byte("HGET")
	sadd, sism := []byte("SADD"), []byte("SISMEMBER")
	fields := keys(100, "field:")
	members := keys(1000, "member:")
	val := []byte("some value")
	for _, size := range []string{"small", "large"} {
		n := 10
		if size == "large" {
			n = 100
		}
		b.Run(fmt.Sprintf("HSET/%s", size), func(b *testing.B) {
			x := newBench()
			key := []byte("h")
			for i := 0; i < b.N; i++ {
				x.run(hset, key, fields[i%n], val)
			}
		})
		b.Run(fmt.Sprintf("HGET/%s", size), func(b *testing.B) {
			x := newBench()
			key := []byte("h")
			for i := 0; i < n; i++ {
				x.run(hset, key, fields[i], val)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				x.run(hget, key, fields[i%n])
			}
		})
	}
	b.Run("SADD/intset", func(b *testing.B) {
		x := newBench()
		key := []byte("s")
		ints := keys(500, "")
		for i := 0; i < b.N; i++ {
			x.run(sadd, key, ints[i%500])
		}
	})
	b.Run("SADD/hashtable", func(b *testing.B) {
		x := newBench()
		key := []byte("s")
		for i := 0; i < b.N; i++ {
			x.run(sadd, key, members[i%1000])
		}
	})
	b.Run("SISMEMBER/hashtable", func(b *testing.B) {
		x := newBench()
		key := []byte("s")
		for _, m := range members {
			x.run(sadd, key, m)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			x.run(sism, key, members[i%1000])
		}
	})
}
