package zsets

import (
	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/internal/types/zset"
)

// ZSetOf returns the sorted set at key (nil when missing) or WRONGTYPE.
// read selects the lookup that counts keyspace hits and misses.
func ZSetOf(db *keyspace.DB, key []byte, read bool) (*zset.ZSet, error) {
	return keyspace.ObjectOf[*zset.ZSet](db, key, keyspace.TypeZSet, read)
}

func newZSet(db *keyspace.DB) *zset.ZSet { return zset.New(&db.Keyspace().Limits) }

func zsetEntry(z *zset.ZSet) keyspace.Entry { return keyspace.Entry{Obj: z, Type: keyspace.TypeZSet} }

// afterRemove deletes a set that became empty, or signals the change.
func afterRemove(db *keyspace.DB, key []byte, z *zset.ZSet) {
	if z.Len() == 0 {
		db.Delete(key)
	} else {
		db.Modified(key)
	}
}

// store replaces dst with z, or deletes dst when z is empty; it returns
// z's size.
func store(db *keyspace.DB, dst []byte, z *zset.ZSet) int {
	if z.Len() == 0 {
		db.Delete(dst)
		return 0
	}
	db.Set(dst, zsetEntry(z))
	return z.Len()
}

func cmdZAdd(c *server.Ctx) { zadd(c, 0) }

func cmdZIncrBy(c *server.Ctx) { zadd(c, zset.Incr) }

func zadd(c *server.Ctx, flags int) {
	ch := false
	i := 2
	if flags == 0 {
	opts:
		for ; i < len(c.Args); i++ {
			switch a := c.Args[i]; {
			case server.Is(a, "nx"):
				flags |= zset.NX
			case server.Is(a, "xx"):
				flags |= zset.XX
			case server.Is(a, "gt"):
				flags |= zset.GT
			case server.Is(a, "lt"):
				flags |= zset.LT
			case server.Is(a, "ch"):
				ch = true
			case server.Is(a, "incr"):
				flags |= zset.Incr
			default:
				break opts
			}
		}
	}
	pairs := c.Args[i:]
	if len(pairs) == 0 || len(pairs)%2 != 0 {
		c.Err(rerr.Syntax)
		return
	}
	incr := flags&zset.Incr != 0
	switch {
	case flags&zset.NX != 0 && flags&zset.XX != 0:
		c.Err(rerr.ZaddXXNX)
		return
	case (flags&zset.GT != 0 && flags&zset.NX != 0) || (flags&zset.LT != 0 && flags&zset.NX != 0) || (flags&zset.GT != 0 && flags&zset.LT != 0):
		c.Err(rerr.ZaddGTLTNX)
		return
	case incr && len(pairs) > 2:
		c.Err(rerr.ZaddIncrPair)
		return
	}
	// the scores are all parsed before anything is written
	var small [8]float64
	scores := small[:0]
	if len(pairs)/2 > len(small) {
		scores = make([]float64, 0, len(pairs)/2)
	}
	scores = scores[:len(pairs)/2]
	for j := range scores {
		f, ok := zset.ParseScore(pairs[2*j])
		if !ok {
			c.Err(rerr.NotFloat)
			return
		}
		scores[j] = f
	}
	key := c.Args[1]
	z, err := ZSetOf(c.DB, key, false)
	if err != nil {
		c.Err(err)
		return
	}
	created := false
	if z == nil {
		if flags&zset.XX != 0 {
			if incr {
				c.R.Null()
			} else {
				c.R.Int(0)
			}
			return
		}
		z = newZSet(c.DB)
		created = true
	}
	added, updated, processed := 0, 0, 0
	var score float64
	for j, s := range scores {
		res, ns := z.AddBytes(pairs[2*j+1], s, flags)
		switch res {
		case zset.NaN:
			if created && z.Len() > 0 {
				c.DB.Set(key, zsetEntry(z))
			}
			c.Err(rerr.ZscoreNaN)
			return
		case zset.Added:
			added++
			processed++
		case zset.Updated:
			updated++
			processed++
		case zset.Same:
			processed++ // done, just not changed
		}
		score = ns
	}
	if created {
		if z.Len() > 0 {
			c.DB.Set(key, zsetEntry(z))
		}
	} else if added+updated > 0 {
		c.DB.Modified(key)
	}
	switch {
	case incr && processed > 0:
		c.R.Double(score)
	case incr:
		c.R.Null()
	case ch:
		c.R.Int(int64(added + updated))
	default:
		c.R.Int(int64(added))
	}
}

func cmdZRem(c *server.Ctx) {
	key := c.Args[1]
	z, err := ZSetOf(c.DB, key, false)
	if err != nil {
		c.Err(err)
		return
	}
	if z == nil {
		c.R.Int(0)
		return
	}
	n := 0
	for _, m := range c.Args[2:] {
		if z.Remove(string(m)) {
			n++
			if z.Len() == 0 {
				break
			}
		}
	}
	if n > 0 {
		afterRemove(c.DB, key, z)
	}
	c.R.Int(int64(n))
}

func cmdZCard(c *server.Ctx) {
	z, err := ZSetOf(c.DB, c.Args[1], true)
	switch {
	case err != nil:
		c.Err(err)
	case z == nil:
		c.R.Int(0)
	default:
		c.R.Int(int64(z.Len()))
	}
}

