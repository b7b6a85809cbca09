package hashes

import (
	"math"
	"strconv"

	"github.com/moonkv/moonkv/internal/commands/sets"
	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/internal/types/hash"
)

// limits are the compact encoding's thresholds as configured now.
func limits(db *keyspace.DB) hash.Limits {
	l := db.Keyspace().Limits
	return hash.Limits{MaxEntries: l.HashMaxListpackEntries, MaxValue: l.HashMaxListpackValue}
}

// hashOf returns the hash at key for reading: nil when the key is absent,
// WRONGTYPE for another type.
func hashOf(db *keyspace.DB, key []byte) (*hash.Hash, error) {
	return keyspace.ObjectOf[*hash.Hash](db, key, keyspace.TypeHash, true)
}

// hashForWrite returns the hash at key for writing; created reports a new,
// not yet stored hash, which the caller stores with db.Set once it holds
// something (an existing one is announced with db.Modified).
func hashForWrite(db *keyspace.DB, key []byte) (h *hash.Hash, created bool, err error) {
	e := db.Lookup(key)
	if e == nil {
		return hash.New(), true, nil
	}
	if e.Type != keyspace.TypeHash {
		return nil, false, rerr.WrongType
	}
	return e.Obj.(*hash.Hash), false, nil
}

// commit announces a write to h: it stores a new hash, deletes an emptied
// one, or signals the in-place change.
func commit(db *keyspace.DB, key []byte, h *hash.Hash, created bool) {
	switch {
	case created && h.Len() > 0:
		db.Set(key, keyspace.Entry{Type: keyspace.TypeHash, Obj: h})
	case created:
	case h.Len() == 0:
		db.Delete(key)
	default:
		db.Modified(key)
	}
}

// opSet stores the field/value pairs of args and returns how many fields
// are new.
func opSet(db *keyspace.DB, key []byte, pairs [][]byte) (int, error) {
	h, created, err := hashForWrite(db, key)
	if err != nil {
		return 0, err
	}
	lim := limits(db)
	h.Fits(lim, pairs...)
	added := 0
	for i := 0; i < len(pairs); i += 2 {
		if h.Set(pairs[i], pairs[i+1], lim) {
			added++
		}
	}
	commit(db, key, h, created)
	return added, nil
}

func cmdHSet(c *server.Ctx) {
	if len(c.Args)%2 == 1 {
		c.Err(rerr.WrongArity(c.Spec.Name))
		return
	}
	n, err := opSet(c.DB, c.Args[1], c.Args[2:])
	if err != nil {
		c.Err(err)
		return
	}
	if c.Spec.Name == "hmset" {
		c.OK()
		return
	}
	c.R.Int(int64(n))
}

func cmdHSetNX(c *server.Ctx) {
	key, field, val := c.Args[1], c.Args[2], c.Args[3]
	h, created, err := hashForWrite(c.DB, key)
	if err != nil {
		c.Err(err)
		return
	}
	if h.Exists(field) {
		c.R.Int(0)
		return
	}
	lim := limits(c.DB)
	h.Fits(lim, field, val)
	h.Set(field, val, lim)
	commit(c.DB, key, h, created)
	c.R.Int(1)
}

func cmdHGet(c *server.Ctx) {
	h, err := hashOf(c.DB, c.Args[1])
	if err != nil {
		c.Err(err)
		return
	}
	if h == nil {
		c.R.Null()
		return
	}
	if v, ok := h.Get(c.Args[2]); ok {
		c.R.Bulk(v)
		return
	}
	c.R.Null()
}

func cmdHMGet(c *server.Ctx) {
	h, err := hashOf(c.DB, c.Args[1])
	if err != nil {
		c.Err(err)
		return
	}
	fields := c.Args[2:]
	c.R.ArrayLen(len(fields))
	for _, f := range fields {
		if h != nil {
			if v, ok := h.Get(f); ok {
				c.R.Bulk(v)
				continue
			}
		}
		c.R.Null()
	}
}

// getAll replies HGETALL, HKEYS or HVALS.
func getAll(c *server.Ctx, keys, vals bool) {
	h, err := hashOf(c.DB, c.Args[1])
	if err != nil {
		c.Err(err)
		return
	}
	n := 0
	if h != nil {
		n = h.Len()
	}
	if keys && vals {
		c.R.MapLen(n)
	} else {
		c.R.ArrayLen(n)
	}
	if h == nil {
		return
	}
	h.Range(func(f, v []byte) bool {
		if keys {
			c.R.Bulk(f)
		}
		if vals {
			c.R.Bulk(v)
		}
		return true
	})
}

func cmdHGetAll(c *server.Ctx) { getAll(c, true, true) }
func cmdHKeys(c *server.Ctx)   { getAll(c, true, false) }
func cmdHVals(c *server.Ctx)   { getAll(c, false, true) }

