package sets

import (
	"slices"

	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/internal/types/set"
)

// collect looks up every key, nil standing for a missing one. A key of
// another type is an error even after a missing key, as in Redis 7.0.
func collect(c *server.Ctx, keys [][]byte, write bool) ([]*set.Set, bool) {
	out := make([]*set.Set, len(keys))
	for i, k := range keys {
		s, err := lookup(c.DB, k, write)
		if err != nil {
			c.Err(err)
			return nil, false
		}
		out[i] = s
	}
	return out, true
}

// inter returns the members common to every set, in the iteration order
// of the smallest, stopping after limit members when limit > 0. A missing
// set makes the intersection empty.
func inter(sets []*set.Set, limit int) [][]byte {
	for _, s := range sets {
		if s == nil {
			return nil
		}
	}
	sorted := slices.Clone(sets)
	slices.SortStableFunc(sorted, func(a, b *set.Set) int { return a.Len() - b.Len() })
	var out [][]byte
	sorted[0].Range(func(m []byte) bool {
		for _, o := range sorted[1:] {
			if o != sorted[0] && !o.Has(m) {
				return true
			}
		}
		out = append(out, append([]byte(nil), m...))
		return limit <= 0 || len(out) < limit
	})
	return out
}

// union builds a fresh set of every member, as Redis does (so a result of
// integers is an intset and iterates in numeric order).
func union(c *server.Ctx, sets []*set.Set) *set.Set {
	dst := set.New()
	max := maxIntset(c.DB)
	for _, s := range sets {
		if s == nil {
			continue
		}
		s.Range(func(m []byte) bool {
			dst.Add(m, max)
			return true
		})
	}
	return dst
}

// diff builds a fresh set of the members of the first set found in none
// of the others.
func diff(c *server.Ctx, sets []*set.Set) *set.Set {
	dst := set.New()
	if sets[0] == nil {
		return dst
	}
	max := maxIntset(c.DB)
	sets[0].Range(func(m []byte) bool {
		for _, o := range sets[1:] {
			if o == nil {
				continue
			}
			if o == sets[0] || o.Has(m) {
				return true
			}
		}
		dst.Add(m, max)
		return true
	})
	return dst
}

func fromMembers(c *server.Ctx, ms [][]byte) *set.Set {
	dst := set.New()
	max := maxIntset(c.DB)
	for _, m := range ms {
		dst.Add(m, max)
	}
	return dst
}

func cmdSInter(c *server.Ctx) {
	sets, ok := collect(c, c.Args[1:], false)
	if !ok {
		return
	}
	replyMembers(c, inter(sets, 0))
}

func cmdSInterStore(c *server.Ctx) {
	sets, ok := collect(c, c.Args[2:], true)
	if !ok {
		return
	}
	dst := fromMembers(c, inter(sets, 0))
	store(c.DB, c.Args[1], dst)
	c.R.Int(int64(dst.Len()))
}

func cmdSInterCard(c *server.Ctx) {
	numKeys, ok := server.ParseInt(c.Args[1])
	if !ok || numKeys < 1 {
		c.Err(rerr.NumKeysPositive)
		return
	}
	if numKeys > int64(len(c.Args)-2) {
		c.Err(rerr.NumKeysTooMany)
		return
	}
	limit := int64(0)
	for i := 2 + int(numKeys); i < len(c.Args); i++ {
		if server.Is(c.Args[i], "limit") && i+1 < len(c.Args) {
			i++
			n, ok := server.ParseInt(c.Args[i])
			if !ok || n < 0 {
				c.Err(rerr.LimitNegative)
				return
			}
			limit = n
			continue
		}
		c.Err(rerr.Syntax)
		return
	}
	sets, ok := collect(c, c.Args[2:2+numKeys], false)
	if !ok {
		return
	}
	c.R.Int(int64(len(inter(sets, int(min(limit, 1<<62))))))
}

func cmdSUnion(c *server.Ctx) {
	sets, ok := collect(c, c.Args[1:], false)
	if !ok {
		return
	}
	replySet(c, union(c, sets))
}

func cmdSUnionStore(c *server.Ctx) {
	sets, ok := collect(c, c.Args[2:], true)
	if !ok {
		return
	}
	dst := union(c, sets)
	store(c.DB, c.Args[1], dst)
	c.R.Int(int64(dst.Len()))
}

func cmdSDiff(c *server.Ctx) {
	sets, ok := collect(c, c.Args[1:], false)
	if !ok {
		return
	}
	replySet(c, diff(c, sets))
}

func cmdSDiffStore(c *server.Ctx) {
	sets, ok := collect(c, c.Args[2:], true)
	if !ok {
		return
	}
	dst := diff(c, sets)
	store(c.DB, c.Args[1], dst)
	c.R.Int(int64(dst.Len()))
}
