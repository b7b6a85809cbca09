package sets

import (
	"math"

	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/internal/types/set"
)

var (
	cmdSREM = []byte("SREM")
	cmdDEL  = []byte("DEL")
)

func cmdSPop(c *server.Ctx) {
	if len(c.Args) > 3 {
		c.Err(rerr.Syntax)
		return
	}
	key := c.Args[1]
	if len(c.Args) == 3 {
		spopCount(c, key)
		return
	}
	s, err := lookup(c.DB, key, true)
	if err != nil {
		c.Err(err)
		return
	}
	if s == nil {
		c.R.Null()
		return
	}
	m := s.Pop(c.KS.Rand)
	c.Propagate(cmdSREM, key, m)
	c.R.Bulk(m)
	afterRemove(c.DB, key, s)
}

// spopCount pops up to count members. Like Redis 7.0 it propagates a DEL
// when the whole set goes, otherwise one SREM per popped member.
func spopCount(c *server.Ctx, key []byte) {
	n, ok := server.ParseInt(c.Args[2])
	if !ok || n < 0 {
		c.Err(rerr.NotPositive)
		return
	}
	s, err := lookup(c.DB, key, true)
	if err != nil {
		c.Err(err)
		return
	}
	if s == nil || n == 0 {
		c.R.SetLen(0)
		return
	}
	if n >= int64(s.Len()) {
		replySet(c, union(c, []*set.Set{s}))
		c.Propagate(cmdDEL, key)
		c.DB.Delete(key)
		return
	}
	popped := make([][]byte, 0, n)
	for i := int64(0); i < n; i++ {
		m := s.Pop(c.KS.Rand)
		popped = append(popped, m)
		c.Propagate(cmdSREM, key, m)
	}
	replyMembers(c, popped)
	c.DB.Modified(key)
}

func cmdSRandMember(c *server.Ctx) {
	if len(c.Args) > 3 {
		c.Err(rerr.Syntax)
		return
	}
	if len(c.Args) == 2 {
		s, err := lookup(c.DB, c.Args[1], false)
		switch {
		case err != nil:
			c.Err(err)
		case s == nil:
			c.R.Null()
		default:
			c.R.Bulk(s.Random(c.KS.Rand))
		}
		return
	}
	n, ok := c.Int(c.Args[2])
	if !ok {
		return
	}
	if n == math.MinInt64 {
		c.Err(rerr.CountRangeNoLLMin)
		return
	}
	s, err := lookup(c.DB, c.Args[1], false)
	if err != nil {
		c.Err(err)
		return
	}
	// Redis 7.0.15 replies arrays here, not sets: a negative count may
	// repeat members.
	if s == nil || n == 0 {
		c.R.ArrayLen(0)
		return
	}
	if n < 0 {
		out := make([][]byte, 0, min(-n, 1<<16))
		for i := int64(0); i < -n; i++ {
			out = append(out, s.Random(c.KS.Rand))
		}
		replyArray(c, out)
		return
	}
	size := int64(s.Len())
	if n >= size {
		replyArray(c, union(c, []*set.Set{s}).Members())
		return
	}
	if n*3 > size {
		all := s.Members()
		for i := int64(0); i < n; i++ {
			j := i + int64(c.KS.Rand.IntN(int(size-i)))
			all[i], all[j] = all[j], all[i]
		}
		replyArray(c, all[:n])
		return
	}
	seen := make(map[string]struct{}, n)
	out := make([][]byte, 0, n)
	for int64(len(out)) < n {
		m := s.Random(c.KS.Rand)
		if _, dup := seen[string(m)]; dup {
			continue
		}
		seen[string(m)] = struct{}{}
		out = append(out, m)
	}
	replyArray(c, out)
}

func replyArray(c *server.Ctx, ms [][]byte) {
	c.R.ArrayLen(len(ms))
	for _, m := range ms {
		c.R.Bulk(m)
	}
}
