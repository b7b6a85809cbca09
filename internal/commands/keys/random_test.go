package keys_test

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/moonkv/moonkv"
	"github.com/moonkv/moonkv/test/compat"
)

// TestRandomAgainstRedis sends the same random sequence of keyspace
// commands, over a few keys, types and databases, to moonkv and to a live
// redis-server and compares every reply byte for byte. Deadlines are far
// enough away that the two servers' clocks cannot disagree on a TTL. It
// runs with MOONKV_ORACLE=live and in CI.
func TestRandomAgainstRedis(t *testing.T) {
	if !compat.ModeFromEnv(t).Live {
		t.Skip("needs the live oracle (MOONKV_ORACLE=live)")
	}
	srv, err := moonkv.Start(moonkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ours, theirs := compat.NewSession(srv.Addr()), compat.NewSession(compat.StartRedis(t))
	defer ours.Close()
	defer theirs.Close()

	for seed := uint64(1); seed <= 4; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		g := gen{rng: rng}
		var history []string
		for i := 0; i < 1500; i++ {
			args := g.next()
			line := strings.Join(args, " ")
			history = append(history, line)
			st := compat.Step{Conn: 1 + rng.IntN(2), Args: toBytes(args)}
			if args[0] == "KEYS" {
				st.Sorted = true
			}
			a, err := ours.Do(st)
			if err != nil {
				t.Fatalf("moonkv: %s: %v", line, err)
			}
			b, err := theirs.Do(st)
			if err != nil {
				t.Fatalf("redis: %s: %v", line, err)
			}
			if st.Sorted {
				a, b = compat.Canonical(a), compat.Canonical(b)
			}
			if !bytes.Equal(a, b) && !(args[0] == "TTL" && closeTTL(a, b)) {
				from := max(0, len(history)-15)
				t.Fatalf("seed %d, step %d: %s\n redis:  %q\n moonkv: %q\nlast commands:\n%s",
					seed, i, line, b, a, strings.Join(history[from:], "\n"))
			}
		}
		for _, s := range []*compat.Session{ours, theirs} {
			s.Do(compat.Step{Conn: 1, Args: toBytes([]string{"FLUSHALL"})})
		}
	}
}

// closeTTL accepts TTL replies a second apart: a relative deadline read
// back in seconds rounds, and the two servers' clocks differ by the time
// between them, so a rounding boundary may fall in between.
func closeTTL(a, b []byte) bool {
	x, errA := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(string(a), ":"), "\r\n"))
	y, errB := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(string(b), ":"), "\r\n"))
	return errA == nil && errB == nil && x >= 0 && y >= 0 && (x-y == 1 || y-x == 1)
}

func toBytes(args []string) [][]byte {
	out := make([][]byte, len(args))
	for i, a := range args {
		out[i] = []byte(a)
	}
	return out
}

type gen struct{ rng *rand.Rand }

func (g gen) pick(xs ...string) string { return xs[g.rng.IntN(len(xs))] }
func (g gen) key() string              { return g.pick("a", "b", "c", "d") }
func (g gen) db() string               { return g.pick("0", "1", "2", "0", "1", "16", "-1", "x") }

func (g gen) next() []string {
	switch g.rng.IntN(26) {
	case 0, 1, 2:
		return []string{"SET", g.key(), g.pick("1", "9999", "10000", "-5", "hello", strings.Repeat("x", 50))}
	case 3:
		switch g.rng.IntN(3) {
		case 0:
			return []string{"RPUSH", g.key(), "x", "y"}
		case 1:
			return []string{"SADD", g.key(), g.pick("1", "m")}
		default:
			return []string{"HSET", g.key(), "f", "v"}
		}
	case 4:
		return []string{g.pick("DEL", "UNLINK"), g.key(), g.key()}
	case 5:
		return []string{"EXISTS", g.key(), g.key(), g.key()}
	case 6:
		return []string{"TYPE", g.key()}
	case 7:
		return []string{"TOUCH", g.key(), g.key()}
	case 8, 9:
		return []string{g.pick("RENAME", "RENAMENX"), g.key(), g.key()}
	case 10, 11:
		args := []string{"COPY", g.key(), g.key()}
		if g.rng.IntN(2) == 0 {
			args = append(args, "DB", g.db())
		}
		if g.rng.IntN(2) == 0 {
			args = append(args, "REPLACE")
		}
		return args
	case 12:
		return []string{"MOVE", g.key(), g.db()}
	case 13, 14:
		args := []string{g.pick("EXPIRE", "EXPIRE", "PEXPIRE"), g.key(), g.pick("100", "200", "1000", "-1", "x")}
		if args[0] == "PEXPIRE" && args[2] != "-1" && args[2] != "x" {
			args[2] += "000"
		}
		// Relative deadlines take only the conditions that do not compare
		// them: two servers may disagree on whether a millisecond passed.
		if g.rng.IntN(2) == 0 {
			args = append(args, g.pick("NX", "XX", "xx", "FOO"))
		}
		if g.rng.IntN(6) == 0 {
			args = append(args, g.pick("NX", "XX", "GT", "LT"))
		}
		return args
	case 15:
		args := []string{g.pick("EXPIREAT", "PEXPIREAT"), g.key(), g.pick("4000000000", "5000000000", "1")}
		if g.rng.IntN(2) == 0 {
			args = append(args, g.pick("NX", "XX", "GT", "LT", "gt"))
		}
		return args
	case 16, 17:
		return []string{g.pick("TTL", "TTL", "PERSIST"), g.key()}
	case 18:
		return []string{"SWAPDB", g.db(), g.db()}
	case 19:
		return []string{"SELECT", g.pick("0", "1", "2")}
	case 20:
		return []string{"DBSIZE"}
	case 21:
		return []string{"KEYS", g.pick("*", "a*", "[ab]", "?", "*c*")}
	case 22:
		return []string{"OBJECT", g.pick("ENCODING", "REFCOUNT", "encoding"), g.key()}
	case 23:
		if g.rng.IntN(8) == 0 {
			return []string{g.pick("FLUSHDB", "FLUSHALL")}
		}
		return []string{"DBSIZE"}
	case 24:
		return []string{"SCAN", "0", "MATCH", g.key(), "COUNT", "1000"}
	default:
		return []string{"GET", g.key()}
	}
}
