package sets_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"syscall"
	"testing"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/server"
)

// The Speed benchmarks replay redis-benchmark's SADD workload (a row of
// bench/types-vs-redis) through server.Call, the path a command takes
// after the dispatcher found its spec, minus the network: "SADD myset
// element:__rand_int__" with 12-digit zero-padded numbers below 100000,
// 200000 calls per run (the set then holds about 86000 members), the set
// deleted between runs outside the timer.

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

// speedRuns calls cmds round-robin, running DEL key (outside the timer)
// every 200000 calls.
func speedRuns(b *testing.B, key string, cmds [][][]byte) {
	s := newSpeedRig()
	del := speedArgs("DEL", key)
	n := 0
	m := newCPUMeter(b)
	defer m.done()
	for b.Loop() {
		if n%200000 == 0 && n > 0 {
			m.pause()
			s.call(del)
			m.resume()
		}
		s.call(cmds[n%len(cmds)])
		n++
	}
}

func BenchmarkSpeedSAdd(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	cmds := make([][][]byte, 1<<16)
	for i := range cmds {
		cmds[i] = speedArgs("SADD", "myset", fmt.Sprintf("element:%012d", rng.IntN(100000)))
	}
	speedRuns(b, "myset", cmds)
}

// BenchmarkSpeedSAddIntset adds integers to sets that stay intsets.
func BenchmarkSpeedSAddIntset(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	cmds := make([][][]byte, 1<<16)
	for i := range cmds {
		cmds[i] = speedArgs("SADD", fmt.Sprintf("is:%d", rng.IntN(1000)), fmt.Sprint(rng.IntN(400)))
	}
	speedRuns(b, "none", cmds)
}

func TestSpeedRigReplies(t *testing.T) {
	s := newSpeedRig()
	for _, c := range []struct{ args, want string }{
		{"SADD myset element:000000000001", ":1\r\n"},
		{"SADD myset element:000000000001", ":0\r\n"},
		{"SCARD myset", ":1\r\n"},
	} {
		var args [][]byte
		for _, f := range strings.Fields(c.args) {
			args = append(args, []byte(f))
		}
		if got := string(s.call(args)); got != c.want {
			t.Fatalf("%s: %q, want %q", c.args, got, c.want)
		}
	}
}
