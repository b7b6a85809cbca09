package list

import "github.com/moonkv/moonkv/internal/keyspace"

// sizeSafetyLimit bounds a node's bytes when the fill is an element count,
// as Redis's SIZE_SAFETY_LIMIT does.
const sizeSafetyLimit = 8192

// nodeOverhead is what a node costs beside its data, for MemUsage.
const nodeOverhead = 64

// List is a quicklist.
type List struct {
	head, tail *node
	count      int
	nodes      int
	fill       int
}

type node struct {
	prev, next *node
	// buf holds the elements back to back; off[lo:] are their starts.
	// Popping from the front only advances lo, and pushing at the front
	// reuses the dead space before the first element, so both ends cost
	// O(1) amortised instead of a move of the whole node.
	buf []byte
	off []uint32
	lo  int
}

func (n *node) len() int { return len(n.off) - n.lo }

// size is the bytes the live elements occupy.
func (n *node) size() int {
	if n.len() == 0 {
		return 0
	}
	return len(n.buf) - int(n.off[n.lo])
}

func (n *node) end(i int) int {
	if k := n.lo + i + 1; k < len(n.off) {
		return int(n.off[k])
	}
	return len(n.buf)
}

func (n *node) at(i int) []byte {
	e := n.end(i)
	return n.buf[n.off[n.lo+i]:e:e]
}

func (n *node) reset() {
	n.buf, n.off, n.lo = n.buf[:0], n.off[:0], 0
	if cap(n.buf) > 1024 {
		n.buf = nil
	}
}

// rebuild moves the live elements into fresh arrays, leaving headBytes
// of free space and headSlots free offsets before them, and some room
// after them for appends when tail.
func (n *node) rebuild(headBytes, headSlots int, tail bool) {
	cnt, live := n.len(), n.size()
	tb, ts := 0, 0
	if tail {
		tb, ts = live/4+16, cnt/4+4
	}
	nb := make([]byte, headBytes+live, headBytes+live+tb)
	no := make([]uint32, headSlots+cnt, headSlots+cnt+ts)
	if cnt > 0 {
		base := n.off[n.lo]
		copy(nb[headBytes:], n.buf[base:])
		for j, o := range n.off[n.lo:] {
			no[headSlots+j] = o - base + uint32(headBytes)
		}
	}
	n.buf, n.off, n.lo = nb, no, headSlots
}

// pushFront puts v before the first element. When the space before it
// runs out the node is rebuilt with room doubling what it holds, but never
// more than roomBytes and roomSlots, what the node may still take (see
// List.room): a node that fills up by pushes at the front is rebuilt
// O(log) times and carries no space it can never use.
func (n *node) pushFront(v []byte, roomBytes, roomSlots int) {
	if n.len() == 0 {
		n.reset()
		n.insert(0, v)
		return
	}
	if n.lo == 0 || int(n.off[n.lo]) < len(v) {
		hb := min(max(n.size(), 32), max(roomBytes, 0))
		hs := min(max(n.len(), 4), max(roomSlots, 1))
		n.rebuild(len(v)+hb, hs, false)
	}
	pos := n.off[n.lo] - uint32(len(v))
	copy(n.buf[pos:], v)
	n.lo--
	n.off[n.lo] = pos
}

// growBack makes room for one more element of sz bytes at the end. Like
// pushFront's head room, the buffers double but never reserve more than
// roomBytes and roomSlots, what the node may still take: append's growth
// (1.25x for large slices) would copy a node filling by pushes at its end
// about twice as often, and could reserve past the node's limit.
func (n *node) growBack(sz, roomBytes, roomSlots int) {
	if cap(n.buf)-len(n.buf) < sz {
		extra := min(max(len(n.buf), 32), max(roomBytes, 0))
		nb := make([]byte, len(n.buf), len(n.buf)+sz+extra)
		copy(nb, n.buf)
		n.buf = nb
	}
	if cap(n.off) == len(n.off) {
		extra := min(max(len(n.off), 4), max(roomSlots, 0))
		no := make([]uint32, len(n.off), len(n.off)+1+extra)
		copy(no, n.off)
		n.off = no
	}
}

// insert puts v before element i (i == len appends).
func (n *node) insert(i int, v []byte) {
	k := n.lo + i
	pos := len(n.buf)
	if k < len(n.off) {
		pos = int(n.off[k])
	}
	old := len(n.buf)
	n.buf = append(n.buf, v...)
	copy(n.buf[pos+len(v):], n.buf[pos:old])
	copy(n.buf[pos:], v)
	n.off = append(n.off, 0)
	copy(n.off[k+1:], n.off[k:])
	n.off[k] = uint32(pos)
	for j := k + 1; j < len(n.off); j++ {
		n.off[j] += uint32(len(v))
	}
}

