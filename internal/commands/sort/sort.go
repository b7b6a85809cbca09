package sort

import (
	"bytes"
	"math"
	"slices"
	"strconv"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/internal/types/hash"
	"github.com/moonkv/moonkv/internal/types/list"
	"github.com/moonkv/moonkv/internal/types/set"
	"github.com/moonkv/moonkv/internal/types/zset"
)

// options are SORT's parsed arguments.
type options struct {
	desc, alpha, dontSort bool
	by                    []byte // nil: sort by the elements themselves
	gets                  [][]byte
	store                 []byte
	limitStart            int64
	limitCount            int64
}

// parse reads the options after the key; it replies the error itself.
func parse(c *server.Ctx, readonly bool) (options, bool) {
	o := options{limitCount: -1}
	args := c.Args
	for j := 2; j < len(args); j++ {
		left := len(args) - j - 1
		a := args[j]
		switch {
		case server.Is(a, "asc"):
			o.desc = false
		case server.Is(a, "desc"):
			o.desc = true
		case server.Is(a, "alpha"):
			o.alpha = true
		case server.Is(a, "limit") && left >= 2:
			start, ok := c.Int(args[j+1])
			if !ok {
				return o, false
			}
			count, ok := c.Int(args[j+2])
			if !ok {
				return o, false
			}
			o.limitStart, o.limitCount = start, count
			j += 2
		case !readonly && server.Is(a, "store") && left >= 1:
			o.store = args[j+1]
			j++
		case server.Is(a, "by") && left >= 1:
			o.by = args[j+1]
			// A pattern without '*' names no key per element: do not sort.
			o.dontSort = bytes.IndexByte(cstr(o.by), '*') < 0
			j++
		case server.Is(a, "get") && left >= 1:
			o.gets = append(o.gets, args[j+1])
			j++
		default:
			c.Err(rerr.Syntax)
			return o, false
		}
	}
	return o, true
}

