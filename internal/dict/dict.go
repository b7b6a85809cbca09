package dict

import (
	"hash/maphash"
	"math/bits"
	"math/rand/v2"
)

// entry does not cache its key's hash: with the keyspace's value type that
// 8 bytes would push every key into the next allocation size class, and
// chains are short enough (load factor at most 1) that comparing keys is
// cheap. Rehashing recomputes hashes instead.
type entry[V any] struct {
	key  string
	next *entry[V]
	val  V
}

type table[V any] struct {
	buckets []*entry[V]
	mask    uint64
	used    int
}

// Dict maps string keys to values of type V.
type Dict[V any] struct {
	t         [2]table[V]
	rehashIdx int // -1 when not rehashing; else next bucket of t[0] to move
	seed      maphash.Seed
	// frozen stops resizing while a snapshot walks the table, so that
	// the walk's cursor tells exactly which buckets it has visited.
	frozen bool
}

const minSize = 4

// New returns an empty Dict.
func New[V any]() *Dict[V] {
	return &Dict[V]{rehashIdx: -1, seed: maphash.MakeSeed()}
}

// Len is the number of elements.
func (d *Dict[V]) Len() int { return d.t[0].used + d.t[1].used }

func (d *Dict[V]) rehashing() bool { return d.rehashIdx >= 0 }

func (d *Dict[V]) hashString(k string) uint64 { return maphash.String(d.seed, k) }
func (d *Dict[V]) hashBytes(k []byte) uint64  { return maphash.Bytes(d.seed, k) }

// Get returns the value stored under key.
func (d *Dict[V]) Get(key string) (V, bool) {
	if e := d.find(d.hashString(key), key); e != nil {
		return e.val, true
	}
	var zero V
	return zero, false
}

// Ptr returns a pointer to the value stored under key, or nil. The pointer
// stays valid until the key is deleted; writing through it changes the
// stored value without a second lookup.
func (d *Dict[V]) Ptr(key string) *V {
	if e := d.find(d.hashString(key), key); e != nil {
		return &e.val
	}
	return nil
}

// PtrBytes is Ptr for a key given as bytes, without converting it.
func (d *Dict[V]) PtrBytes(key []byte) *V {
	if d.Len() == 0 {
		return nil
	}
	h := d.hashBytes(key)
	if d.rehashing() {
		d.rehashStep()
	}
	for i := 0; i < 2; i++ {
		t := &d.t[i]
		if t.buckets != nil {
			for e := t.buckets[h&t.mask]; e != nil; e = e.next {
				if e.key == string(key) {
					return &e.val
				}
			}
		}
		if !d.rehashing() {
			break
		}
	}
	return nil
}

func (d *Dict[V]) find(h uint64, key string) *entry[V] {
	if d.Len() == 0 {
		return nil
	}
	if d.rehashing() {
		d.rehashStep()
	}
	for i := 0; i < 2; i++ {
		t := &d.t[i]
		if t.buckets != nil {
			for e := t.buckets[h&t.mask]; e != nil; e = e.next {
				if e.key == key {
					return e
				}
			}
		}
		if !d.rehashing() {
			break
		}
	}
	return nil
}

// Set stores val under key and reports whether the key is new.
func (d *Dict[V]) Set(key string, val V) (added bool) {
	p, added := d.Upsert(key)
	*p = val
	return added
}

// Upsert returns a pointer to the value under key, inserting the zero value
// first when the key is absent.
func (d *Dict[V]) Upsert(key string) (p *V, added bool) {
	h := d.hashString(key)
	if e := d.find(h, key); e != nil {
		return &e.val, false
	}
	d.expandIfNeeded()
	t := &d.t[0]
	if d.rehashing() {
		t = &d.t[1]
	}
	e := &entry[V]{key: key}
	i := h & t.mask
	e.next = t.buckets[i]
	t.buckets[i] = e
	t.used++
	return &e.val, true
}