// removeRange deletes cnt elements starting at i.
func (n *node) removeRange(i, cnt int) {
	if cnt <= 0 {
		return
	}
	if cnt == n.len() {
		n.reset()
		return
	}
	if i == 0 {
		n.lo += cnt
		// give the dead front back once it outweighs the live data
		if dead := int(n.off[n.lo]); dead > 4096 && dead > 2*n.size() {
			n.rebuild(0, 0, true)
		}
		return
	}
	k := n.lo + i
	start := int(n.off[k])
	stop := n.end(i + cnt - 1)
	d := stop - start
	copy(n.buf[start:], n.buf[stop:])
	n.buf = n.buf[:len(n.buf)-d]
	copy(n.off[k:], n.off[k+cnt:])
	n.off = n.off[:len(n.off)-cnt]
	for j := k; j < len(n.off); j++ {
		n.off[j] -= uint32(d)
	}
}

// replace swaps element i for v.
func (n *node) replace(i int, v []byte) {
	k := n.lo + i
	start, stop := int(n.off[k]), n.end(i)
	d := len(v) - (stop - start)
	switch {
	case d > 0:
		old := len(n.buf)
		n.buf = append(n.buf, v[:d]...)
		copy(n.buf[stop+d:], n.buf[stop:old])
	case d < 0:
		copy(n.buf[stop+d:], n.buf[stop:])
		n.buf = n.buf[:len(n.buf)+d]
	}
	copy(n.buf[start:], v)
	for j := k + 1; j < len(n.off); j++ {
		n.off[j] = uint32(int(n.off[j]) + d)
	}
}

// New returns an empty list whose nodes are sized by fill
// (list-max-listpack-size).
func New(fill int) *List {
	if fill == 0 {
		fill = 1
	}
	return &List{fill: fill}
}

// Len is the number of elements.
func (l *List) Len() int { return l.count }

// Encoding is what OBJECT ENCODING reports in Redis 7.0.
func (l *List) Encoding() string { return "quicklist" }

// Nodes is the number of nodes (for tests and introspection).
func (l *List) Nodes() int { return l.nodes }

// MemUsage estimates the list's footprint in bytes.
func (l *List) MemUsage() int {
	n := 48
	for x := l.head; x != nil; x = x.next {
		n += nodeOverhead + cap(x.buf) + 4*cap(x.off)
	}
	return n
}

// Copy returns a deep copy.
func (l *List) Copy() keyspace.Object {
	c := &List{fill: l.fill}
	for x := l.head; x != nil; x = x.next {
		nn := &node{buf: x.buf, off: x.off, lo: x.lo}
		nn.rebuild(0, 0, true)
		c.linkAfter(c.tail, nn)
	}
	c.count = l.count
	return c
}

// allowInsert mirrors Redis's rule for whether a node may take one more
// element of sz bytes.
func (l *List) allowInsert(n *node, sz int) bool {
	if n == nil {
		return false
	}
	if n.len() == 0 {
		return true
	}
	newSz := n.size() + 2*n.len() + sz + 8
	if l.fill < 0 {
		return newSz <= byteLimit(l.fill)
	}
	if newSz > sizeSafetyLimit {
		return false
	}
	return n.len() < l.fill
}

// room bounds what node n may still take after an element of sz bytes,
// by allowInsert's rule: the bytes of further elements, and how many of
// them (each costs at least two bytes of that rule's estimate).
func (l *List) room(n *node, sz int) (bytes, slots int) {
	used := n.size() + 2*n.len() + sz + 8
	if l.fill < 0 {
		bytes = byteLimit(l.fill) - used
		return bytes, bytes / 2
	}
	bytes = sizeSafetyLimit - used
	return bytes, min(bytes/2, l.fill-n.len()-1)
}

func byteLimit(fill int) int {
	i := -fill - 1
	if i > 4 {
		i = 4
	}
	return 4096 << i
}

func (l *List) linkAfter(at, n *node) {
	n.prev = at
	if at == nil {
		n.next = l.head
		l.head = n
	} else {
		n.next = at.next
		at.next = n
	}
	if n.next != nil {
		n.next.prev = n
	} else {
		l.tail = n
	}
	l.nodes++
}

