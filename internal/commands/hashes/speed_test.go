package hashes_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/moonkv/moonkv/internal/commands/speedtest"
)

// The Speed benchmarks replay redis-benchmark's HSET workload (a row of
// bench/types-vs-redis) through server.Call, the path a command takes
// after the dispatcher found its spec, minus the network: "HSET myhash
// element:__rand_int__ xxx" with 12-digit zero-padded numbers below
// 100000, 200000 calls per run (the hash then holds about 86000 fields),
// the hash deleted between runs outside the timer.

func BenchmarkSpeedHSet(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	cmds := make([][][]byte, 1<<16)
	for i := range cmds {
		cmds[i] = speedtest.Args("HSET", "myhash", fmt.Sprintf("element:%012d", rng.IntN(100000)), "xxx")
	}
	speedtest.Runs(b, "myhash", cmds)
}

// BenchmarkSpeedHSetSmall sets fields of 1000 hashes that stay listpacks.
func BenchmarkSpeedHSetSmall(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	cmds := make([][][]byte, 1<<16)
	for i := range cmds {
		cmds[i] = speedtest.Args("HSET", fmt.Sprintf("h:%d", rng.IntN(1000)), fmt.Sprintf("f%d", rng.IntN(20)), "xxx")
	}
	speedtest.Runs(b, "none", cmds)
}

func TestSpeedRigReplies(t *testing.T) {
	s := speedtest.NewRig()
	for _, c := range []struct{ args, want string }{
		{"HSET myhash element:000000000001 xxx", ":1\r\n"},
		{"HSET myhash element:000000000001 yyy", ":0\r\n"},
		{"HGET myhash element:000000000001", "$3\r\nyyy\r\n"},
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
