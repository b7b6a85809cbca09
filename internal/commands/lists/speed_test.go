package lists_test

import (
	"fmt"
	"math/rand/v2"
	"syscall"
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
	// specs caches each command name's spec: the registry lookup is
	// the dispatcher's cost, not the family's
	specs map[string]*server.Spec
}

func newSpeedRig() *speedRig {
	return &speedRig{srv: server.New(server.DefaultConfig(), commands.Registry()), specs: map[string]*server.Spec{}}
}

// call runs args as one command and returns its reply bytes.
func (s *speedRig) call(args [][]byte) []byte {
	s.w.Reset()
	spec, ok := s.specs[string(args[0])]
	if !ok {
		spec = s.srv.Reg.Lookup(args[0])
		s.specs[string(args[0])] = spec
	}
	s.ctx = server.Ctx{Srv: s.srv, KS: s.srv.KS, DB: s.srv.KS.DBs[0], R: &s.w, Args: args, Spec: spec}
	s.srv.Call(&s.ctx)
	return s.w.Buf
}

// cpuMeter reports allocations and, as cpu-ns/op, the process's CPU time
// per operation (all threads, the garbage collector's included), which on
// a shared machine moves much less than wall time does. pause and resume
// bracket untimed work as b.StopTimer and b.StartTimer do.
type cpuMeter struct {
	b            *testing.B
	start, since int64
}

func newCPUMeter(b *testing.B) *cpuMeter {
	b.ReportAllocs()
	return &cpuMeter{b: b, start: cpuTime()}
}

func (m *cpuMeter) pause() {
	m.b.StopTimer()
	m.since = cpuTime()
}

func (m *cpuMeter) resume() {
	m.start += cpuTime() - m.since
	m.b.StartTimer()
}

// done reports the figure; defer it.
func (m *cpuMeter) done() {
	m.b.ReportMetric(float64(cpuTime()-m.start)/float64(m.b.N), "cpu-ns/op")
}

func cpuTime() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
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
	m := newCPUMeter(b)
	defer m.done()
	for b.Loop() {
		if n == 200000 {
			m.pause()
			s.call(del)
			n = 0
			m.resume()
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
	m := newCPUMeter(b)
	defer m.done()
	for b.Loop() {
		if left == 0 {
			m.pause()
			refill()
			left = len(fill)
			m.resume()
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
