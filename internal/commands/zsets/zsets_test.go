package zsets_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/test/compat"
)

func argv(s ...string) [][]byte {
	out := make([][]byte, len(s))
	for i, a := range s {
		out[i] = []byte(a)
	}
	return out
}

func TestPropagation(t *testing.T) {
	cfg := server.DefaultConfig()
	cfg.Port = 0
	srv := server.New(cfg, commands.Registry())
	var mu sync.Mutex
	var props []string
	srv.Propagator = func(effects []server.Effect) {
		mu.Lock()
		defer mu.Unlock()
		for _, e := range effects {
			parts := make([]string, len(e.Args))
			for i, a := range e.Args {
				parts[i] = string(a)
			}
			props = append(props, strings.Join(parts, " "))
		}
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	srv.Serve()
	defer srv.Close()
	s := compat.NewSession(srv.Addr().String())
	defer s.Close()
	step := func(want []string, args ...string) {
		t.Helper()
		if _, err := s.Do(compat.Step{Conn: 1, Args: argv(args...)}); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		got := props
		props = nil
		mu.Unlock()
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%v propagated %q, want %q", args, got, want)
		}
	}
	step([]string{"ZADD z 1 a 2 b 3 c"}, "ZADD", "z", "1", "a", "2", "b", "3", "c")
	step(nil, "ZADD", "z", "1", "a")
	step(nil, "ZADD", "z", "NX", "5", "a")
	step([]string{"ZINCRBY z 1 a"}, "ZINCRBY", "z", "1", "a")
	step([]string{"ZPOPMIN z 5"}, "ZMPOP", "1", "z", "MIN", "COUNT", "5")
	step(nil, "ZMPOP", "1", "z", "MIN")
	step([]string{"ZADD z 1 a 2 b"}, "ZADD", "z", "1", "a", "2", "b")
	step([]string{"ZPOPMAX z"}, "BZPOPMAX", "z", "0")
	step([]string{"ZPOPMIN z 1"}, "BZMPOP", "0", "1", "z", "MIN")
	step(nil, "ZREMRANGEBYSCORE", "z", "0", "10")
	step(nil, "ZRANGESTORE", "dst", "z", "0", "-1")
	step([]string{"ZADD z 1 a"}, "ZADD", "z", "1", "a")
	step([]string{"ZRANGESTORE dst z 0 -1"}, "ZRANGESTORE", "dst", "z", "0", "-1")
	step([]string{"ZUNIONSTORE dst 1 nothing"}, "ZUNIONSTORE", "dst", "1", "nothing")
}

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

func (b *bench) prepared(args ...string) func() {
	bs := argv(args...)
	spec := b.srv.Reg.Lookup(bs[0])
	return func() {
		b.c.Args = bs
		b.c.Spec = spec
		b.w.Reset()
		spec.Handler(&b.c)
	}
}

func BenchmarkZAddNew(b *testing.B) {
	bn := newBench()
	calls := make([]func(), 1<<14)
	for i := range calls {
		calls[i] = bn.prepared("ZADD", "z", fmt.Sprint(i%1000), fmt.Sprintf("member:%d", i))
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		calls[i&(1<<14-1)]()
		i++
	}
}

func BenchmarkZRangeByScore10(b *testing.B) {
	bn := newBench()
	for i := 0; i < 10000; i++ {
		bn.prepared("ZADD", "z", fmt.Sprint(i), fmt.Sprintf("member:%d", i))()
	}
	q := bn.prepared("ZRANGEBYSCORE", "z", "5000", "(5010", "WITHSCORES")
	b.ReportAllocs()
	for b.Loop() {
		q()
	}
	if !strings.HasPrefix(string(bn.w.Buf), "*20\r\n") {
		b.Fatalf("reply %q", bn.w.Buf[:20])
	}
}

func BenchmarkZScoreSkiplist(b *testing.B) {
	bn := newBench()
	for i := 0; i < 10000; i++ {
		bn.prepared("ZADD", "z", fmt.Sprint(i), fmt.Sprintf("member:%d", i))()
	}
	q := bn.prepared("ZSCORE", "z", "member:777")
	b.ReportAllocs()
	for b.Loop() {
		q()
	}
}