// Delete removes key and returns its value.
func (d *Dict[V]) Delete(key string) (V, bool) {
	var zero V
	if d.Len() == 0 {
		return zero, false
	}
	h := d.hashString(key)
	if d.rehashing() {
		d.rehashStep()
	}
	for i := 0; i < 2; i++ {
		t := &d.t[i]
		if t.buckets != nil {
			var prev *entry[V]
			for e := t.buckets[h&t.mask]; e != nil; prev, e = e, e.next {
				if e.key == key {
					if prev == nil {
						t.buckets[h&t.mask] = e.next
					} else {
						prev.next = e.next
					}
					t.used--
					v := e.val
					e.next = nil
					d.shrinkIfNeeded()
					return v, true
				}
			}
		}
		if !d.rehashing() {
			break
		}
	}
	return zero, false
}

// Clear removes every element.
func (d *Dict[V]) Clear() {
	d.t[0] = table[V]{}
	d.t[1] = table[V]{}
	d.rehashIdx = -1
}

func (d *Dict[V]) expandIfNeeded() {
	if d.rehashing() {
		return
	}
	if d.frozen && d.t[0].buckets != nil {
		return
	}
	t := &d.t[0]
	if t.buckets == nil {
		d.t[0] = newTable[V](minSize)
		return
	}
	if t.used >= len(t.buckets) {
		d.resize(t.used + 1)
	}
}

func (d *Dict[V]) shrinkIfNeeded() {
	if d.rehashing() || d.frozen {
		return
	}
	t := &d.t[0]
	if len(t.buckets) > minSize && t.used*8 < len(t.buckets) {
		d.resize(t.used)
	}
}

// Reserve makes room for n elements ahead of their insertion (a snapshot
// being loaded announces its sizes): an empty table is allocated at its
// final size at once, sparing the rehashes of growing into it; a table in
// use grows by the usual incremental rehash.
func (d *Dict[V]) Reserve(n int) {
	if d.rehashing() || d.frozen || n <= len(d.t[0].buckets) {
		return
	}
	if d.Len() == 0 {
		d.t[0] = newTable[V](1 << bits.Len(uint(max(n, minSize)-1)))
		return
	}
	d.resize(n)
}

// resize starts an incremental rehash into a table sized for n elements.
func (d *Dict[V]) resize(n int) {
	size := minSize
	if n > minSize {
		size = 1 << bits.Len(uint(n-1))
	}
	if size == len(d.t[0].buckets) {
		return
	}
	d.t[1] = newTable[V](size)
	d.rehashIdx = 0
}

func newTable[V any](size int) table[V] {
	return table[V]{buckets: make([]*entry[V], size), mask: uint64(size - 1)}
}

// rehashStep moves one non-empty bucket (visiting at most ten empty ones)
// from the old table to the new, finishing the rehash when the old table is
// empty.
func (d *Dict[V]) rehashStep() {
	old, nw := &d.t[0], &d.t[1]
	empty := 10
	for old.used > 0 {
		b := old.buckets[d.rehashIdx]
		if b == nil {
			d.rehashIdx++
			if empty--; empty == 0 {
				return
			}
			continue
		}
		for e := b; e != nil; {
			next := e.next
			i := d.hashString(e.key) & nw.mask
			e.next = nw.buckets[i]
			nw.buckets[i] = e
			old.used--
			nw.used++
			e = next
		}
		old.buckets[d.rehashIdx] = nil
		d.rehashIdx++
		break
	}
	if old.used == 0 {
		d.t[0] = d.t[1]
		d.t[1] = table[V]{}
		d.rehashIdx = -1
	}
}

// RehashFor moves buckets until the rehash is over or n steps were taken.
// The server calls it from its periodic task so that an idle table still
// finishes rehashing.
func (d *Dict[V]) RehashFor(n int) {
	for ; n > 0 && d.rehashing(); n-- {
		d.rehashStep()
	}
}

// Freeze finishes any rehash in progress and stops the table from
// resizing until Thaw, so that Visited can tell which keys a Scan from
// cursor 0 has passed. Chains grow longer meanwhile; lookups stay correct.
func (d *Dict[V]) Freeze() {
	for d.rehashing() {
		d.rehashStep()
	}
	d.frozen = true
}

