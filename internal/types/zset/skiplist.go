package zset

import (
	"math/rand/v2"
	"unsafe"
)

const maxLevel = 32

// slnode is a skiplist node. Its levels follow it in the same allocation
// (see newNode) and are reached through l: a node with one level, three in
// four of them, is 64 bytes, one size class and one cache line.
type slnode struct {
	score  float64
	back   *slnode
	member string
	nlev   int32 // number of levels
}

// sllevel is one level's link. fs is the score of the node fw points to:
// a walk decides whether to step forward from the node it is at, and
// reads the next node only when it steps there (or when the scores tie),
// so checking where a walk stops costs no cache miss. A one-level node is
// still 64 bytes.
type sllevel struct {
	fw   *slnode
	fs   float64
	span int
}

// fwBefore reports whether the level's forward node sorts before (score,
// member).
func (lv *sllevel) fwBefore(score float64, member string) bool {
	return lv.fw != nil && (lv.fs < score || (lv.fs == score && lv.fw.member < member))
}

// setFw points the level at y, keeping its copy of y's score.
func (lv *sllevel) setFw(y *slnode) {
	lv.fw = y
	if y != nil {
		lv.fs = y.score
	}
}

// levelsAt is where a node's levels start, right after the node.
const levelsAt = unsafe.Sizeof(slnode{})

// l is the node's level i (0 <= i < nlev).
func (x *slnode) l(i int) *sllevel {
	return (*sllevel)(unsafe.Add(unsafe.Pointer(x), levelsAt+uintptr(i)*unsafe.Sizeof(sllevel{})))
}

type skiplist struct {
	head, tail *slnode
	length     int
	level      int
}

func newSkiplist() *skiplist {
	return &skiplist{head: newNode(maxLevel), level: 1}
}

// nodeWith is a node followed by room for N levels, allocated as one object.
type nodeWith[A any] struct {
	slnode
	a A
}

// newNode allocates a node with its levels as one object, so that walking
// the list touches one block of memory per node instead of two, and each
// node costs one allocation. Levels are rounded up to a few sizes; most
// nodes have one or two.
func newNode(level int) *slnode {
	var x *slnode
	switch {
	case level == 1:
		x = &new(nodeWith[[1]sllevel]).slnode
	case level == 2:
		x = &new(nodeWith[[2]sllevel]).slnode
	case level <= 4:
		x = &new(nodeWith[[4]sllevel]).slnode
	case level <= 8:
		x = &new(nodeWith[[8]sllevel]).slnode
	default:
		x = &new(nodeWith[[maxLevel]sllevel]).slnode
	}
	x.nlev = int32(level)
	return x
}

// before reports whether (s1, m1) sorts before (s2, m2).
func before(s1 float64, m1 string, s2 float64, m2 string) bool {
	return s1 < s2 || (s1 == s2 && m1 < m2)
}

func randomLevel() int {
	l := 1
	for l < maxLevel && rand.Uint32()&0xFFFF < 0xFFFF/4 {
		l++
	}
	return l
}

func (sl *skiplist) insert(score float64, member string) *slnode {
	x := newNode(randomLevel())
	x.member, x.score = member, score
	sl.link(x)
	return x
}

// link puts x, whose member, score and levels are set, in its place.
func (sl *skiplist) link(x *slnode) {
	var update [maxLevel]*slnode
	var rank [maxLevel]int
	score, member := x.score, x.member
	h := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		if i < sl.level-1 {
			rank[i] = rank[i+1]
		}
		for lv := h.l(i); lv.fwBefore(score, member); lv = h.l(i) {
			rank[i] += lv.span
			h = lv.fw
		}
		update[i] = h
	}
	level := int(x.nlev)
	if level > sl.level {
		for i := sl.level; i < level; i++ {
			rank[i] = 0
			update[i] = sl.head
			sl.head.l(i).span = sl.length
		}
		sl.level = level
	}
	for i := 0; i < level; i++ {
		x.l(i).setFw(update[i].l(i).fw)
		update[i].l(i).setFw(x)
		x.l(i).span = update[i].l(i).span - (rank[0] - rank[i])
		update[i].l(i).span = rank[0] - rank[i] + 1
	}
	for i := level; i < sl.level; i++ {
		update[i].l(i).span++
	}
	x.back = nil
	if update[0] != sl.head {
		x.back = update[0]
	}
	if x.l(0).fw != nil {
		x.l(0).fw.back = x
	} else {
		sl.tail = x
	}
	sl.length++
}

