package zsets_test

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

// The Speed benchmarks replay the sorted-set rows of bench/types-vs-redis
// through server.Call, the path a command takes after the dispatcher found
// its spec, minus the network. redis-benchmark fills each __rand_int__
// with its own 12-digit zero-padded number below -r.

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

// BenchmarkSpeedZAdd is "ZADD myzset __rand_int__ element:__rand_int__"
// (-r 100000), 200000 calls per run: the set grows to about 86000 members
// and most calls move an existing member to a new score.
func BenchmarkSpeedZAdd(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	cmds := make([][][]byte, 1<<16)
	for i := range cmds {
		cmds[i] = speedArgs("ZADD", "myzset", fmt.Sprintf("%012d", rng.IntN(100000)), fmt.Sprintf("element:%012d", rng.IntN(100000)))
	}
	speedRuns(b, "myzset", cmds)
}

// BenchmarkSpeedZRangeByScore is "ZRANGEBYSCORE zbench 10 20" over the
// 1000-member set bench/types-vs-redis builds (scores 1..1000).
func BenchmarkSpeedZRangeByScore(b *testing.B) {
	s := newSpeedRig()
	for i := 1; i <= 1000; i++ {
		s.call(speedArgs("ZADD", "zbench", fmt.Sprint(i), fmt.Sprintf("m%d", i)))
	}
	cmd := speedArgs("ZRANGEBYSCORE", "zbench", "10", "20")
	m := newCPUMeter(b)
	defer m.done()
	for b.Loop() {
		s.call(cmd)
	}
}

// BenchmarkSpeedLimiter is the sliding-window rate limiter's commands as
// its script issues them (EVALSHA with -r 1000: now, the key's suffix and
// the member each a random number below 1000): ZREMRANGEBYSCORE key 0
// now-1000, ZCARD key, and while the set holds under 100 members ZADD key
// now member and PEXPIRE key 1000. One op is one script run.
func BenchmarkSpeedLimiter(b *testing.B) {
	s := newSpeedRig()
	rng := rand.New(rand.NewPCG(1, 2))
	type run struct{ rem, card, add, exp [][]byte }
	runs := make([]run, 1<<14)
	for i := range runs {
		key := fmt.Sprintf("rl:%012d", rng.IntN(1000))
		now := rng.IntN(1000)
		runs[i] = run{
			rem:  speedArgs("ZREMRANGEBYSCORE", key, "0", fmt.Sprint(now-1000)),
			card: speedArgs("ZCARD", key),
			add:  speedArgs("ZADD", key, fmt.Sprint(now), fmt.Sprintf("m:%012d", rng.IntN(1000))),
			exp:  speedArgs("PEXPIRE", key, "1000"),
		}
	}
	n := 0
	m := newCPUMeter(b)
	defer m.done()
	for b.Loop() {
		r := &runs[n%len(runs)]
		n++
		s.call(r.rem)
		if cardBelow100(s.call(r.card)) {
			s.call(r.add)
			s.call(r.exp)
		}
	}
}

// cardBelow100 reads an integer reply.
func cardBelow100(reply []byte) bool {
	n := 0
	for _, c := range reply[1:] {
		if c == '\r' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n < 100
}

func TestSpeedRigReplies(t *testing.T) {
	s := newSpeedRig()
	for _, c := range []struct{ args, want string }{
		{"ZADD myzset 1 element:000000000001", ":1\r\n"},
		{"ZADD myzset 2 element:000000000001", ":0\r\n"},
		{"ZRANGEBYSCORE myzset 0 5 WITHSCORES", "*2\r\n$20\r\nelement:000000000001\r\n$1\r\n2\r\n"},
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