func cmdHDel(c *server.Ctx) {
	key := c.Args[1]
	e := c.DB.Lookup(key)
	if e == nil {
		c.R.Int(0)
		return
	}
	if e.Type != keyspace.TypeHash {
		c.Err(rerr.WrongType)
		return
	}
	h := e.Obj.(*hash.Hash)
	deleted := 0
	for _, f := range c.Args[2:] {
		if h.Delete(f) {
			deleted++
			if h.Len() == 0 {
				break
			}
		}
	}
	if deleted > 0 {
		commit(c.DB, key, h, false)
	}
	c.R.Int(int64(deleted))
}

func cmdHLen(c *server.Ctx) {
	h, err := hashOf(c.DB, c.Args[1])
	if err != nil {
		c.Err(err)
		return
	}
	if h == nil {
		c.R.Int(0)
		return
	}
	c.R.Int(int64(h.Len()))
}

func cmdHExists(c *server.Ctx) {
	h, err := hashOf(c.DB, c.Args[1])
	if err != nil {
		c.Err(err)
		return
	}
	if h != nil && h.Exists(c.Args[2]) {
		c.R.Int(1)
		return
	}
	c.R.Int(0)
}

func cmdHStrlen(c *server.Ctx) {
	h, err := hashOf(c.DB, c.Args[1])
	if err != nil {
		c.Err(err)
		return
	}
	if h == nil {
		c.R.Int(0)
		return
	}
	v, _ := h.Get(c.Args[2])
	c.R.Int(int64(len(v)))
}

// opIncrBy adds incr to the integer in field and returns the result.
func opIncrBy(db *keyspace.DB, key, field []byte, incr int64) (int64, error) {
	h, created, err := hashForWrite(db, key)
	if err != nil {
		return 0, err
	}
	var cur int64
	if v, ok := h.Get(field); ok {
		n, ok := server.ParseInt(v)
		if !ok {
			return 0, rerr.HashNotInt
		}
		cur = n
	}
	if (incr < 0 && cur < 0 && incr < math.MinInt64-cur) || (incr > 0 && cur > 0 && incr > math.MaxInt64-cur) {
		return 0, rerr.Overflow
	}
	cur += incr
	var buf [20]byte
	h.Set(field, strconv.AppendInt(buf[:0], cur, 10), limits(db))
	commit(db, key, h, created)
	return cur, nil
}

func cmdHIncrBy(c *server.Ctx) {
	incr, ok := c.Int(c.Args[3])
	if !ok {
		return
	}
	n, err := opIncrBy(c.DB, c.Args[1], c.Args[2], incr)
	if err != nil {
		c.Err(err)
		return
	}
	c.R.Int(n)
}

// opIncrByFloat adds incr to the float in field in long double precision
// and returns the result as Redis prints it.
func opIncrByFloat(db *keyspace.DB, key, field, incrArg []byte) ([]byte, error) {
	incr, inf, ok := parseLD(incrArg)
	if !ok {
		return nil, rerr.NotFloat
	}
	if inf != 0 {
		return nil, rerr.IncrNaNOrInf
	}
	h, created, err := hashForWrite(db, key)
	if err != nil {
		return nil, err
	}
	cur, _, _ := parseLD([]byte("0"))
	if v, ok := h.Get(field); ok {
		f, inf, ok := parseLD(v)
		if !ok {
			return nil, rerr.HashNotFloat
		}
		if inf != 0 {
			return nil, rerr.NaNResult
		}
		cur = f
	}
	sum, ok := addLD(cur, incr)
	if !ok {
		return nil, rerr.NaNResult
	}
	out := formatLD(sum)
	h.Set(field, out, limits(db))
	commit(db, key, h, created)
	return out, nil
}

func cmdHIncrByFloat(c *server.Ctx) {
	out, err := opIncrByFloat(c.DB, c.Args[1], c.Args[2], c.Args[3])
	if err != nil {
		c.Err(err)
		return
	}
	c.R.Bulk(out)
	// Replicas must not redo the arithmetic: Redis propagates the result.
	c.Propagate([]byte("HSET"), c.Args[1], c.Args[2], out)
}

func cmdHScan(c *server.Ctx) {
	cursor, ok := sets.ParseCursor(c.Args[2])
	if !ok {
		c.Err(rerr.InvalidCursor)
		return
	}
	h, err := hashOf(c.DB, c.Args[1])
	if err != nil {
		c.Err(err)
		return
	}
	if h == nil {
		sets.ReplyScan(c, 0, nil)
		return
	}
	opts, ok := sets.ParseScanOpts(c, c.Args[3:])
	if !ok {
		return
	}
	var out [][]byte
	add := func(f, v []byte) {
		if opts.Matches(f) {
			out = append(out, f, v)
		}
	}
	if h.IsCompact() {
		cursor = h.Scan(cursor, add)
	} else {
		// As Redis: keep stepping until COUNT elements were seen (a pair counts
		// twice, as in Redis), giving up
		// after ten times as many steps so a sparse table cannot stall us.
		seen := int64(0)
		for steps := opts.Count * 10; ; steps-- {
			cursor = h.Scan(cursor, func(f, v []byte) { seen += 2; add(f, v) })
			if cursor == 0 || steps <= 0 || seen >= opts.Count {
				break
			}
		}
	}
	sets.ReplyScan(c, cursor, out)
}