// updateScore gives node x a new score. The node keeps its place when the
// order allows (as Redis's zslUpdateScore does), and is otherwise unlinked
// and linked again at its new place: the same node, so the member table's
// pointer to it stays valid and nothing is allocated.
func (sl *skiplist) updateScore(x *slnode, score float64) {
	if (x.back == nil || before(x.back.score, x.back.member, score, x.member)) &&
		(x.l(0).fw == nil || before(score, x.member, x.l(0).fw.score, x.l(0).fw.member)) {
		x.score = score
		sl.recache(x)
		return
	}
	sl.delete(x.score, x.member)
	x.score = score
	sl.link(x)
}

// recache refreshes the copies of x's score that the links into x keep.
// The link into x at level i belongs to the nearest node before x with
// more than i levels (the head when there is none), found through the
// back pointers: one or two steps per level on average.
func (sl *skiplist) recache(x *slnode) {
	p := x.back
	for i := 0; i < int(x.nlev); i++ {
		for p != nil && int(p.nlev) <= i {
			p = p.back
		}
		if p == nil {
			sl.head.l(i).fs = x.score
		} else {
			p.l(i).fs = x.score
		}
	}
}

func (sl *skiplist) unlinkNode(x *slnode, update *[maxLevel]*slnode) {
	for i := 0; i < sl.level; i++ {
		if update[i].l(i).fw == x {
			update[i].l(i).span += x.l(i).span - 1
			update[i].l(i).setFw(x.l(i).fw)
		} else {
			update[i].l(i).span--
		}
	}
	if x.l(0).fw != nil {
		x.l(0).fw.back = x.back
	} else {
		sl.tail = x.back
	}
	for sl.level > 1 && sl.head.l(sl.level-1).fw == nil {
		sl.level--
	}
	sl.length--
}

func (sl *skiplist) delete(score float64, member string) bool {
	var update [maxLevel]*slnode
	x := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		for lv := x.l(i); lv.fwBefore(score, member); lv = x.l(i) {
			x = lv.fw
		}
		update[i] = x
	}
	x = x.l(0).fw
	if x != nil && x.score == score && x.member == member {
		sl.unlinkNode(x, &update)
		return true
	}
	return false
}

// rank is the 1-based rank of an element known to be in the list.
func (sl *skiplist) rank(score float64, member string) int {
	r := 0
	x := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		for lv := x.l(i); lv.fw != nil && (lv.fs < score || (lv.fs == score && lv.fw.member <= member)); lv = x.l(i) {
			r += lv.span
			x = lv.fw
		}
		if x != sl.head && x.member == member {
			return r
		}
	}
	return 0
}

// byRank returns the node at a 1-based rank.
func (sl *skiplist) byRank(rank int) *slnode {
	t := 0
	x := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		for x.l(i).fw != nil && t+x.l(i).span <= rank {
			t += x.l(i).span
			x = x.l(i).fw
		}
		if t == rank {
			return x
		}
	}
	return nil
}

// countWhile counts the leading elements for which pred holds; pred must
// be monotone (true for a prefix of the order).
func (sl *skiplist) countWhile(pred func(score float64, member string) bool) int {
	r, _ := sl.countWhileNode(pred)
	return r
}

// countWhileNode is countWhile that also returns the last element for
// which pred holds (the head when there is none).
func (sl *skiplist) countWhileNode(pred func(score float64, member string) bool) (int, *slnode) {
	r := 0
	x := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		for f := x.l(i).fw; f != nil && pred(f.score, f.member); f = x.l(i).fw {
			r += x.l(i).span
			x = f
		}
	}
	return r, x
}

// deleteRanks removes the elements of 1-based ranks start..end, calling
// fn for each.
func (sl *skiplist) deleteRanks(start, end int, fn func(x *slnode)) int {
	var update [maxLevel]*slnode
	t := 0
	x := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		for x.l(i).fw != nil && t+x.l(i).span < start {
			t += x.l(i).span
			x = x.l(i).fw
		}
		update[i] = x
	}
	t++
	x = x.l(0).fw
	removed := 0
	for x != nil && t <= end {
		next := x.l(0).fw
		sl.unlinkNode(x, &update)
		fn(x)
		removed++
		t++
		x = next
	}
	return removed
}
