package sets

import (
	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/internal/types/set"
)

func maxIntset(db *keyspace.DB) int { return db.Keyspace().Limits.SetMaxIntsetEntries }

// lookup returns the set at key: nil when absent, WRONGTYPE for another
// type. write selects a write lookup (no hit/miss statistics).
func lookup(db *keyspace.DB, key []byte, write bool) (*set.Set, error) {
	return keyspace.ObjectOf[*set.Set](db, key, keyspace.TypeSet, !write)
}

// SetOf returns the set at key for reading (nil when absent); SORT uses it.
func SetOf(db *keyspace.DB, key []byte) (*set.Set, error) { return lookup(db, key, false) }

// store replaces key with s, or deletes key when s is empty (an empty
// result over a missing key writes nothing, as in Redis 7.0).
func store(db *keyspace.DB, key []byte, s *set.Set) {
	if s.Len() > 0 {
		db.Set(key, keyspace.Entry{Type: keyspace.TypeSet, Obj: s})
		return
	}
	db.Delete(key)
}

// afterRemove deletes an emptied set or announces the change.
func afterRemove(db *keyspace.DB, key []byte, s *set.Set) {
	if s.Len() == 0 {
		db.Delete(key)
	} else {
		db.Modified(key)
	}
}

func opAdd(db *keyspace.DB, key []byte, members [][]byte) (int, error) {
	s, err := lookup(db, key, true)
	if err != nil {
		return 0, err
	}
	created := s == nil
	if created {
		s = set.New()
	}
	max := maxIntset(db)
	added := 0
	for _, m := range members {
		if s.Add(m, max) {
			added++
		}
	}
	switch {
	case created:
		db.Set(key, keyspace.Entry{Type: keyspace.TypeSet, Obj: s})
	case added > 0:
		db.Modified(key)
	}
	return added, nil
}

func cmdSAdd(c *server.Ctx) {
	n, err := opAdd(c.DB, c.Args[1], c.Args[2:])
	if err != nil {
		c.Err(err)
		return
	}
	c.R.Int(int64(n))
}

func cmdSRem(c *server.Ctx) {
	key := c.Args[1]
	s, err := lookup(c.DB, key, true)
	if err != nil {
		c.Err(err)
		return
	}
	removed := 0
	if s != nil {
		for _, m := range c.Args[2:] {
			if s.Remove(m) {
				removed++
				if s.Len() == 0 {
					break
				}
			}
		}
		if removed > 0 {
			afterRemove(c.DB, key, s)
		}
	}
	c.R.Int(int64(removed))
}

func cmdSMove(c *server.Ctx) {
	srcKey, dstKey, m := c.Args[1], c.Args[2], c.Args[3]
	src, errSrc := lookup(c.DB, srcKey, true)
	dst, errDst := lookup(c.DB, dstKey, true)
	if src == nil && errSrc == nil {
		c.R.Int(0)
		return
	}
	if errSrc != nil || errDst != nil {
		c.Err(rerr.WrongType)
		return
	}
	if src == dst {
		if src.Has(m) {
			c.R.Int(1)
		} else {
			c.R.Int(0)
		}
		return
	}
	if !src.Remove(m) {
		c.R.Int(0)
		return
	}
	afterRemove(c.DB, srcKey, src)
	if dst == nil {
		dst = set.New()
		dst.Add(m, maxIntset(c.DB))
		c.DB.Set(dstKey, keyspace.Entry{Type: keyspace.TypeSet, Obj: dst})
	} else {
		dst.Add(m, maxIntset(c.DB))
		c.DB.Modified(dstKey)
	}
	c.R.Int(1)
}

func cmdSIsMember(c *server.Ctx) {
	s, err := lookup(c.DB, c.Args[1], false)
	if err != nil {
		c.Err(err)
		return
	}
	if s != nil && s.Has(c.Args[2]) {
		c.R.Int(1)
		return
	}
	c.R.Int(0)
}

func cmdSMIsMember(c *server.Ctx) {
	s, err := lookup(c.DB, c.Args[1], false)
	if err != nil {
		c.Err(err)
		return
	}
	ms := c.Args[2:]
	c.R.ArrayLen(len(ms))
	for _, m := range ms {
		if s != nil && s.Has(m) {
			c.R.Int(1)
		} else {
			c.R.Int(0)
		}
	}
}

func cmdSCard(c *server.Ctx) {
	s, err := lookup(c.DB, c.Args[1], false)
	if err != nil {
		c.Err(err)
		return
	}
	if s == nil {
		c.R.Int(0)
		return
	}
	c.R.Int(int64(s.Len()))
}

// replySet writes the members of s as a RESP3 set (an array in RESP2).
func replySet(c *server.Ctx, s *set.Set) {
	if s == nil {
		c.R.SetLen(0)
		return
	}
	c.R.SetLen(s.Len())
	s.Range(func(m []byte) bool {
		c.R.Bulk(m)
		return true
	})
}

func replyMembers(c *server.Ctx, ms [][]byte) {
	c.R.SetLen(len(ms))
	for _, m := range ms {
		c.R.Bulk(m)
	}
}

func cmdSMembers(c *server.Ctx) {
	s, err := lookup(c.DB, c.Args[1], false)
	if err != nil {
		c.Err(err)
		return
	}
	replySet(c, s)
}

func cmdSScan(c *server.Ctx) {
	cursor, ok := ParseCursor(c.Args[2])
	if !ok {
		c.Err(rerr.InvalidCursor)
		return
	}
	s, err := lookup(c.DB, c.Args[1], false)
	if err != nil {
		c.Err(err)
		return
	}
	if s == nil {
		ReplyScan(c, 0, nil)
		return
	}
	opts, ok := ParseScanOpts(c, c.Args[3:])
	if !ok {
		return
	}
	var out [][]byte
	add := func(m []byte) {
		if opts.Matches(m) {
			out = append(out, append([]byte(nil), m...))
		}
	}
	if s.IsIntset() {
		cursor = s.Scan(cursor, add)
	} else {
		seen := int64(0)
		for steps := opts.Count * 10; ; steps-- {
			cursor = s.Scan(cursor, func(m []byte) { seen++; add(m) })
			if cursor == 0 || steps <= 0 || seen >= opts.Count {
				break
			}
		}
	}
	ReplyScan(c, cursor, out)
}
