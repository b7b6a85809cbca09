package zsets

import (
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/internal/types/zset"
)

type rangeKind int

const (
	byAuto rangeKind = iota
	byRank
	byScore
	byLex
)

type direction int

const (
	dirAuto direction = iota
	dirForward
	dirReverse
)

// zrangeReq is a parsed ZRANGE-family request.
type zrangeReq struct {
	kind        rangeKind
	rev         bool
	withScores  bool
	offset      int64
	limit       int64 // -1: no limit
	start, stop int64
	sr          zset.ScoreRange
	lr          zset.LexRange
}

// parseZRange parses the arguments after the source key at args[src]
// (min, max, options) as Redis's zrangeGenericCommand does, with kind and
// dir preset by the legacy commands. It replies the error itself.
func parseZRange(c *server.Ctx, src int, kind rangeKind, dir direction, storing bool) (zrangeReq, bool) {
	q := zrangeReq{limit: -1}
	minIdx, maxIdx := src+1, src+2
	for j := src + 3; j < len(c.Args); j++ {
		left := len(c.Args) - j - 1
		a := c.Args[j]
		switch {
		case !storing && server.Is(a, "withscores"):
			q.withScores = true
		case server.Is(a, "limit") && left >= 2:
			var ok bool
			if q.offset, ok = c.Int(c.Args[j+1]); !ok {
				return q, false
			}
			if q.limit, ok = c.Int(c.Args[j+2]); !ok {
				return q, false
			}
			j += 2
		case dir == dirAuto && server.Is(a, "rev"):
			dir = dirReverse
		case kind == byAuto && server.Is(a, "bylex"):
			kind = byLex
		case kind == byAuto && server.Is(a, "byscore"):
			kind = byScore
		default:
			c.Err(rerr.Syntax)
			return q, false
		}
	}
	if dir == dirAuto {
		dir = dirForward
	}
	if kind == byAuto {
		kind = byRank
	}
	q.kind, q.rev = kind, dir == dirReverse
	if q.limit != -1 && kind == byRank {
		c.Err(rerr.ZrangeLimit)
		return q, false
	}
	if q.withScores && kind == byLex {
		c.Err(rerr.ZrangeLexScores)
		return q, false
	}
	if q.rev && kind != byRank {
		minIdx, maxIdx = maxIdx, minIdx
	}
	var ok bool
	switch kind {
	case byRank:
		if q.start, ok = c.Int(c.Args[minIdx]); !ok {
			return q, false
		}
		if q.stop, ok = c.Int(c.Args[maxIdx]); !ok {
			return q, false
		}
	case byScore:
		if q.sr, ok = parseScoreRange(c, c.Args[minIdx], c.Args[maxIdx]); !ok {
			return q, false
		}
	case byLex:
		if q.lr, ok = parseLexRange(c, c.Args[minIdx], c.Args[maxIdx]); !ok {
			return q, false
		}
	}
	return q, true
}

// span returns an iterator over the members a request selects, in reply
// order, and how many it selects: the reply streams from the set without
// collecting the members first.
func (q *zrangeReq) span(z *zset.ZSet) (zset.Iter, int) {
	n := z.Len()
	if q.kind == byRank {
		s, e := clampRanks(q.start, q.stop, n)
		if s >= e {
			return zset.Iter{}, 0
		}
		if q.rev {
			return z.Iter(n-1-s, true), e - s
		}
		return z.Iter(s, false), e - s
	}
	if q.offset > 0 && q.offset >= int64(n) {
		return zset.Iter{}, 0
	}
	if q.kind == byScore && q.offset == 0 {
		s, e, it := z.ScoreSpanIter(q.sr, q.rev)
		if s >= e {
			return zset.Iter{}, 0
		}
		n := e - s
		if q.limit >= 0 && q.limit < int64(n) {
			n = int(q.limit)
		}
		return it, n
	}
	var s, e int
	if q.kind == byScore {
		s, e = z.ScoreSpan(q.sr)
	} else {
		s, e = z.LexSpanDir(q.lr, q.rev)
	}
	if s >= e || q.offset < 0 {
		return zset.Iter{}, 0
	}
	avail := int64(e-s) - q.offset
	if avail <= 0 {
		return zset.Iter{}, 0
	}
	if q.limit >= 0 && q.limit < avail {
		avail = q.limit
	}
	if q.rev {
		return z.Iter(e-1-int(q.offset), true), int(avail)
	}
	return z.Iter(s+int(q.offset), false), int(avail)
}

// run collects the members a request selects, in reply order.
func (q *zrangeReq) run(z *zset.ZSet) []zset.Pair {
	it, n := q.span(z)
	if n == 0 {
		return nil
	}
	out := make([]zset.Pair, 0, n)
	for i := 0; i < n; i++ {
		p, _ := it.Next()
		out = append(out, p)
	}
	return out
}

func zrangeHandler(src int, kind rangeKind, dir direction) server.Handler {
	return func(c *server.Ctx) {
		q, ok := parseZRange(c, src, kind, dir, false)
		if !ok {
			return
		}
		z, err := ZSetOf(c.DB, c.Args[src], true)
		if err != nil {
			c.Err(err)
			return
		}
		if z == nil {
			c.R.ArrayLen(0)
			return
		}
		it, n := q.span(z)
		replyIter(c, &it, n, q.withScores)
	}
}

func cmdZRangeStore(c *server.Ctx) {
	q, ok := parseZRange(c, 2, byAuto, dirAuto, true)
	if !ok {
		return
	}
	z, err := ZSetOf(c.DB, c.Args[2], true)
	if err != nil {
		c.Err(err)
		return
	}
	dst := newZSet(c.DB)
	if z != nil {
		for _, p := range q.run(z) {
			dst.Add(p.Member, p.Score, 0)
		}
	}
	c.R.Int(int64(store(c.DB, c.Args[1], dst)))
}
