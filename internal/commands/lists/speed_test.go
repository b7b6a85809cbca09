package lists_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/server"
)

// The Speed benchmarks replay redis-benchmark's own workloads (the rows of
// bench/types-vs-redis) through server.Call, the path a command takes after
// the dispatcher found its spec: statistics, the handler, the keyspace and
// the reply, minus the network. redis-benchmark fills __rand_int__ with a
// 12-digit zero-padded number below -r (100000 there) and uses "xxx" as
// the value (-d 3).

type speedRig struct {
	srv *server.Server
	w   resp.Writer
	ctx server.Ctx
	// spec is the last command's, kept so that the timed loops do not
	// measure the registry lookup (the dispatcher's, not the family's)
	spec *server.Spec
}

func newSpeedRig() *speedRig {
	return &speedRig{srv: server.New(server.DefaultConfig(), commands.Registry())}
}

// call runs args as one command and returns its reply bytes.
func (s *speedRig) call(args [][]byte) []byte {
	s.w.Reset()
	spec := s.spec
	if spec == nil || !server.Is(args[0], spec.Name) {
		spec = s.srv.Reg.Lookup(args[0])
		s.spec = spec
	}
	s.ctx = server.Ctx{Srv: s.srv, KS: s.srv.KS, DB: s.srv.KS.DBs[0], R: &s.w, Args: args, Spec: spec}
	s.srv.Call(&s.ctx)
	return s.w.Buf
}

func speedArgs(args ...string) [][]byte {
	out := make([][]byte, len(args))
	for i, a := range args {
		out[i] = []byte(a)
	}
	return out
}

func randInt(rng *rand.Rand) string { return fmt.Sprintf("%012d", rng.IntN(100000)) }

// pushes runs cmd, deleting the list (outside the timer) every 200000
// calls, so that the list stays the size one redis-benchmark run builds.
func pushes(b *testing.B, cmd [][]byte) {
	s := newSpeedRig()
	del := speedArgs("DEL", "mylist")
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		if n == 200000 {
			b.StopTimer()
			s.call(del)
			n = 0
			b.StartTimer()
		}
		s.call(cmd)
		n++
	}
}

func BenchmarkSpeedLPush(b *testing.B) { pushes(b, speedArgs("LPUSH", "mylist", "xxx")) }
func BenchmarkSpeedRPush(b *testing.B) { pushes(b, speedArgs("RPUSH", "mylist", "xxx")) }

// BenchmarkSpeedLPop pops from a long list of random values, refilling it
// (outside the timer) when it runs dry.
func BenchmarkSpeedLPop(b *testing.B) {
	s := newSpeedRig()
	rng := rand.New(rand.NewPCG(1, 2))
	fill := make([][][]byte, 100000)
	for i := range fill {
		fill[i] = speedArgs("LPUSH", "mylist", randInt(rng))
	}
	refill := func() {
		for _, c := range fill {
			s.call(c)
		}
	}
	refill()
	cmd := speedArgs("LPOP", "mylist")
	left := len(fill)
	b.ReportAllocs()
	for b.Loop() {
		if left == 0 {
			b.StopTimer()
			refill()
			left = len(fill)
			b.StartTimer()
		}
		s.call(cmd)
		left--
	}
}

func TestSpeedRigReplies(t *testing.T) {
	s := newSpeedRig()
	if got := string(s.call(speedArgs("LPUSH", "mylist", "xxx"))); got != ":1\r\n" {
		t.Fatalf("LPUSH: %q", got)
	}
	if got := string(s.call(speedArgs("RPUSH", "mylist", "yyy"))); got != ":2\r\n" {
		t.Fatalf("RPUSH: %q", got)
	}
	if got := string(s.call(speedArgs("LPOP", "mylist"))); got != "$3\r\nxxx\r\n" {
		t.Fatalf("LPOP: %q", got)
	}
}
