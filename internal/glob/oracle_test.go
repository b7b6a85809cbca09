package glob_test

import (
	"bufio"
	"math/rand/v2"
	"net"
	"slices"
	"testing"

	"github.com/moonkv/moonkv/internal/glob"
	"github.com/moonkv/moonkv/test/compat"
)

// TestRandomAgainstRedis matches random patterns over a small alphabet,
// rich in special characters, against random keys, and compares with what
// KEYS answers on a live redis-server. It runs with MOONKV_ORACLE=live and
// in CI.
func TestRandomAgainstRedis(t *testing.T) {
	if !compat.ModeFromEnv(t).Live {
		t.Skip("needs the live oracle (MOONKV_ORACLE=live)")
	}
	addr := compat.StartRedis(t)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	do := func(args ...string) []byte {
		bs := make([][]byte, len(args))
		for i, a := range args {
			bs[i] = []byte(a)
		}
		if _, err := conn.Write(compat.Encode(bs)); err != nil {
			t.Fatal(err)
		}
		reply, err := compat.ReadReply(r)
		if err != nil {
			t.Fatal(err)
		}
		return reply
	}
	rng := rand.New(rand.NewPCG(42, 7))
	const subjAlphabet = "abAB-]^\\*?["
	const patAlphabet = "abAB-]^\\*?[[]*?"
	gen := func(alpha string, max int) string {
		b := make([]byte, rng.IntN(max+1))
		for i := range b {
			b[i] = alpha[rng.IntN(len(alpha))]
		}
		return string(b)
	}
	subjects := map[string]bool{}
	for len(subjects) < 300 {
		subjects[gen(subjAlphabet, 5)] = true
	}
	args := []string{"MSET"}
	for s := range subjects {
		args = append(args, s, "1")
	}
	do(args...)
	for i := 0; i < 1500; i++ {
		p := gen(patAlphabet, 7)
		if p == "*" {
			continue // KEYS lists everything for "*" without matching
		}
		got := compat.Canonical(do("KEYS", p))
		var want []string
		for s := range subjects {
			if glob.Match(p, s, false) {
				want = append(want, s)
			}
		}
		slices.Sort(want)
		wantBytes := [][]byte{}
		for _, s := range want {
			wantBytes = append(wantBytes, []byte(s))
		}
		if exp := compat.Canonical(encodeArray(wantBytes)); string(exp) != string(got) {
			t.Fatalf("pattern %q: Redis matched %q, we matched %q", p, got, exp)
		}
	}
}

func encodeArray(items [][]byte) []byte {
	// A RESP array of bulk strings is what Encode writes for a command.
	if len(items) == 0 {
		return []byte("*0\r\n")
	}
	return compat.Encode(items)
}
