package zset

import "math/rand/v2"

const maxLevel = 32

type slnode struct {
	member string
	score  float64
	back   *slnode
	lv     []sllevel
}

type sllevel struct {
	fw   *slnode
	span int
}

type skiplist struct {
	head, tail *slnode
	length     int
	level      int
}

func newSkiplist() *skiplist {
	return &skiplist{head: &slnode{lv: make([]sllevel, maxLevel)}, level: 1}
}

// newNode allocates a node and its levels as one object, so that walking
// the list touches one block of memory per node instead of two (the node,
// then its level array), and each node costs one allocation. Levels are
// rounded up to a few sizes; most nodes have one or two.
func newNode(level int) *slnode {
	switch {
	case level == 1:
		n := &struct {
			slnode
			a [1]sllevel
		}{}
		n.lv = n.a[:level]
		return &n.slnode
	case level == 2:
		n := &struct {
			slnode
			a [2]sllevel
		}{}
		n.lv = n.a[:level]
		return &n.slnode
	case level <= 4:
		n := &struct {
			slnode
			a [4]sllevel
		}{}
		n.lv = n.a[:level]
		return &n.slnode
	case level <= 8:
		n := &struct {
			slnode
			a [8]sllevel
		}{}
		n.lv = n.a[:level]
		return &n.slnode
	}
	n := &struct {
		slnode
		a [maxLevel]sllevel
	}{}
	n.lv = n.a[:level]
	return &n.slnode
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
		for f := h.lv[i].fw; f != nil && before(f.score, f.member, score, member); f = h.lv[i].fw {
			rank[i] += h.lv[i].span
			h = f
		}
		update[i] = h
	}
	level := len(x.lv)
	if level > sl.level {
		for i := sl.level; i < level; i++ {
			rank[i] = 0
			update[i] = sl.head
			sl.head.lv[i].span = sl.length
		}
		sl.level = level
	}
	for i := 0; i < level; i++ {
		x.lv[i].fw = update[i].lv[i].fw
		update[i].lv[i].fw = x
		x.lv[i].span = update[i].lv[i].span - (rank[0] - rank[i])
		update[i].lv[i].span = rank[0] - rank[i] + 1
	}
	for i := level; i < sl.level; i++ {
		update[i].lv[i].span++
	}
	x.back = nil
	if update[0] != sl.head {
		x.back = update[0]
	}
	if x.lv[0].fw != nil {
		x.lv[0].fw.back = x
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
		(x.lv[0].fw == nil || before(score, x.member, x.lv[0].fw.score, x.lv[0].fw.member)) {
		x.score = score
		return
	}
	sl.delete(x.score, x.member)
	x.score = score
	sl.link(x)
}

func (sl *skiplist) unlinkNode(x *slnode, update *[maxLevel]*slnode) {
	for i := 0; i < sl.level; i++ {
		if update[i].lv[i].fw == x {
			update[i].lv[i].span += x.lv[i].span - 1
			update[i].lv[i].fw = x.lv[i].fw
		} else {
			update[i].lv[i].span--
		}
	}
	if x.lv[0].fw != nil {
		x.lv[0].fw.back = x.back
	} else {
		sl.tail = x.back
	}
	for sl.level > 1 && sl.head.lv[sl.level-1].fw == nil {
		sl.level--
	}
	sl.length--
}

func (sl *skiplist) delete(score float64, member string) bool {
	var update [maxLevel]*slnode
	x := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		for f := x.lv[i].fw; f != nil && before(f.score, f.member, score, member); f = x.lv[i].fw {
			x = f
		}
		update[i] = x
	}
	x = x.lv[0].fw
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
		for f := x.lv[i].fw; f != nil && (f.score < score || (f.score == score && f.member <= member)); f = x.lv[i].fw {
			r += x.lv[i].span
			x = f
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
		for x.lv[i].fw != nil && t+x.lv[i].span <= rank {
			t += x.lv[i].span
			x = x.lv[i].fw
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
	r := 0
	x := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		for f := x.lv[i].fw; f != nil && pred(f.score, f.member); f = x.lv[i].fw {
			r += x.lv[i].span
			x = f
		}
	}
	return r
}

// deleteRanks removes the elements of 1-based ranks start..end, calling
// fn for each.
func (sl *skiplist) deleteRanks(start, end int, fn func(x *slnode)) int {
	var update [maxLevel]*slnode
	t := 0
	x := sl.head
	for i := sl.level - 1; i >= 0; i-- {
		for x.lv[i].fw != nil && t+x.lv[i].span < start {
			t += x.lv[i].span
			x = x.lv[i].fw
		}
		update[i] = x
	}
	t++
	x = x.lv[0].fw
	removed := 0
	for x != nil && t <= end {
		next := x.lv[0].fw
		sl.unlinkNode(x, &update)
		fn(x)
		removed++
		t++
		x = next
	}
	return removed
}
