package hashes

import (
	"math"
	"math/rand/v2"

	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/internal/types/hash"
)

func cmdHRandField(c *server.Ctx) {
	if len(c.Args) == 2 {
		h, err := hashOf(c.DB, c.Args[1])
		switch {
		case err != nil:
			c.Err(err)
		case h == nil:
			c.R.Null()
		default:
			f, _ := h.Random(c.KS.Rand)
			c.R.Bulk(f)
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
	withValues := false
	if len(c.Args) > 4 || (len(c.Args) == 4 && !server.Is(c.Args[3], "withvalues")) {
		c.Err(rerr.Syntax)
		return
	}
	if len(c.Args) == 4 {
		withValues = true
		if n < -math.MaxInt64/2 || n > math.MaxInt64/2 {
			c.Err(rerr.OutOfRange)
			return
		}
	}
	h, err := hashOf(c.DB, c.Args[1])
	if err != nil {
		c.Err(err)
		return
	}
	if h == nil || n == 0 {
		c.R.ArrayLen(0)
		return
	}
	pairs := randomPairs(h, n, c.KS.Rand)
	replyPairs(c, pairs, withValues)
}

// randomPairs picks |n| pairs: with repetition for a negative n, distinct
// ones otherwise (the whole hash, in its order, when n reaches its size).
func randomPairs(h *hash.Hash, n int64, r *rand.Rand) [][]byte {
	size := int64(h.Len())
	if n < 0 || n == 1 {
		count := n
		if count < 0 {
			count = -count
		}
		out := make([][]byte, 0, 2*count)
		for ; count > 0; count-- {
			f, v := h.Random(r)
			out = append(out, f, v)
		}
		return out
	}
	if n >= size {
		return h.Pairs()
	}
	if n*3 > size {
		// Close to the whole hash: shuffle the first n pairs into place.
		all := h.Pairs()
		for i := int64(0); i < n; i++ {
			j := i + int64(r.IntN(int(size-i)))
			all[2*i], all[2*j] = all[2*j], all[2*i]
			all[2*i+1], all[2*j+1] = all[2*j+1], all[2*i+1]
		}
		return all[:2*n]
	}
	seen := make(map[string]struct{}, n)
	out := make([][]byte, 0, 2*n)
	for int64(len(seen)) < n {
		f, v := h.Random(r)
		if _, dup := seen[string(f)]; dup {
			continue
		}
		seen[string(f)] = struct{}{}
		out = append(out, f, v)
	}
	return out
}

// replyPairs writes HRANDFIELD's reply: fields, or with values a flat
// array in RESP2 and an array of [field, value] pairs in RESP3.
func replyPairs(c *server.Ctx, pairs [][]byte, withValues bool) {
	n := len(pairs) / 2
	switch {
	case !withValues:
		c.R.ArrayLen(n)
	case c.R.Proto() == 2:
		c.R.ArrayLen(2 * n)
	default:
		c.R.ArrayLen(n)
	}
	for i := 0; i < len(pairs); i += 2 {
		if withValues && c.R.Proto() != 2 {
			c.R.ArrayLen(2)
		}
		c.R.Bulk(pairs[i])
		if withValues {
			c.R.Bulk(pairs[i+1])
		}
	}
}