func (l *List) unlink(n *node) {
	if n.prev != nil {
		n.prev.next = n.next
	} else {
		l.head = n.next
	}
	if n.next != nil {
		n.next.prev = n.prev
	} else {
		l.tail = n.prev
	}
	n.prev, n.next = nil, nil
	l.nodes--
}

// PushFront adds v (copied) at the head.
func (l *List) PushFront(v []byte) {
	if !l.allowInsert(l.head, len(v)) {
		l.linkAfter(nil, &node{})
	}
	rb, rs := l.room(l.head, len(v))
	l.head.pushFront(v, rb, rs)
	l.count++
}

// PushBack adds v (copied) at the tail.
func (l *List) PushBack(v []byte) {
	if !l.allowInsert(l.tail, len(v)) {
		l.linkAfter(l.tail, &node{})
	}
	rb, rs := l.room(l.tail, len(v))
	l.tail.growBack(len(v), rb, rs)
	l.tail.insert(l.tail.len(), v)
	l.count++
}

// PopFront removes and returns the head element.
func (l *List) PopFront() ([]byte, bool) {
	if l.count == 0 {
		return nil, false
	}
	n := l.head
	v := append([]byte(nil), n.at(0)...)
	l.removeIn(n, 0, 1)
	return v, true
}

// PopBack removes and returns the tail element.
func (l *List) PopBack() ([]byte, bool) {
	if l.count == 0 {
		return nil, false
	}
	n := l.tail
	v := append([]byte(nil), n.at(n.len()-1)...)
	l.removeIn(n, n.len()-1, 1)
	return v, true
}

// Front returns the head element without removing it (nil for an empty
// list). The slice is the list's own: valid until the list changes.
func (l *List) Front() []byte {
	if l.count == 0 {
		return nil
	}
	return l.head.at(0)
}

// Back returns the tail element without removing it, as Front does.
func (l *List) Back() []byte {
	if l.count == 0 {
		return nil
	}
	return l.tail.at(l.tail.len() - 1)
}

// DropFront removes the head element. With Front it is PopFront without
// the copy, for a caller that is done with the element before the list
// changes (a reply copies it into its own buffer).
func (l *List) DropFront() {
	if l.count > 0 {
		l.removeIn(l.head, 0, 1)
	}
}

// DropBack removes the tail element.
func (l *List) DropBack() {
	if l.count > 0 {
		l.removeIn(l.tail, l.tail.len()-1, 1)
	}
}

func (l *List) removeIn(n *node, i, cnt int) {
	n.removeRange(i, cnt)
	l.count -= cnt
	if n.len() == 0 {
		l.unlink(n)
	}
}

// locate finds the node holding element i (0 <= i < Len) and its offset
// in the node, walking from the nearer end.
func (l *List) locate(i int) (*node, int) {
	if i < l.count/2 {
		for n := l.head; n != nil; n = n.next {
			if i < n.len() {
				return n, i
			}
			i -= n.len()
		}
		return nil, 0
	}
	back := l.count - 1 - i
	for n := l.tail; n != nil; n = n.prev {
		if back < n.len() {
			return n, n.len() - 1 - back
		}
		back -= n.len()
	}
	return nil, 0
}

// norm turns a Redis index (negative counts from the tail) into a
// position, reporting whether it is inside the list.
func (l *List) norm(i int) (int, bool) {
	if i < 0 {
		i += l.count
	}
	return i, i >= 0 && i < l.count
}

// Index returns element i; negative indexes count from the tail.
func (l *List) Index(i int) ([]byte, bool) {
	i, ok := l.norm(i)
	if !ok {
		return nil, false
	}
	n, k := l.locate(i)
	return n.at(k), true
}

// Set replaces element i (negative from the tail); false when out of
// range.
func (l *List) Set(i int, v []byte) bool {
	i, ok := l.norm(i)
	if !ok {
		return false
	}
	n, k := l.locate(i)
	n.replace(k, v)
	return true
}