// cstr is b up to its first NUL, as the C string functions Redis applies
// to patterns see it.
func cstr(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// item is one element being sorted with its weight.
type item struct {
	val    []byte
	score  float64
	cmp    []byte // ALPHA with BY: the weight; nil when the BY key is missing
	hasCmp bool
}

func cmdSort(c *server.Ctx)   { sortGeneric(c, false) }
func cmdSortRO(c *server.Ctx) { sortGeneric(c, true) }

func sortGeneric(c *server.Ctx, readonly bool) {
	o, ok := parse(c, readonly)
	if !ok {
		return
	}
	e := c.DB.LookupRead(c.Args[1])
	var obj any
	typ := keyspace.TypeList
	if e != nil {
		switch e.Type {
		case keyspace.TypeList, keyspace.TypeSet, keyspace.TypeZSet:
			obj, typ = e.Obj, e.Type
		default:
			c.Err(rerr.WrongType)
			return
		}
	}
	// An unsorted set would come out in hash table order, which differs
	// between a master and its replicas: sort it when that order would be
	// stored or seen by a script.
	if o.dontSort && typ == keyspace.TypeSet && (o.store != nil || c.InScript) {
		o.dontSort, o.alpha, o.by = false, true, nil
	}
	n := 0
	if obj != nil {
		n = obj.(keyspace.Object).Len()
	}
	start := max(o.limitStart, 0)
	end := int64(n) - 1
	if o.limitCount >= 0 {
		end = start + o.limitCount - 1
	}
	if start >= int64(n) {
		start, end = int64(n)-1, int64(n)-2
	}
	if end >= int64(n) {
		end = int64(n) - 1
	}

	var items []item
	switch {
	case obj == nil:
	case o.dontSort && typ != keyspace.TypeSet:
		// Lists and sorted sets keep their own order; read just the range.
		if end >= start {
			items = loadRange(obj, n, int(start), int(end), o.desc)
			end -= start
			start = 0
		}
	default:
		items = loadAll(obj)
	}

	if !o.dontSort {
		if bad := weigh(c, items, &o); bad {
			c.Err(rerr.SortNotDouble)
			return
		}
		sortItems(items, &o)
	}

	count := int(end - start + 1)
	if count < 0 {
		count = 0
	}
	out := items
	if count > 0 {
		out = items[start : end+1]
	} else {
		out = nil
	}
	if o.store == nil {
		reply(c, out, &o)
		return
	}
	storeResult(c, out, &o)
}

func loadRange(obj any, n, start, end int, desc bool) []item {
	out := make([]item, 0, end-start+1)
	switch v := obj.(type) {
	case *list.List:
		from := start
		if desc {
			from = n - start - 1
		}
		it := v.Iter(from, desc)
		for len(out) < end-start+1 {
			b, ok := it.Next()
			if !ok {
				break
			}
			out = append(out, item{val: append([]byte(nil), b...)})
		}
	case *zset.ZSet:
		from := start
		if desc {
			from = n - start - 1
		}
		it := v.Iter(from, desc)
		for len(out) < end-start+1 {
			p, ok := it.Next()
			if !ok {
				break
			}
			out = append(out, item{val: []byte(p.Member)})
		}
	}
	return out
}

func loadAll(obj any) []item {
	var out []item
	switch v := obj.(type) {
	case *list.List:
		for _, b := range v.Values() {
			out = append(out, item{val: b})
		}
	case *set.Set:
		v.Range(func(m []byte) bool {
			out = append(out, item{val: append([]byte(nil), m...)})
			return true
		})
	case *zset.ZSet:
		v.Range(func(m string, _ float64) bool {
			out = append(out, item{val: []byte(m)})
			return true
		})
	}
	return out
}

// weigh loads each item's weight and reports whether one could not be
// read as a number (for a numeric sort).
func weigh(c *server.Ctx, items []item, o *options) (bad bool) {
	for i := range items {
		it := &items[i]
		w := it.val
		if o.by != nil {
			v, ok := lookupByPattern(c.DB, o.by, it.val)
			if !ok {
				continue
			}
			w = v
		}
		if o.alpha {
			if o.by != nil {
				it.cmp, it.hasCmp = w, true
			}
			continue
		}
		f, ok := strtod(w)
		if !ok {
			bad = true
		}
		it.score = f
	}
	return bad
}

func sortItems(items []item, o *options) {
	cmp := func(a, b *item) int {
		var r int
		switch {
		case !o.alpha:
			switch {
			case a.score > b.score:
				r = 1
			case a.score < b.score:
				r = -1
			default:
				r = bytes.Compare(a.val, b.val)
			}
		case o.by != nil:
			switch {
			case !a.hasCmp || !b.hasCmp:
				switch {
				case a.hasCmp == b.hasCmp:
					r = 0
				case !a.hasCmp:
					r = -1
				default:
					r = 1
				}
			case o.store != nil:
				r = bytes.Compare(a.cmp, b.cmp)
			default:
				r = bytes.Compare(cstr(a.cmp), cstr(b.cmp))
			}
		case o.store != nil:
			r = bytes.Compare(a.val, b.val)
		default:
			r = bytes.Compare(cstr(a.val), cstr(b.val))
		}
		if o.desc {
			return -r
		}
		return r
	}
	slices.SortStableFunc(items, func(a, b item) int { return cmp(&a, &b) })
}

// lookupByPattern substitutes elem for the first '*' of pattern and reads
// the resulting string key, or, for "key*->field", that field of the hash.
// "#" is the element itself. ok is false when there is nothing to read.
func lookupByPattern(db *keyspace.DB, pattern, elem []byte) ([]byte, bool) {
	if len(pattern) == 1 && pattern[0] == '#' || (len(pattern) > 1 && pattern[0] == '#' && pattern[1] == 0) {
		return elem, true
	}
	p := cstr(pattern)
	star := bytes.IndexByte(p, '*')
	if star < 0 {
		return nil, false
	}
	var field []byte
	post := pattern[star+1:]
	if f := bytes.Index(p[star+1:], []byte("->")); f >= 0 && star+1+f+2 < len(p) {
		field = pattern[star+1+f+2:]
		post = pattern[star+1 : star+1+f]
	}
	key := make([]byte, 0, star+len(elem)+len(post))
	key = append(key, pattern[:star]...)
	key = append(key, elem...)
	key = append(key, post...)
	e := db.LookupRead(key)
	if e == nil {
		return nil, false
	}
	if field != nil {
		if e.Type != keyspace.TypeHash {
			return nil, false
		}
		return e.Obj.(*hash.Hash).Get(field)
	}
	if e.Type != keyspace.TypeString {
		return nil, false
	}
	return e.Str, true
}

// strtod reads a weight as C's strtod does for SORT: leading blanks
// skipped, the whole (C) string consumed, no NaN, no overflow or
// underflow. An empty string is 0.
func strtod(b []byte) (float64, bool) {
	s := cstr(b)
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	s = s[i:]
	if len(s) == 0 {
		return 0, true
	}
	str := string(s)
	for _, ch := range s {
		if ch == '_' {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(str, 64)
	if err != nil && isHexNoExp(str) {
		f, err = strconv.ParseFloat(str+"p0", 64)
	}
	if err != nil || math.IsNaN(f) {
		return 0, false
	}
	if f != 0 && math.Abs(f) < 2.2250738585072014e-308 {
		return 0, false
	}
	if f == 0 && hasNonZeroMantissa(str) {
		return 0, false
	}
	return f, true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func isHexNoExp(s string) bool {
	t := s
	if len(t) > 0 && (t[0] == '+' || t[0] == '-') {
		t = t[1:]
	}
	if len(t) < 3 || t[0] != '0' || (t[1] != 'x' && t[1] != 'X') {
		return false
	}
	for _, ch := range t[2:] {
		if ch == 'p' || ch == 'P' {
			return false
		}
	}
	return true
}

// hasNonZeroMantissa reports whether a decimal that parsed to zero had a
// non-zero digit before its exponent (an underflow, ERANGE for strtod).
func hasNonZeroMantissa(s string) bool {
	for _, ch := range s {
		switch {
		case ch == 'e' || ch == 'E' || ch == 'p' || ch == 'P':
			return false
		case ch >= '1' && ch <= '9':
			return true
		}
	}
	return false
}

func reply(c *server.Ctx, items []item, o *options) {
	if len(o.gets) == 0 {
		c.R.ArrayLen(len(items))
		for i := range items {
			c.R.Bulk(items[i].val)
		}
		return
	}
	c.R.ArrayLen(len(items) * len(o.gets))
	for i := range items {
		for _, g := range o.gets {
			if v, ok := lookupByPattern(c.DB, g, items[i].val); ok {
				c.R.Bulk(v)
			} else {
				c.R.Null()
			}
		}
	}
}

func storeResult(c *server.Ctx, items []item, o *options) {
	l := list.New(c.DB.Keyspace().Limits.ListMaxListpackSize)
	for i := range items {
		if len(o.gets) == 0 {
			l.PushBack(items[i].val)
			continue
		}
		for _, g := range o.gets {
			v, _ := lookupByPattern(c.DB, g, items[i].val)
			l.PushBack(append([]byte(nil), v...))
		}
	}
	if l.Len() > 0 {
		c.DB.Set(o.store, keyspace.Entry{Type: keyspace.TypeList, Obj: l})
	} else {
		c.DB.Delete(o.store)
	}
	c.R.Int(int64(l.Len()))
}
