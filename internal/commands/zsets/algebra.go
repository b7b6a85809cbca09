package zsets

import (
	"math"
	"sort"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/internal/types/set"
	"github.com/moonkv/moonkv/internal/types/zset"
)

type setOp int

const (
	opUnion setOp = iota
	opInter
	opDiff
)

type aggregate int

const (
	aggSum aggregate = iota
	aggMin
	aggMax
)

// source is one input of the algebra: a sorted set, a plain set (every
// member scores 1), or nothing (a missing key).
type source struct {
	z      *zset.ZSet
	s      *set.Set
	weight float64
}

func (s *source) len() int {
	switch {
	case s.z != nil:
		return s.z.Len()
	case s.s != nil:
		return s.s.Len()
	}
	return 0
}

func (s *source) each(fn func(m string, score float64)) {
	switch {
	case s.z != nil:
		s.z.Range(func(m string, sc float64) bool { fn(m, sc); return true })
	case s.s != nil:
		s.s.Range(func(m []byte) bool { fn(string(m), 1); return true })
	}
}

func (s *source) find(m string) (float64, bool) {
	switch {
	case s.z != nil:
		return s.z.Score(m)
	case s.s != nil:
		if s.s.Has([]byte(m)) {
			return 1, true
		}
	}
	return 0, false
}

func (s *source) same(o *source) bool {
	return (s.z != nil && s.z == o.z) || (s.s != nil && s.s == o.s)
}

func combine(target *float64, v float64, agg aggregate) {
	switch agg {
	case aggSum:
		*target += v
		if math.IsNaN(*target) {
			*target = 0
		}
	case aggMin:
		if v < *target {
			*target = v
		}
	case aggMax:
		if v > *target {
			*target = v
		}
	}
}

// algebraReq is a parsed ZUNION/ZINTER/ZDIFF/ZINTERCARD call.
type algebraReq struct {
	src        []source
	agg        aggregate
	withScores bool
	limit      int64
}

// parseAlgebra parses "numkeys key... [options]" at args[ni], looking the
// keys up as it goes (a key of another type fails before the options are
// read, as in Redis). It replies the error itself.
func parseAlgebra(c *server.Ctx, ni int, op setOp, storing, card bool) (algebraReq, bool) {
	var q algebraReq
	n, ok := c.Int(c.Args[ni])
	if !ok {
		return q, false
	}
	if n < 1 {
		c.Err(rerr.NeedInputKey(c.Spec.Name))
		return q, false
	}
	if n > int64(len(c.Args)-(ni+1)) {
		c.Err(rerr.Syntax)
		return q, false
	}
	q.src = make([]source, n)
	j := ni + 1
	for i := range q.src {
		q.src[i].weight = 1
		e := c.DB.LookupRead(c.Args[j])
		j++
		if e == nil {
			continue
		}
		switch e.Type {
		case keyspace.TypeZSet:
			q.src[i].z = e.Obj.(*zset.ZSet)
		case keyspace.TypeSet:
			q.src[i].s = e.Obj.(*set.Set)
		default:
			c.Err(rerr.WrongType)
			return q, false
		}
	}
	for j < len(c.Args) {
		rem := len(c.Args) - j
		a := c.Args[j]
		switch {
		case op != opDiff && !card && rem >= len(q.src)+1 && server.Is(a, "weights"):
			j++
			for i := range q.src {
				w, ok := zset.ParseScore(c.Args[j])
				if !ok {
					c.Err(rerr.WeightNotFloat)
					return q, false
				}
				q.src[i].weight = w
				j++
			}
		case op != opDiff && !card && rem >= 2 && server.Is(a, "aggregate"):
			switch b := c.Args[j+1]; {
			case server.Is(b, "sum"):
				q.agg = aggSum
			case server.Is(b, "min"):
				q.agg = aggMin
			case server.Is(b, "max"):
				q.agg = aggMax
			default:
				c.Err(rerr.Syntax)
				return q, false
			}
			j += 2
		case rem >= 1 && !storing && !card && server.Is(a, "withscores"):
			q.withScores = true
			j++
		case card && rem >= 2 && server.Is(a, "limit"):
			l, ok := server.ParseInt(c.Args[j+1])
			if !ok || l < 0 {
				c.Err(rerr.LimitNegative)
				return q, false
			}
			q.limit = l
			j += 2
		default:
			c.Err(rerr.Syntax)
			return q, false
		}
	}
	return q, true
}

