package lists

import (
	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/internal/types/list"
)

// ListOf returns the list at key (nil when missing) or WRONGTYPE. read
// selects the lookup that counts keyspace hits and misses.
func ListOf(db *keyspace.DB, key []byte, read bool) (*list.List, error) {
	return keyspace.ObjectOf[*list.List](db, key, keyspace.TypeList, read)
}

func newList(db *keyspace.DB) *list.List {
	return list.New(db.Keyspace().Limits.ListMaxListpackSize)
}

// push adds values at one end of the list at key, creating it unless
// onlyExisting; it returns the new length (0 when nothing was done).
func push(db *keyspace.DB, key []byte, vals [][]byte, left, onlyExisting bool) (int, error) {
	l, err := ListOf(db, key, false)
	if err != nil {
		return 0, err
	}
	created := false
	if l == nil {
		if onlyExisting {
			return 0, nil
		}
		l = newList(db)
		created = true
	}
	for _, v := range vals {
		if left {
			l.PushFront(v)
		} else {
			l.PushBack(v)
		}
	}
	if created {
		db.Set(key, keyspace.Entry{Obj: l, Type: keyspace.TypeList})
	} else {
		db.Modified(key)
	}
	return l.Len(), nil
}

// afterRemove deletes a list that became empty, or signals the change.
func afterRemove(db *keyspace.DB, key []byte, l *list.List) {
	if l.Len() == 0 {
		db.Delete(key)
	} else {
		db.Modified(key)
	}
}

func pop(l *list.List, left bool) []byte {
	var v []byte
	if left {
		v, _ = l.PopFront()
	} else {
		v, _ = l.PopBack()
	}
	return v
}

// replyPop replies with the element at one end of l and removes it: the
// reply copies the element, so the list need not copy it first.
func replyPop(c *server.Ctx, l *list.List, left bool) {
	if left {
		c.R.Bulk(l.Front())
		l.DropFront()
	} else {
		c.R.Bulk(l.Back())
		l.DropBack()
	}
}

func cmdPush(left, onlyExisting bool) server.Handler {
	return func(c *server.Ctx) {
		n, err := push(c.DB, c.Args[1], c.Args[2:], left, onlyExisting)
		if err != nil {
			c.Err(err)
			return
		}
		c.R.Int(int64(n))
	}
}

// parseCount parses the count of LPOP/RPOP.
func parseCount(c *server.Ctx, b []byte) (int64, bool) {
	n, ok := server.ParseInt(b)
	if !ok || n < 0 {
		c.Err(rerr.NotPositive)
		return 0, false
	}
	return n, true
}

func cmdPop(left bool) server.Handler {
	return func(c *server.Ctx) {
		if len(c.Args) > 3 {
			c.Err(rerr.WrongArity(c.Spec.Name))
			return
		}
		hasCount := len(c.Args) == 3
		var count int64
		if hasCount {
			var ok bool
			if count, ok = parseCount(c, c.Args[2]); !ok {
				return
			}
		}
		key := c.Args[1]
		l, err := ListOf(c.DB, key, false)
		switch {
		case err != nil:
			c.Err(err)
			return
		case l == nil:
			if hasCount {
				c.R.NullArray()
			} else {
				c.R.Null()
			}
			return
		}
		if !hasCount {
			replyPop(c, l, left)
			afterRemove(c.DB, key, l)
			return
		}
		if count == 0 {
			c.R.ArrayLen(0)
			return
		}
		n := int(min(count, int64(l.Len())))
		c.R.ArrayLen(n)
		for i := 0; i < n; i++ {
			replyPop(c, l, left)
		}
		afterRemove(c.DB, key, l)
	}
}

func cmdLLen(c *server.Ctx) {
	l, err := ListOf(c.DB, c.Args[1], true)
	switch {
	case err != nil:
		c.Err(err)
	case l == nil:
		c.R.Int(0)
	default:
		c.R.Int(int64(l.Len()))
	}
}

func cmdLRange(c *server.Ctx) {
	start, ok := c.Int(c.Args[2])
	if !ok {
		return
	}
	stop, ok := c.Int(c.Args[3])
	if !ok {
		return
	}
	l, err := ListOf(c.DB, c.Args[1], true)
	if err != nil {
		c.Err(err)
		return
	}
	if l == nil {
		c.R.ArrayLen(0)
		return
	}
	s, e, ok := server.ClampRange(start, stop, l.Len())
	if !ok {
		c.R.ArrayLen(0)
		return
	}
	c.R.ArrayLen(e - s + 1)
	it := l.Iter(s, false)
	for i := s; i <= e; i++ {
		v, _ := it.Next()
		c.R.Bulk(v)
	}
}

func cmdLTrim(c *server.Ctx) {
	start, ok := c.Int(c.Args[2])
	if !ok {
		return
	}
	stop, ok := c.Int(c.Args[3])
	if !ok {
		return
	}
	key := c.Args[1]
	l, err := ListOf(c.DB, key, false)
	if err != nil {
		c.Err(err)
		return
	}
	if l == nil {
		c.OK()
		return
	}
	n := l.Len()
	s, e, ok := server.ClampRange(start, stop, n)
	removed := 0
	if !ok {
		removed = n
		l.DeleteRange(0, n)
	} else {
		removed = s + (n - 1 - e)
		l.DeleteRange(e+1, n-1-e)
		l.DeleteRange(0, s)
	}
	if removed == 0 {
		// Redis signals the key but a trim that removed nothing changes
		// nothing to propagate.
		c.NoPropagate()
	}
	afterRemove(c.DB, key, l)
	c.OK()
}

