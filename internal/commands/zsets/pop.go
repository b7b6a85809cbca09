package zsets

import (
	"strconv"

	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/internal/types/zset"
)

// popN removes up to n members from the low (min) or high end.
func popN(z *zset.ZSet, n int64, min bool) []zset.Pair {
	k := int(n)
	if n > int64(z.Len()) {
		k = z.Len()
	}
	out := make([]zset.Pair, 0, k)
	if min {
		it := z.Iter(0, false)
		for i := 0; i < k; i++ {
			p, _ := it.Next()
			out = append(out, p)
		}
		z.DeleteSpan(0, k)
	} else {
		it := z.Iter(z.Len()-1, true)
		for i := 0; i < k; i++ {
			p, _ := it.Next()
			out = append(out, p)
		}
		z.DeleteSpan(z.Len()-k, z.Len())
	}
	return out
}

// replyPopped writes popped pairs: flat [m, s, ...] or, nested, [[m, s], ...].
func replyPopped(c *server.Ctx, ps []zset.Pair, nested bool) {
	if nested {
		c.R.ArrayLen(len(ps))
	} else {
		c.R.ArrayLen(2 * len(ps))
	}
	for _, p := range ps {
		if nested {
			c.R.ArrayLen(2)
		}
		c.R.BulkString(p.Member)
		c.R.Double(p.Score)
	}
}

func popName(min bool) []byte {
	if min {
		return []byte("ZPOPMIN")
	}
	return []byte("ZPOPMAX")
}

func cmdZPop(min bool) server.Handler {
	return func(c *server.Ctx) {
		if len(c.Args) > 3 {
			c.Err(rerr.Syntax)
			return
		}
		count := int64(-1)
		if len(c.Args) == 3 {
			n, ok := server.ParseInt(c.Args[2])
			if !ok || n < 0 {
				c.Err(rerr.NotPositive)
				return
			}
			count = n
		}
		key := c.Args[1]
		z, err := ZSetOf(c.DB, key, false)
		if err != nil {
			c.Err(err)
			return
		}
		if z == nil || count == 0 {
			c.R.ArrayLen(0)
			return
		}
		nested := c.R.Proto() > 2 && count != -1
		ps := popN(z, max(count, 1), min)
		replyPopped(c, ps, nested)
		afterRemove(c.DB, key, z)
	}
}

// zmpopArgs are ZMPOP's and BZMPOP's arguments after numkeys.
type zmpopArgs struct {
	keys  [][]byte
	min   bool
	count int64
}

func parseZMPop(c *server.Ctx, i int) (zmpopArgs, bool) {
	var a zmpopArgs
	n, ok := server.ParseInt(c.Args[i])
	if !ok || n <= 0 {
		c.Err(rerr.NumkeysZero)
		return a, false
	}
	where := int64(i) + n + 1
	if where >= int64(len(c.Args)) {
		c.Err(rerr.Syntax)
		return a, false
	}
	a.keys = c.Args[i+1 : where]
	switch {
	case server.Is(c.Args[where], "min"):
		a.min = true
	case server.Is(c.Args[where], "max"):
	default:
		c.Err(rerr.Syntax)
		return a, false
	}
	a.count = -1
	for j := int(where) + 1; j < len(c.Args); j++ {
		if a.count == -1 && server.Is(c.Args[j], "count") && j+1 < len(c.Args) {
			j++
			cnt, ok := server.ParseInt(c.Args[j])
			if !ok || cnt <= 0 {
				c.Err(rerr.CountZero)
				return a, false
			}
			a.count = cnt
			continue
		}
		c.Err(rerr.Syntax)
		return a, false
	}
	return a, true
}