// compute runs the operation, returning the result's members in order
// with their exact scores (a -0 survives, as in Redis's skiplist result).
func (q *algebraReq) compute(op setOp) []zset.Pair {
	ps := q.run(op)
	zset.SortPairs(ps)
	return ps
}

func (q *algebraReq) run(op setOp) []zset.Pair {
	var dst []zset.Pair
	src := q.src
	if op == opDiff {
		first := &src[0]
		if first.len() == 0 {
			return dst
		}
		first.each(func(m string, s float64) {
			for i := 1; i < len(src); i++ {
				if src[i].same(first) {
					return
				}
				if _, ok := src[i].find(m); ok {
					return
				}
			}
			dst = append(dst, zset.Pair{Member: m, Score: s})
		})
		return dst
	}
	// Redis works from the smallest input up
	order := make([]*source, len(src))
	for i := range src {
		order[i] = &src[i]
	}
	sort.SliceStable(order, func(a, b int) bool { return order[a].len() < order[b].len() })
	if op == opInter {
		if order[0].len() == 0 {
			return dst
		}
		order[0].each(func(m string, s float64) {
			score := order[0].weight * s
			if math.IsNaN(score) {
				score = 0
			}
			for _, o := range order[1:] {
				v, ok := s, true
				if !o.same(order[0]) {
					v, ok = o.find(m)
				}
				if !ok {
					return
				}
				combine(&score, v*o.weight, q.agg)
			}
			dst = append(dst, zset.Pair{Member: m, Score: score})
		})
		return dst
	}
	acc := map[string]float64{}
	var keys []string
	for _, o := range order {
		o.each(func(m string, s float64) {
			score := o.weight * s
			if math.IsNaN(score) {
				score = 0
			}
			if cur, ok := acc[m]; ok {
				combine(&cur, score, q.agg)
				acc[m] = cur
				return
			}
			acc[m] = score
			keys = append(keys, m)
		})
	}
	for _, m := range keys {
		dst = append(dst, zset.Pair{Member: m, Score: acc[m]})
	}
	return dst
}

func cmdAlgebra(op setOp) server.Handler {
	return func(c *server.Ctx) {
		q, ok := parseAlgebra(c, 1, op, false, false)
		if !ok {
			return
		}
		replyPairs(c, q.compute(op), q.withScores)
	}
}

func cmdAlgebraStore(op setOp) server.Handler {
	return func(c *server.Ctx) {
		q, ok := parseAlgebra(c, 2, op, true, false)
		if !ok {
			return
		}
		res := zset.Build(&c.DB.Keyspace().Limits, q.compute(op))
		c.R.Int(int64(store(c.DB, c.Args[1], res)))
	}
}

func cmdZInterCard(c *server.Ctx) {
	q, ok := parseAlgebra(c, 1, opInter, false, true)
	if !ok {
		return
	}
	order := make([]*source, len(q.src))
	for i := range q.src {
		order[i] = &q.src[i]
	}
	sort.SliceStable(order, func(a, b int) bool { return order[a].len() < order[b].len() })
	var n int64
	if order[0].len() > 0 {
		done := false
		order[0].each(func(m string, _ float64) {
			if done {
				return
			}
			for _, o := range order[1:] {
				if o.same(order[0]) {
					continue
				}
				if _, ok := o.find(m); !ok {
					return
				}
			}
			n++
			if q.limit > 0 && n >= q.limit {
				done = true
			}
		})
	}
	c.R.Int(n)
}