func cmdLIndex(c *server.Ctx) {
	l, err := ListOf(c.DB, c.Args[1], true)
	if err != nil {
		c.Err(err)
		return
	}
	if l == nil {
		c.R.Null()
		return
	}
	idx, ok := c.Int(c.Args[2])
	if !ok {
		return
	}
	if idx < -int64(l.Len()) || idx >= int64(l.Len()) {
		c.R.Null()
		return
	}
	v, _ := l.Index(int(idx))
	c.R.Bulk(v)
}

func cmdLSet(c *server.Ctx) {
	key := c.Args[1]
	l, err := ListOf(c.DB, key, false)
	if err != nil {
		c.Err(err)
		return
	}
	if l == nil {
		c.Err(rerr.NoSuchKey)
		return
	}
	idx, ok := c.Int(c.Args[2])
	if !ok {
		return
	}
	if idx < -int64(l.Len()) || idx >= int64(l.Len()) {
		c.Err(rerr.IndexOutOfRange)
		return
	}
	l.Set(int(idx), c.Args[3])
	c.DB.Modified(key)
	c.OK()
}

func cmdLInsert(c *server.Ctx) {
	var after bool
	switch {
	case server.Is(c.Args[2], "after"):
		after = true
	case server.Is(c.Args[2], "before"):
	default:
		c.Err(rerr.Syntax)
		return
	}
	key := c.Args[1]
	l, err := ListOf(c.DB, key, false)
	if err != nil {
		c.Err(err)
		return
	}
	if l == nil {
		c.R.Int(0)
		return
	}
	i := l.Find(c.Args[3])
	if i < 0 {
		c.R.Int(-1)
		return
	}
	if after {
		i++
	}
	l.InsertAt(i, c.Args[4])
	c.DB.Modified(key)
	c.R.Int(int64(l.Len()))
}

func cmdLRem(c *server.Ctx) {
	count, ok := c.Int(c.Args[2])
	if !ok {
		return
	}
	key := c.Args[1]
	l, err := ListOf(c.DB, key, false)
	if err != nil {
		c.Err(err)
		return
	}
	if l == nil {
		c.R.Int(0)
		return
	}
	n := l.RemoveValue(c.Args[3], clampInt(count))
	if n > 0 {
		afterRemove(c.DB, key, l)
	}
	c.R.Int(int64(n))
}

func clampInt(n int64) int {
	const maxInt = int64(^uint(0) >> 1)
	switch {
	case n > maxInt:
		return int(maxInt)
	case n < -maxInt:
		return int(-maxInt)
	}
	return int(n)
}

func cmdLPos(c *server.Ctx) {
	var rank, count, maxlen int64 = 1, 0, 0
	hasCount := false
	for j := 3; j < len(c.Args); j++ {
		more := j+1 < len(c.Args)
		var ok bool
		switch opt := c.Args[j]; {
		case server.Is(opt, "rank") && more:
			j++
			if rank, ok = c.Int(c.Args[j]); !ok {
				return
			}
			if rank == 0 {
				c.Err(rerr.LposRankZero)
				return
			}
		case server.Is(opt, "count") && more:
			j++
			if count, ok = server.ParseInt(c.Args[j]); !ok || count < 0 {
				c.Err(rerr.LposCountNeg)
				return
			}
			hasCount = true
		case server.Is(opt, "maxlen") && more:
			j++
			if maxlen, ok = server.ParseInt(c.Args[j]); !ok || maxlen < 0 {
				c.Err(rerr.LposMaxlenNeg)
				return
			}
		default:
			c.Err(rerr.Syntax)
			return
		}
	}
	l, err := ListOf(c.DB, c.Args[1], true)
	if err != nil {
		c.Err(err)
		return
	}
	if l == nil {
		if hasCount {
			c.R.ArrayLen(0)
		} else {
			c.R.Null()
		}
		return
	}
	matches := lpos(l, c.Args[2], rank, count, maxlen, hasCount)
	if !hasCount {
		if len(matches) == 0 {
			c.R.Null()
		} else {
			c.R.Int(matches[0])
		}
		return
	}
	c.R.ArrayLen(len(matches))
	for _, m := range matches {
		c.R.Int(m)
	}
}

// lpos finds the indexes LPOS reports. A negative rank searches from the
// tail (Redis negates it; LLONG_MIN stays negative and so matches at once,
// which this reproduces).
func lpos(l *list.List, elem []byte, rank, count, maxlen int64, hasCount bool) []int64 {
	reverse := false
	if rank < 0 {
		rank = -rank
		reverse = true
	}
	var it list.Iterator
	idx, step := int64(0), int64(1)
	if reverse {
		idx, step = int64(l.Len()-1), -1
		it = l.Iter(l.Len()-1, true)
	} else {
		it = l.Iter(0, false)
	}
	var out []int64
	var matches, seen int64
	for v, ok := it.Next(); ok && (maxlen == 0 || seen < maxlen); v, ok = it.Next() {
		if string(v) == string(elem) {
			matches++
			if matches >= rank {
				out = append(out, idx)
				if !hasCount || (count != 0 && matches-rank+1 >= count) {
					break
				}
			}
		}
		seen++
		idx += step
	}
	return out
}
