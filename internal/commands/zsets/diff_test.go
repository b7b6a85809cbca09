package zsets_test

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/moonkv/moonkv"
	"github.com/moonkv/moonkv/test/compat"
)

// TestRandomAgainstRedis sends the same random sorted set commands to
// moonkv and redis-server and compares every raw reply (skipped without
// redis-server). Small member and score domains make ties, updates and
// removals frequent; a low zset-max-listpack-entries makes sets cross to
// the skiplist and back through new keys.
func TestRandomAgainstRedis(t *testing.T) {
	compat.NeedRedis(t)
	srv, err := moonkv.Start(moonkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	raddr := compat.StartRedis(t)
	m, r := dialRaw(t, srv.Addr()), dialRaw(t, raddr)
	for _, c := range [][]string{{"CONFIG", "SET", "zset-max-listpack-entries", "6"}} {
		m.do(c)
		r.do(c)
	}
	for _, seed := range []uint64{1, 2, 3} {
		randomRun(t, m, r, seed)
	}
}

func randomRun(t *testing.T, m, r *rawConn, seed uint64) {
	for _, k := range []string{"z1", "z2", "z3", "lx"} {
		m.do([]string{"DEL", k})
		r.do([]string{"DEL", k})
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	keys := []string{"z1", "z2", "z3"}
	member := func() string { return fmt.Sprintf("m%d", rng.IntN(12)) }
	score := func() string {
		return []string{"0", "1", "1.5", "2", "-1", "3", "+inf", "-inf", "10"}[rng.IntN(9)]
	}
	bound := func() string {
		b := []string{"0", "1", "2", "(1", "(2", "-inf", "+inf", "1.5", "(3"}[rng.IntN(9)]
		return b
	}
	lex := func() string {
		return []string{"-", "+", "[m1", "(m1", "[m5", "(m7", "[m", "(m10"}[rng.IntN(8)]
	}
	// lex ranges are only defined over equal scores: they get a key of
	// their own whose members all score 0
	lexAdd := func() []string { return []string{"ZADD", "lx", "0", member(), "0", member()} }
	idx := func() string { return fmt.Sprint(rng.IntN(14) - 7) }
	key := func() string { return keys[rng.IntN(len(keys))] }
	gen := []func() []string{
		func() []string { return []string{"ZADD", key(), score(), member(), score(), member()} },
		func() []string {
			return []string{"ZADD", key(), []string{"NX", "XX", "GT", "LT", "CH"}[rng.IntN(5)], score(), member()}
		},
		func() []string { return []string{"ZADD", key(), "INCR", score(), member()} },
		func() []string { return []string{"ZINCRBY", key(), score(), member()} },
		func() []string { return []string{"ZREM", key(), member(), member()} },
		func() []string { return []string{"ZRANGE", key(), idx(), idx(), "WITHSCORES"} },
		func() []string { return []string{"ZRANGE", key(), idx(), idx(), "REV"} },
		func() []string { return []string{"ZRANGEBYSCORE", key(), bound(), bound(), "WITHSCORES"} },
		func() []string {
			return []string{"ZRANGE", key(), bound(), bound(), "BYSCORE", "REV", "LIMIT", fmt.Sprint(rng.IntN(3)), fmt.Sprint(rng.IntN(4) - 1)}
		},
		lexAdd,
		func() []string { return []string{"ZREM", "lx", member()} },
		func() []string { return []string{"ZRANGEBYLEX", "lx", lex(), lex()} },
		func() []string { return []string{"ZRANGE", "lx", lex(), lex(), "BYLEX", "REV", "LIMIT", "1", "3"} },
		func() []string { return []string{"ZREVRANGEBYLEX", "lx", lex(), lex(), "LIMIT", "1", "2"} },
		func() []string { return []string{"ZCOUNT", key(), bound(), bound()} },
		func() []string { return []string{"ZLEXCOUNT", "lx", lex(), lex()} },
		func() []string { return []string{"ZRANK", key(), member()} },
		func() []string { return []string{"ZREVRANK", key(), member()} },
		func() []string { return []string{"ZSCORE", key(), member()} },
		func() []string { return []string{"ZMSCORE", key(), member(), member()} },
		func() []string { return []string{"ZCARD", key()} },
		func() []string { return []string{"ZREMRANGEBYRANK", key(), idx(), idx()} },
		func() []string { return []string{"ZREMRANGEBYSCORE", key(), bound(), bound()} },
		func() []string {
			if rng.IntN(4) > 0 {
				return lexAdd()
			}
			return []string{"ZREMRANGEBYLEX", "lx", lex(), lex()}
		},
		func() []string { return []string{"ZPOPMIN", key(), fmt.Sprint(rng.IntN(3))} },
		func() []string { return []string{"ZPOPMAX", key()} },
		func() []string { return []string{"ZMPOP", "2", key(), key(), "MAX", "COUNT", "2"} },
		func() []string {
			return []string{"ZUNIONSTORE", key(), "2", key(), key(), "WEIGHTS", score(), "2", "AGGREGATE", []string{"SUM", "MIN", "MAX"}[rng.IntN(3)]}
		},
		func() []string { return []string{"ZINTER", "2", key(), key(), "WITHSCORES"} },
		func() []string { return []string{"ZDIFF", "2", key(), key(), "WITHSCORES"} },
		func() []string { return []string{"ZRANGESTORE", key(), key(), bound(), bound(), "BYSCORE"} },
		func() []string { return []string{"ZINTERCARD", "2", key(), key()} },
		func() []string { return []string{"OBJECT", "ENCODING", key()} },
	}
	for i := 0; i < 5000; i++ {
		cmd := gen[rng.IntN(len(gen))]()
		want, got := r.do(cmd), m.do(cmd)
		if !bytes.Equal(want, got) {
			t.Fatalf("seed %d step %d: %s\n redis:  %q\n moonkv: %q", seed, i, strings.Join(cmd, " "), want, got)
		}
	}
}

type rawConn struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

func dialRaw(t *testing.T, addr string) *rawConn {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawConn{t: t, c: c, r: bufio.NewReader(c)}
}

func (c *rawConn) do(args []string) []byte {
	c.c.SetDeadline(time.Now().Add(5 * time.Second))
	c.c.Write(compat.Encode(argv(args...)))
	b, err := compat.ReadReply(c.r)
	if err != nil {
		c.t.Fatal(err)
	}
	return b
}
