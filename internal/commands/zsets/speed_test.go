package zsets_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/moonkv/moonkv/internal/commands/speedtest"
)

// The Speed benchmarks replay the sorted-set rows of bench/types-vs-redis
// through server.Call, the path a command takes after the dispatcher found
// its spec, minus the network. redis-benchmark fills each __rand_int__
// with its own 12-digit zero-padded number below -r.

func BenchmarkSpeedZAdd(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	cmds := make([][][]byte, 1<<16)
	for i := range cmds {
		cmds[i] = speedtest.Args("ZADD", "myzset", fmt.Sprintf("%012d", rng.IntN(100000)), fmt.Sprintf("element:%012d", rng.IntN(100000)))
	}
	speedtest.Runs(b, "myzset", cmds)
}

// BenchmarkSpeedZRangeByScore is "ZRANGEBYSCORE zbench 10 20" over the
// 1000-member set bench/types-vs-redis builds (scores 1..1000).
func BenchmarkSpeedZRangeByScore(b *testing.B) {
	s := speedtest.NewRig()
	for i := 1; i <= 1000; i++ {
		s.Call(speedtest.Args("ZADD", "zbench", fmt.Sprint(i), fmt.Sprintf("m%d", i)))
	}
	cmd := speedtest.Args("ZRANGEBYSCORE", "zbench", "10", "20")
	m := speedtest.NewCPUMeter(b)
	defer m.Done()
	for b.Loop() {
		s.Call(cmd)
	}
}

// BenchmarkSpeedLimiter is the sliding-window rate limiter's commands as
// its script issues them (EVALSHA with -r 1000: now, the key's suffix and
// the member each a random number below 1000): ZREMRANGEBYSCORE key 0
// now-1000, ZCARD key, and while the set holds under 100 members ZADD key
// now member and PEXPIRE key 1000. One op is one script run.
func BenchmarkSpeedLimiter(b *testing.B) {
	s := speedtest.NewRig()
	rng := rand.New(rand.NewPCG(1, 2))
	type run struct{ rem, card, add, exp [][]byte }
	runs := make([]run, 1<<14)
	for i := range runs {
		key := fmt.Sprintf("rl:%012d", rng.IntN(1000))
		now := rng.IntN(1000)
		runs[i] = run{
			rem:  speedtest.Args("ZREMRANGEBYSCORE", key, "0", fmt.Sprint(now-1000)),
			card: speedtest.Args("ZCARD", key),
			add:  speedtest.Args("ZADD", key, fmt.Sprint(now), fmt.Sprintf("m:%012d", rng.IntN(1000))),
			exp:  speedtest.Args("PEXPIRE", key, "1000"),
		}
	}
	n := 0
	m := speedtest.NewCPUMeter(b)
	defer m.Done()
	for b.Loop() {
		r := &runs[n%len(runs)]
		n++
		s.Call(r.rem)
		if cardBelow100(s.Call(r.card)) {
			s.Call(r.add)
			s.Call(r.exp)
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
	s := speedtest.NewRig()
	for _, c := range []struct{ args, want string }{
		{"ZADD myzset 1 element:000000000001", ":1\r\n"},
		{"ZADD myzset 2 element:000000000001", ":0\r\n"},
		{"ZRANGEBYSCORE myzset 0 5 WITHSCORES", "*2\r\n$20\r\nelement:000000000001\r\n$1\r\n2\r\n"},
	} {
		var args [][]byte
		for _, f := range strings.Fields(c.args) {
			args = append(args, []byte(f))
		}
		if got := string(s.Call(args)); got != c.want {
			t.Fatalf("%s: %q, want %q", c.args, got, c.want)
		}
	}
}
