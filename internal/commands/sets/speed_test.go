package sets_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/moonkv/moonkv/internal/commands/speedtest"
)

// The Speed benchmarks replay redis-benchmark's SADD workload (a row of
// bench/types-vs-redis) through server.Call, the path a command takes
// after the dispatcher found its spec, minus the network: "SADD myset
// element:__rand_int__" with 12-digit zero-padded numbers below 100000,
// 200000 calls per run (the set then holds about 86000 members), the set
// deleted between runs outside the timer.

func BenchmarkSpeedSAdd(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	cmds := make([][][]byte, 1<<16)
	for i := range cmds {
		cmds[i] = speedtest.Args("SADD", "myset", fmt.Sprintf("element:%012d", rng.IntN(100000)))
	}
	speedtest.Runs(b, "myset", cmds)
}

// BenchmarkSpeedSAddIntset adds integers to sets that stay intsets.
func BenchmarkSpeedSAddIntset(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	cmds := make([][][]byte, 1<<16)
	for i := range cmds {
		cmds[i] = speedtest.Args("SADD", fmt.Sprintf("is:%d", rng.IntN(1000)), fmt.Sprint(rng.IntN(400)))
	}
	speedtest.Runs(b, "none", cmds)
}

func TestSpeedRigReplies(t *testing.T) {
	s := speedtest.NewRig()
	for _, c := range []struct{ args, want string }{
		{"SADD myset element:000000000001", ":1\r\n"},
		{"SADD myset element:000000000001", ":0\r\n"},
		{"SCARD myset", ":1\r\n"},
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
