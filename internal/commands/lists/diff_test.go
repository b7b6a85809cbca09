package lists_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/moonkv/moonkv"
	"github.com/moonkv/moonkv/test/compat"
)

// TestRandomAgainstRedis sends the same random list commands to moonkv
// and redis-server and compares every raw reply (skipped without
// redis-server). A small list-max-listpack-size makes lists span many
// quicklist nodes.
func TestRandomAgainstRedis(t *testing.T) {
	compat.NeedRedis(t)
	srv, err := moonkv.Start(moonkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	raddr := compat.StartRedis(t)
	m, r := newRigConn(t, srv.Addr()), newRigConn(t, raddr)
	for _, size := range []string{"3", "-1"} {
		m.do("CONFIG", "SET", "list-max-listpack-size", size)
		r.do("CONFIG", "SET", "list-max-listpack-size", size)
		for seed := uint64(1); seed <= 2; seed++ {
			m.do("FLUSHALL")
			r.do("FLUSHALL")
			rng := rand.New(rand.NewPCG(seed, 11))
			keys := []string{"l1", "l2", "l3"}
			key := func() string { return keys[rng.IntN(len(keys))] }
			val := func() string {
				if rng.IntN(30) == 0 {
					return strings.Repeat("big", 700+rng.IntN(2000))
				}
				return fmt.Sprintf("v%d", rng.IntN(8))
			}
			idx := func() string { return fmt.Sprint(rng.IntN(30) - 15) }
			side := func() string { return []string{"LEFT", "RIGHT"}[rng.IntN(2)] }
			gen := []func() []string{
				func() []string { return []string{"RPUSH", key(), val(), val(), val()} },
				func() []string { return []string{"LPUSH", key(), val(), val()} },
				func() []string { return []string{"LPUSHX", key(), val()} },
				func() []string { return []string{"RPOP", key()} },
				func() []string { return []string{"LPOP", key(), fmt.Sprint(rng.IntN(4))} },
				func() []string { return []string{"LINDEX", key(), idx()} },
				func() []string { return []string{"LSET", key(), idx(), val()} },
				func() []string { return []string{"LRANGE", key(), idx(), idx()} },
				func() []string { return []string{"LRANGE", key(), "0", "-1"} },
				func() []string { return []string{"LTRIM", key(), idx(), idx()} },
				func() []string { return []string{"LREM", key(), fmt.Sprint(rng.IntN(5) - 2), val()} },
				func() []string {
					return []string{"LINSERT", key(), []string{"BEFORE", "AFTER"}[rng.IntN(2)], val(), val()}
				},
				func() []string {
					return []string{"LPOS", key(), val(), "RANK", fmt.Sprint(rng.IntN(5) - 2 | 1), "COUNT", fmt.Sprint(rng.IntN(3)), "MAXLEN", fmt.Sprint(rng.IntN(10))}
				},
				func() []string { return []string{"LMOVE", key(), key(), side(), side()} },
				func() []string { return []string{"RPOPLPUSH", key(), key()} },
				func() []string {
					return []string{"LMPOP", "2", key(), key(), side(), "COUNT", fmt.Sprint(1 + rng.IntN(3))}
				},
				func() []string { return []string{"LLEN", key()} },
			}
			for i := 0; i < 3000; i++ {
				cmd := gen[rng.IntN(len(gen))]()
				want, got := r.do(cmd...), m.do(cmd...)
				if !bytes.Equal(want, got) {
					t.Fatalf("size %s seed %d step %d: %.200s\n redis:  %.300q\n moonkv: %.300q", size, seed, i, strings.Join(cmd, " "), want, got)
				}
			}
		}
	}
}

type rigConn struct{ c *client }

func newRigConn(t *testing.T, addr string) *rigConn {
	r := &rig{t: t, addr: addr}
	return &rigConn{c: r.dial()}
}

func (c *rigConn) do(args ...string) []byte { return []byte(c.c.do(args...)) }