func cmdZScore(c *server.Ctx) {
	z, err := ZSetOf(c.DB, c.Args[1], true)
	if err != nil {
		c.Err(err)
		return
	}
	if z != nil {
		if s, ok := z.Score(string(c.Args[2])); ok {
			c.R.Double(s)
			return
		}
	}
	c.R.Null()
}

func cmdZMScore(c *server.Ctx) {
	z, err := ZSetOf(c.DB, c.Args[1], true)
	if err != nil {
		c.Err(err)
		return
	}
	c.R.ArrayLen(len(c.Args) - 2)
	for _, m := range c.Args[2:] {
		if z != nil {
			if s, ok := z.Score(string(m)); ok {
				c.R.Double(s)
				continue
			}
		}
		c.R.Null()
	}
}

func cmdZRank(rev bool) server.Handler {
	return func(c *server.Ctx) {
		z, err := ZSetOf(c.DB, c.Args[1], true)
		if err != nil {
			c.Err(err)
			return
		}
		if z != nil {
			if r, ok := z.Rank(string(c.Args[2]), rev); ok {
				c.R.Int(int64(r))
				return
			}
		}
		c.R.Null()
	}
}

func parseScoreRange(c *server.Ctx, min, max []byte) (zset.ScoreRange, bool) {
	r, ok := zset.ParseScoreRange(min, max)
	if !ok {
		c.Err(rerr.MinMaxNotFloat)
	}
	return r, ok
}

func parseLexRange(c *server.Ctx, min, max []byte) (zset.LexRange, bool) {
	r, ok := zset.ParseLexRange(min, max)
	if !ok {
		c.Err(rerr.MinMaxNotLex)
	}
	return r, ok
}

func spanLen(s, e int) int64 { return int64(max(e-s, 0)) }

func cmdZCount(c *server.Ctx) {
	r, ok := parseScoreRange(c, c.Args[2], c.Args[3])
	if !ok {
		return
	}
	z, err := ZSetOf(c.DB, c.Args[1], true)
	switch {
	case err != nil:
		c.Err(err)
	case z == nil:
		c.R.Int(0)
	default:
		c.R.Int(spanLen(z.ScoreSpan(r)))
	}
}

func cmdZLexCount(c *server.Ctx) {
	r, ok := parseLexRange(c, c.Args[2], c.Args[3])
	if !ok {
		return
	}
	z, err := ZSetOf(c.DB, c.Args[1], true)
	switch {
	case err != nil:
		c.Err(err)
	case z == nil:
		c.R.Int(0)
	default:
		c.R.Int(spanLen(z.LexSpan(r)))
	}
}

// clampRanks turns rank arguments into an ascending span [s, e) of a set
// of n members (empty when s == e).
func clampRanks(start, stop int64, n int) (int, int) {
	first, last, ok := server.ClampRange(start, stop, n)
	if !ok {
		return 0, 0
	}
	return first, last + 1
}

type remKind int

const (
	remRank remKind = iota
	remScore
	remLex
)

func cmdZRemRange(kind remKind) server.Handler {
	return func(c *server.Ctx) {
		var start, stop int64
		var sr zset.ScoreRange
		var lr zset.LexRange
		var ok bool
		switch kind {
		case remRank:
			if start, ok = c.Int(c.Args[2]); !ok {
				return
			}
			if stop, ok = c.Int(c.Args[3]); !ok {
				return
			}
		case remScore:
			if sr, ok = parseScoreRange(c, c.Args[2], c.Args[3]); !ok {
				return
			}
		case remLex:
			if lr, ok = parseLexRange(c, c.Args[2], c.Args[3]); !ok {
				return
			}
		}
		key := c.Args[1]
		z, err := ZSetOf(c.DB, key, false)
		if err != nil {
			c.Err(err)
			return
		}
		if z == nil {
			c.R.Int(0)
			return
		}
		var s, e int
		switch kind {
		case remRank:
			s, e = clampRanks(start, stop, z.Len())
		case remScore:
			s, e = z.ScoreSpan(sr)
		case remLex:
			s, e = z.LexSpan(lr)
		}
		n := z.DeleteSpan(s, e)
		if n > 0 {
			afterRemove(c.DB, key, z)
		}
		c.R.Int(int64(n))
	}
}

// replyPairs writes pairs as Redis replies a range: members only, or
// with scores (flat in RESP2, [member, score] pairs in RESP3).
func replyPairs(c *server.Ctx, ps []zset.Pair, withScores bool) {
	r := c.R
	if withScores && r.Proto() == 2 {
		r.ArrayLen(2 * len(ps))
	} else {
		r.ArrayLen(len(ps))
	}
	for _, p := range ps {
		if withScores && r.Proto() > 2 {
			r.ArrayLen(2)
		}
		r.BulkString(p.Member)
		if withScores {
			r.Double(p.Score)
		}
	}
}

// replyIter is replyPairs for the next n pairs of an iterator.
func replyIter(c *server.Ctx, it *zset.Iter, n int, withScores bool) {
	r := c.R
	resp3 := r.Proto() > 2
	if withScores && !resp3 {
		r.ArrayLen(2 * n)
	} else {
		r.ArrayLen(n)
	}
	for i := 0; i < n; i++ {
		p, _ := it.Next()
		if withScores && resp3 {
			r.ArrayLen(2)
		}
		r.BulkString(p.Member)
		if withScores {
			r.Double(p.Score)
		}
	}
}