// InsertAt puts v so that it becomes element i (0 <= i <= Len).
func (l *List) InsertAt(i int, v []byte) {
	switch {
	case i <= 0:
		l.PushFront(v)
		return
	case i >= l.count:
		l.PushBack(v)
		return
	}
	n, k := l.locate(i)
	switch {
	case l.allowInsert(n, len(v)):
		n.insert(k, v)
	case k == 0 && l.allowInsert(n.prev, len(v)):
		n.prev.insert(n.prev.len(), v)
	default:
		// split n before k, then put v at the end of the left part, the
		// start of the right part, or a node of its own between them
		right := &node{}
		for j := k; j < n.len(); j++ {
			right.insert(right.len(), n.at(j))
		}
		n.removeRange(k, n.len()-k)
		l.linkAfter(n, right)
		switch {
		case k > 0 && l.allowInsert(n, len(v)):
			n.insert(n.len(), v)
		case l.allowInsert(right, len(v)):
			right.insert(0, v)
		default:
			mid := &node{}
			mid.insert(0, v)
			l.linkAfter(n, mid)
		}
		if n.len() == 0 {
			l.unlink(n)
		}
	}
	l.count++
}

// Find returns the index of the first element equal to v, or -1.
func (l *List) Find(v []byte) int {
	i := 0
	for n := l.head; n != nil; n = n.next {
		for k := 0; k < n.len(); k++ {
			if string(n.at(k)) == string(v) {
				return i + k
			}
		}
		i += n.len()
	}
	return -1
}

// RemoveValue deletes elements equal to v: the first count from the head
// (count > 0), the last -count from the tail (count < 0), or all
// (count == 0). It returns how many it removed.
func (l *List) RemoveValue(v []byte, count int) int {
	removed := 0
	limit := count
	if limit < 0 {
		limit = -limit
	}
	if count >= 0 {
		for n := l.head; n != nil; {
			next := n.next
			for k := 0; k < n.len(); {
				if string(n.at(k)) == string(v) {
					n.removeRange(k, 1)
					l.count--
					removed++
					if limit > 0 && removed == limit {
						break
					}
					continue
				}
				k++
			}
			if n.len() == 0 {
				l.unlink(n)
			}
			if limit > 0 && removed == limit {
				break
			}
			n = next
		}
		return removed
	}
	for n := l.tail; n != nil; {
		prev := n.prev
		for k := n.len() - 1; k >= 0; k-- {
			if string(n.at(k)) == string(v) {
				n.removeRange(k, 1)
				l.count--
				removed++
				if removed == limit {
					break
				}
			}
		}
		if n.len() == 0 {
			l.unlink(n)
		}
		if removed == limit {
			break
		}
		n = prev
	}
	return removed
}

// DeleteRange removes cnt elements starting at position start (both
// already within the list).
func (l *List) DeleteRange(start, cnt int) {
	if cnt <= 0 || start >= l.count {
		return
	}
	if start+cnt > l.count {
		cnt = l.count - start
	}
	n, k := l.locate(start)
	for cnt > 0 && n != nil {
		next := n.next
		take := n.len() - k
		if take > cnt {
			take = cnt
		}
		l.removeIn(n, k, take)
		cnt -= take
		k = 0
		n = next
	}
}

// Iterator walks the list from a position towards the tail, or towards the
// head when reverse.
type Iterator struct {
	n       *node
	k       int
	reverse bool
}

// Iter returns an iterator starting at position i (0-based from the head;
// out of range gives an exhausted iterator).
func (l *List) Iter(i int, reverse bool) Iterator {
	if i < 0 || i >= l.count {
		return Iterator{}
	}
	n, k := l.locate(i)
	return Iterator{n: n, k: k, reverse: reverse}
}

// Next returns the next element; the slice is valid until the list
// changes.
func (it *Iterator) Next() ([]byte, bool) {
	if it.n == nil {
		return nil, false
	}
	v := it.n.at(it.k)
	if it.reverse {
		it.k--
		if it.k < 0 {
			it.n = it.n.prev
			if it.n != nil {
				it.k = it.n.len() - 1
			}
		}
	} else {
		it.k++
		if it.k >= it.n.len() {
			it.n = it.n.next
			it.k = 0
		}
	}
	return v, true
}

// Range calls fn for the elements at positions start..stop (inclusive,
// already clamped to the list) from the head, stopping early when fn
// returns false.
func (l *List) Range(start, stop int, fn func(v []byte) bool) {
	it := l.Iter(start, false)
	for i := start; i <= stop; i++ {
		v, ok := it.Next()
		if !ok || !fn(v) {
			return
		}
	}
}

// Values returns copies of all elements, head first.
func (l *List) Values() [][]byte {
	out := make([][]byte, 0, l.count)
	for n := l.head; n != nil; n = n.next {
		for k := 0; k < n.len(); k++ {
			out = append(out, append([]byte(nil), n.at(k)...))
		}
	}
	return out
}
