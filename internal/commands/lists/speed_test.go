package lists_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/moonkv/moonkv/internal/commands/speedtest"
)

// The Speed benchmarks replay redis-benchmark's own workloads (the rows of
// bench/types-vs-redis) through server.Call, the path a command takes after
// the dispatcher found its spec: statistics, the handler, the keyspace and
// the reply, minus the network. redis-benchmark fills __rand_int__ with a
// 12-digit zero-padded number below -r (100000 there) and uses "xxx" as
// the value (-d 3).

func randInt(rng *rand.Rand) string { return fmt.Sprintf("%012d", rng.IntN(100000)) }

// pushes runs cmd, deleting the list (outside the timer) every 200000
// calls, so that the list stays the size one redis-benchmark run builds.
func pushes(b *testing.B, cmd [][]byte) {
	s := speedtest.NewRig()
	del := speedtest.Args("DEL", "mylist")
	n := 0
	m := speedtest.NewCPUMeter(b)
	defer m.Done()
	for b.Loop() {
		if n == 200000 {
			m.Pause()
			s.Call(del)
			n = 0
			m.Resume()
		}
		s.Call(cmd)
		n++
	}
}

func BenchmarkSpeedLPush(b *testing.B) { pushes(b, speedtest.Args("LPUSH", "mylist", "xxx")) }
func BenchmarkSpeedRPush(b *testing.B) { pushes(b, speedtest.Args("RPUSH", "mylist", "xxx")) }

// BenchmarkSpeedLPop pops from a long list of random values, refilling it
// (outside the timer) when it runs dry.
func BenchmarkSpeedLPop(b *testing.B) {
	s := speedtest.NewRig()
	rng := rand.New(rand.NewPCG(1, 2))
	fill := make([][][]byte, 100000)
	for i := range fill {
		fill[i] = speedtest.Args("LPUSH", "mylist", randInt(rng))
	}
	refill := func() {
		for _, c := range fill {
			s.Call(c)
		}
	}
	refill()
	cmd := speedtest.Args("LPOP", "mylist")
	left := len(fill)
	m := speedtest.NewCPUMeter(b)
	defer m.Done()
	for b.Loop() {
		if left == 0 {
			m.Pause()
			refill()
			left = len(fill)
			m.Resume()
		}
		s.Call(cmd)
		left--
	}
}

func TestSpeedRigReplies(t *testing.T) {
	s := speedtest.NewRig()
	if got := string(s.Call(speedtest.Args("LPUSH", "mylist", "xxx"))); got != ":1\r\n" {
		t.Fatalf("LPUSH: %q", got)
	}
	if got := string(s.Call(speedtest.Args("RPUSH", "mylist", "yyy"))); got != ":2\r\n" {
		t.Fatalf("RPUSH: %q", got)
	}
	if got := string(s.Call(speedtest.Args("LPOP", "mylist"))); got != "$3\r\nxxx\r\n" {
		t.Fatalf("LPOP: %q", got)
	}
}
