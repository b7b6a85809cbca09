package lists

import (
	"strconv"

	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/internal/types/list"
)

// parseWhere reads LEFT or RIGHT.
func parseWhere(b []byte) (left bool, ok bool) {
	switch {
	case server.Is(b, "left"):
		return true, true
	case server.Is(b, "right"):
		return false, true
	}
	return false, false
}

func whereName(left bool) []byte {
	if left {
		return []byte("LEFT")
	}
	return []byte("RIGHT")
}

// moveStatus is what an LMOVE attempt found.
type moveStatus int

const (
	moved moveStatus = iota
	srcEmpty
	dstWrongType
)

// opMove pops from src and pushes onto dst. The source's type is checked
// first; the destination's only once the source has an element, as in
// Redis.
func opMove(c *server.Ctx, src, dst []byte, fromLeft, toLeft bool) (val []byte, st moveStatus, err error) {
	sl, err := ListOf(c.DB, src, false)
	if err != nil {
		return nil, 0, err
	}
	if sl == nil || sl.Len() == 0 {
		return nil, srcEmpty, nil
	}
	dl, err := ListOf(c.DB, dst, false)
	if err != nil {
		return nil, dstWrongType, err
	}
	val = pop(sl, fromLeft)
	if dl == nil {
		dl = newList(c.DB)
		push1(dl, val, toLeft)
		c.DB.Set(dst, listEntry(dl))
	} else {
		push1(dl, val, toLeft)
		c.DB.Modified(dst)
	}
	afterRemove(c.DB, src, sl)
	return val, moved, nil
}

func push1(l *list.List, v []byte, left bool) {
	if left {
		l.PushFront(v)
	} else {
		l.PushBack(v)
	}
}

func cmdLMove(c *server.Ctx) {
	from, ok1 := parseWhere(c.Args[3])
	to, ok2 := parseWhere(c.Args[4])
	if !ok1 || !ok2 {
		c.Err(rerr.Syntax)
		return
	}
	lmove(c, from, to)
}

func cmdRPopLPush(c *server.Ctx) { lmove(c, false, true) }

func lmove(c *server.Ctx, from, to bool) {
	v, st, err := opMove(c, c.Args[1], c.Args[2], from, to)
	switch {
	case err != nil:
		c.Err(err)
	case st == srcEmpty:
		c.R.Null()
	default:
		c.R.Bulk(v)
	}
}

// mpopArgs are LMPOP's and BLMPOP's arguments after numkeys.
type mpopArgs struct {
	keys  [][]byte
	left  bool
	count int64
}

// parseMPop parses "numkeys key... LEFT|RIGHT [COUNT n]" starting at
// args[i], replying the error itself.
func parseMPop(c *server.Ctx, i int) (mpopArgs, bool) {
	var a mpopArgs
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
	if a.left, ok = parseWhere(c.Args[where]); !ok {
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
	if a.count == -1 {
		a.count = 1
	}
	return a, true
}

// popFirst pops from the first non-empty list among keys: one element
// (count < 0, replying [key, value]) or up to count (replying
// [key, [values...]]). It propagates the pop as LPOP/RPOP. served is false
// when every list was empty or missing.
func popFirst(c *server.Ctx, keys [][]byte, left bool, count int64) (served bool) {
	for _, key := range keys {
		l, err := ListOf(c.DB, key, false)
		if err != nil {
			if c.ReadyKey() != nil {
				return false // a key of another type now: keep waiting
			}
			c.Err(err)
			return true
		}
		if l == nil || l.Len() == 0 {
			continue
		}
		name := []byte("RPOP")
		if left {
			name = []byte("LPOP")
		}
		if count < 0 {
			c.R.ArrayLen(2)
			c.R.Bulk(key)
			replyPop(c, l, left)
			afterRemove(c.DB, key, l)
			c.Propagate(name, key)
			return true
		}
		n := int(min(count, int64(l.Len())))
		c.R.ArrayLen(2)
		c.R.Bulk(key)
		c.R.ArrayLen(n)
		for i := 0; i < n; i++ {
			replyPop(c, l, left)
		}
		afterRemove(c.DB, key, l)
		c.Propagate(name, key, strconv.AppendInt(nil, int64(n), 10))
		return true
	}
	return false
}

func cmdLMPop(c *server.Ctx) {
	a, ok := parseMPop(c, 1)
	if !ok {
		return
	}
	if !popFirst(c, a.keys, a.left, a.count) {
		c.R.NullArray()
	}
}