// Thaw lets the table resize again.
func (d *Dict[V]) Thaw() {
	d.frozen = false
	d.expandIfNeeded()
}

// Visited reports whether a Scan of a frozen table, now at cursor, has
// already visited the bucket key belongs to. A scan that has finished
// (returned 0) has visited everything; the caller tracks that.
func (d *Dict[V]) Visited(key []byte, cursor uint64) bool {
	t := &d.t[0]
	if t.buckets == nil || cursor == 0 {
		return false
	}
	b := d.hashBytes(key) & t.mask
	// buckets are visited in the order of their reversed bit patterns
	return bits.Reverse64(b) < bits.Reverse64(cursor&t.mask)
}

// Range calls fn for every element until fn returns false. fn must not
// modify the Dict.
func (d *Dict[V]) Range(fn func(key string, val V) bool) {
	for i := 0; i < 2; i++ {
		for _, e := range d.t[i].buckets {
			for ; e != nil; e = e.next {
				if !fn(e.key, e.val) {
					return
				}
			}
		}
	}
}

// Random returns a random element: a random non-empty bucket, then a
// random element of its chain, as Redis's dictGetRandomKey does.
func (d *Dict[V]) Random(rng *rand.Rand) (string, V, bool) {
	var zero V
	if d.Len() == 0 {
		return "", zero, false
	}
	if d.rehashing() {
		d.rehashStep()
	}
	var e *entry[V]
	for e == nil {
		if d.rehashing() {
			// buckets of t[0] below rehashIdx are empty
			n0 := uint64(len(d.t[0].buckets))
			span := n0 + uint64(len(d.t[1].buckets)) - uint64(d.rehashIdx)
			i := uint64(d.rehashIdx) + rng.Uint64N(span)
			if i >= n0 {
				e = d.t[1].buckets[i-n0]
			} else {
				e = d.t[0].buckets[i]
			}
		} else {
			e = d.t[0].buckets[rng.Uint64()&d.t[0].mask]
		}
	}
	n := 0
	for x := e; x != nil; x = x.next {
		n++
	}
	for k := rng.IntN(n); k > 0; k-- {
		e = e.next
	}
	return e.key, e.val, true
}

// Scan visits the elements of the bucket(s) the cursor names and returns
// the next cursor, 0 when the iteration is over. Every element present for
// the whole iteration is visited at least once, even across resizes; some
// may be visited twice. fn must not modify the Dict.
func (d *Dict[V]) Scan(cursor uint64, fn func(key string, val V)) uint64 {
	return d.ScanPtr(cursor, func(key string, val *V) { fn(key, *val) })
}

// ScanPtr is Scan handing fn a pointer to each stored value (valid as
// Ptr's are), for callers that would otherwise look the key up again.
func (d *Dict[V]) ScanPtr(cursor uint64, fn func(key string, val *V)) uint64 {
	if d.Len() == 0 {
		return 0
	}
	visit := func(e *entry[V]) {
		for ; e != nil; e = e.next {
			fn(e.key, &e.val)
		}
	}
	if !d.rehashing() {
		t := &d.t[0]
		visit(t.buckets[cursor&t.mask])
		return nextCursor(cursor, t.mask)
	}
	small, large := &d.t[0], &d.t[1]
	if len(small.buckets) > len(large.buckets) {
		small, large = large, small
	}
	visit(small.buckets[cursor&small.mask])
	// then every bucket of the larger table that expands from it
	for {
		visit(large.buckets[cursor&large.mask])
		cursor = nextCursor(cursor, large.mask)
		if cursor&(small.mask^large.mask) == 0 {
			break
		}
	}
	return cursor
}

// nextCursor increments the cursor's masked bits in reverse bit order, so
// that buckets already visited stay visited when the table grows or shrinks.
func nextCursor(v, mask uint64) uint64 {
	v |= ^mask
	v = bits.Reverse64(v)
	v++
	return bits.Reverse64(v)
}