// popFirst pops from the first non-empty set among keys. For ZMPOP
// (multi) it replies [key, [[m, s]...]] and propagates ZPOPMIN/MAX key
// count; for BZPOPMIN/MAX it replies [key, m, s] and propagates ZPOPMIN/MAX
// key. served is false when every key was missing or empty.
func popFirst(c *server.Ctx, keys [][]byte, min bool, count int64, multi bool) (served bool) {
	for _, key := range keys {
		z, err := ZSetOf(c.DB, key, false)
		if err != nil {
			if c.ReadyKey() != nil {
				return false
			}
			c.Err(err)
			return true
		}
		if z == nil || z.Len() == 0 {
			continue
		}
		if multi {
			ps := popN(z, max(count, 1), min)
			c.R.ArrayLen(2)
			c.R.Bulk(key)
			replyPopped(c, ps, true)
			afterRemove(c.DB, key, z)
			c.Propagate(popName(min), key, strconv.AppendInt(nil, max(count, 1), 10))
			return true
		}
		ps := popN(z, 1, min)
		c.R.ArrayLen(3)
		c.R.Bulk(key)
		c.R.BulkString(ps[0].Member)
		c.R.Double(ps[0].Score)
		afterRemove(c.DB, key, z)
		c.Propagate(popName(min), key)
		return true
	}
	return false
}

func cmdZMPop(c *server.Ctx) {
	a, ok := parseZMPop(c, 1)
	if !ok {
		return
	}
	if !popFirst(c, a.keys, a.min, a.count, true) {
		c.R.NullArray()
	}
}

func readyKeys(c *server.Ctx, keys [][]byte) [][]byte {
	if k := c.ReadyKey(); k != nil {
		return [][]byte{k}
	}
	return keys
}

func cmdBZPop(min bool) server.Handler {
	return func(c *server.Ctx) {
		timeout, err := server.ParseTimeout(c.Args[len(c.Args)-1])
		if err != nil {
			c.Err(err)
			return
		}
		keys := c.Args[1 : len(c.Args)-1]
		if popFirst(c, readyKeys(c, keys), min, -1, false) {
			return
		}
		c.Block(keys, timeout, server.NullArrayReply)
	}
}

func cmdBZMPop(c *server.Ctx) {
	a, ok := parseZMPop(c, 2)
	if !ok {
		return
	}
	timeout, err := server.ParseTimeout(c.Args[1])
	if err != nil {
		c.Err(err)
		return
	}
	if popFirst(c, readyKeys(c, a.keys), a.min, a.count, true) {
		return
	}
	c.Block(a.keys, timeout, server.NullArrayReply)
}

func cmdZRandMember(c *server.Ctx) {
	if len(c.Args) == 2 {
		z, err := ZSetOf(c.DB, c.Args[1], true)
		switch {
		case err != nil:
			c.Err(err)
		case z == nil:
			c.R.Null()
		default:
			c.R.BulkString(z.Random(c.KS.Rand.IntN).Member)
		}
		return
	}
	n, ok := server.ParseInt(c.Args[2])
	if !ok {
		c.Err(rerr.NotInt)
		return
	}
	if n == -1<<63 {
		c.Err(rerr.RandCountRange)
		return
	}
	withScores := false
	if len(c.Args) > 4 || (len(c.Args) == 4 && !server.Is(c.Args[3], "withscores")) {
		c.Err(rerr.Syntax)
		return
	}
	if len(c.Args) == 4 {
		withScores = true
		const half = (1<<63 - 1) / 2
		if n < -half || n > half {
			c.Err(rerr.OutOfRange)
			return
		}
	}
	z, err := ZSetOf(c.DB, c.Args[1], true)
	if err != nil {
		c.Err(err)
		return
	}
	if z == nil || n == 0 {
		c.R.ArrayLen(0)
		return
	}
	size := z.Len()
	rnd := c.KS.Rand.IntN
	var ps []zset.Pair
	switch {
	case n < 0 || n == 1:
		// repetitions allowed: sample the whole set every time
		k := n
		if k < 0 {
			k = -k
		}
		ps = make([]zset.Pair, 0, min(k, 1<<16))
		for i := int64(0); i < k; i++ {
			ps = append(ps, z.Random(rnd))
		}
	case n >= int64(size):
		ps = make([]zset.Pair, 0, size)
		z.Range(func(m string, s float64) bool {
			ps = append(ps, zset.Pair{Member: m, Score: s})
			return true
		})
	default:
		// distinct members: a partial shuffle of the ranks
		idx := make([]int, size)
		for i := range idx {
			idx[i] = i
		}
		for i := 0; i < int(n); i++ {
			j := i + rnd(size-i)
			idx[i], idx[j] = idx[j], idx[i]
		}
		ps = make([]zset.Pair, 0, n)
		for _, r := range idx[:n] {
			ps = append(ps, z.At(r))
		}
	}
	replyPairs(c, ps, withScores)
}
