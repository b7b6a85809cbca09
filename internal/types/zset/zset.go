package zset

import (
	"math"
	"sort"
	"unsafe"

	"github.com/moonkv/moonkv/internal/dict"
	"github.com/moonkv/moonkv/internal/keyspace"
)

// Pair is a member and its score.
type Pair struct {
	Member string
	Score  float64
}

// ZSet is a sorted set.
type ZSet struct {
	lim *keyspace.Limits
	lp  []Pair // the listpack encoding, sorted; unused once sl is set
	// tags[i] is tagOf(lp[i].Member). A lookup in the listpack compares
	// one byte per member and reads a member's bytes (elsewhere in
	// memory) only where the tag matches, instead of at every member.
	tags []byte
	sl   *skiplist
	dict *dict.Dict[*slnode] // member -> node, with a SCAN cursor
}

// New returns an empty set in the listpack encoding. lim supplies the
// conversion thresholds, read at each insertion (CONFIG SET may change
// them); nil means Redis's defaults.
func New(lim *keyspace.Limits) *ZSet {
	if lim == nil {
		d := keyspace.DefaultLimits()
		lim = &d
	}
	return &ZSet{lim: lim}
}

// Len is the number of members.
func (z *ZSet) Len() int {
	if z.sl != nil {
		return z.sl.length
	}
	return len(z.lp)
}

// Encoding is "listpack" or "skiplist", as OBJECT ENCODING reports.
func (z *ZSet) Encoding() string {
	if z.sl != nil {
		return "skiplist"
	}
	return "listpack"
}

// IsSkiplist reports whether the set has converted to the skiplist form.
func (z *ZSet) IsSkiplist() bool { return z.sl != nil }

// MemUsage estimates the set's footprint in bytes.
func (z *ZSet) MemUsage() int {
	n := 64
	if z.sl == nil {
		for _, p := range z.lp {
			n += 24 + len(p.Member)
		}
		return n
	}
	for x := z.sl.head.l(0).fw; x != nil; x = x.l(0).fw {
		n += 64 + 16*int(x.nlev) + 2*len(x.member) + 48
	}
	return n
}

// Copy returns a deep copy in the same encoding.
func (z *ZSet) Copy() keyspace.Object {
	c := &ZSet{lim: z.lim}
	if z.sl == nil {
		c.lp = append([]Pair(nil), z.lp...)
		c.tags = append([]byte(nil), z.tags...)
		return c
	}
	c.toSkiplist()
	for x := z.sl.head.l(0).fw; x != nil; x = x.l(0).fw {
		c.dict.Set(x.member, c.sl.insert(x.score, x.member))
	}
	return c
}

func (z *ZSet) toSkiplist() {
	z.sl = newSkiplist()
	z.dict = dict.New[*slnode]()
	for _, p := range z.lp {
		z.dict.Set(p.Member, z.sl.insert(p.Score, p.Member))
	}
	z.lp, z.tags = nil, nil
}

// tagOf is a one-byte hash of a member (FNV-1a folded to a byte).
func tagOf(m []byte) byte {
	h := uint32(2166136261)
	for _, c := range m {
		h = (h ^ uint32(c)) * 16777619
	}
	return byte(h ^ h>>8 ^ h>>16 ^ h>>24)
}

func (z *ZSet) lpFind(member string) int {
	return z.lpFindBytes(unsafe.Slice(unsafe.StringData(member), len(member)))
}

// lpPos is where (score, member) belongs in the listpack order.
func (z *ZSet) lpPos(score float64, member string) int {
	return sort.Search(len(z.lp), func(i int) bool {
		return !before(z.lp[i].Score, z.lp[i].Member, score, member)
	})
}

// Score returns a member's score.
func (z *ZSet) Score(member string) (float64, bool) {
	if z.sl != nil {
		x, ok := z.dict.Get(member)
		if !ok {
			return 0, false
		}
		return x.score, true
	}
	if i := z.lpFind(member); i >= 0 {
		return z.lp[i].Score, true
	}
	return 0, false
}

// Flags for Add, as ZADD's options.
const (
	NX = 1 << iota
	XX
	GT
	LT
	Incr
)

// Result of Add.
type Result int

const (
	Nop     Result = iota // nothing changed (a condition failed or the score was the same)
	Added                 // a new member
	Updated               // an existing member's score changed
	NaN                   // INCR would have produced NaN; nothing changed
	Same                  // the member exists and already has that score
)

// Add inserts or updates a member following ZADD's rules for the flags, and
// returns what happened and the member's score afterwards (for INCR; it is
// the old score when a condition blocked the change).
func (z *ZSet) Add(member string, score float64, flags int) (Result, float64) {
	return z.add(unsafe.Slice(unsafe.StringData(member), len(member)), member, true, score, flags)
}

// AddBytes is Add for a member given as bytes, such as a command's
// argument: the member is copied into a string only when it is inserted.
func (z *ZSet) AddBytes(member []byte, score float64, flags int) (Result, float64) {
	return z.add(member, "", false, score, flags)
}

// add is Add and AddBytes: mb is the member, ms the same member as a
// string when haveStr (stored as it is, without a copy).
func (z *ZSet) add(mb []byte, ms string, haveStr bool, score float64, flags int) (Result, float64) {
	// One lookup finds the member: its skiplist node, or its listpack slot.
	var x *slnode
	i := -1
	if z.sl != nil {
		if p := z.dict.PtrBytes(mb); p != nil {
			x = *p
		}
	} else {
		i = z.lpFindBytes(mb)
	}
	if x != nil || i >= 0 {
		var cur float64
		if x != nil {
			cur = x.score
		} else {
			cur = z.lp[i].Score
		}
		if flags&NX != 0 {
			return Nop, cur
		}
		if flags&Incr != 0 {
			score += cur
			if math.IsNaN(score) {
				return NaN, cur
			}
		}
		if (flags&GT != 0 && score <= cur) || (flags&LT != 0 && score >= cur) {
			return Nop, cur
		}
		if score == cur {
			return Same, cur
		}
		if x != nil {
			z.sl.updateScore(x, score)
		} else {
			z.lpMove(i, score)
		}
		return Updated, score
	}
	if flags&XX != 0 {
		return Nop, 0
	}
	if !haveStr {
		ms = string(mb)
	}
	z.insert(ms, score)
	return Added, score
}

// lpFindBytes is lpFind for a member given as bytes.
func (z *ZSet) lpFindBytes(member []byte) int {
	t := tagOf(member)
	for i, g := range z.tags {
		if g == t && z.lp[i].Member == string(member) {
			return i
		}
	}
	return -1
}

// insert adds a member known to be absent, converting to a skiplist when
// the listpack thresholds would be passed.
func (z *ZSet) insert(member string, score float64) {
	if z.sl == nil && (len(z.lp)+1 > z.lim.ZSetMaxListpackEntries || len(member) > z.lim.ZSetMaxListpackValue) {
		z.toSkiplist()
	}
	if z.sl != nil {
		z.dict.Set(member, z.sl.insert(score, member))
		return
	}
	score = lpScore(score)
	i := z.lpPos(score, member)
	z.lp = append(z.lp, Pair{})
	copy(z.lp[i+1:], z.lp[i:])
	z.lp[i] = Pair{member, score}
	z.tags = append(z.tags, 0)
	copy(z.tags[i+1:], z.tags[i:])
	z.tags[i] = tagOf(unsafe.Slice(unsafe.StringData(member), len(member)))
}

// lpScore is a score as a listpack gives it back: Redis stores listpack
// scores as text, where -0 reads back as 0.
func lpScore(s float64) float64 {
	if s == 0 {
		return 0
	}
	return s
}

// lpMove gives the listpack member at i a new score and moves it to its
// place in the order.
func (z *ZSet) lpMove(i int, score float64) {
	score = lpScore(score)
	p, t := Pair{z.lp[i].Member, score}, z.tags[i]
	copy(z.lp[i:], z.lp[i+1:])
	copy(z.tags[i:], z.tags[i+1:])
	rest := z.lp[:len(z.lp)-1]
	j := sort.Search(len(rest), func(k int) bool {
		return !before(rest[k].Score, rest[k].Member, p.Score, p.Member)
	})
	copy(z.lp[j+1:], z.lp[j:len(z.lp)-1])
	z.lp[j] = p
	copy(z.tags[j+1:], z.tags[j:len(z.tags)-1])
	z.tags[j] = t
}

// Remove deletes a member, reporting whether it was there.
func (z *ZSet) Remove(member string) bool {
	if z.sl != nil {
		x, ok := z.dict.Get(member)
		if !ok {
			return false
		}
		z.sl.delete(x.score, member)
		z.dict.Delete(member)
		return true
	}
	i := z.lpFind(member)
	if i < 0 {
		return false
	}
	copy(z.lp[i:], z.lp[i+1:])
	z.lp = z.lp[:len(z.lp)-1]
	copy(z.tags[i:], z.tags[i+1:])
	z.tags = z.tags[:len(z.tags)-1]
	return true
}

// Rank returns a member's 0-based rank, counted from the highest score when
// rev.
func (z *ZSet) Rank(member string, rev bool) (int, bool) {
	r := -1
	if z.sl != nil {
		x, ok := z.dict.Get(member)
		if !ok {
			return 0, false
		}
		r = z.sl.rank(x.score, member) - 1
	} else {
		r = z.lpFind(member)
		if r < 0 {
			return 0, false
		}
	}
	if rev {
		r = z.Len() - 1 - r
	}
	return r, true
}

// At returns the pair at an ascending 0-based rank (which must exist).
func (z *ZSet) At(rank int) Pair {
	if z.sl != nil {
		x := z.sl.byRank(rank + 1)
		return Pair{x.member, x.score}
	}
	return z.lp[rank]
}

// countWhile counts the leading members (ascending) for which pred holds;
// pred must hold for a prefix of the order.
func (z *ZSet) countWhile(pred func(score float64, member string) bool) int {
	if z.sl != nil {
		return z.sl.countWhile(pred)
	}
	return sort.Search(len(z.lp), func(i int) bool { return !pred(z.lp[i].Score, z.lp[i].Member) })
}

// ScoreSpan returns the ascending ranks [start, end) of the members whose
// scores lie in r (start >= end when none do).
func (z *ZSet) ScoreSpan(r ScoreRange) (start, end int) {
	start = z.countWhile(func(s float64, _ string) bool { return !r.aboveMin(s) })
	end = z.countWhile(func(s float64, _ string) bool { return r.belowMax(s) || !r.aboveMin(s) })
	return start, end
}

// ScoreSpanIter is ScoreSpan with an iterator over the span: from its
// first member upwards, or from its last member downwards when rev (an
// exhausted iterator for an empty span). The skiplist walks that find the
// span's ends also find those members, so the iterator costs no third walk.
func (z *ZSet) ScoreSpanIter(r ScoreRange, rev bool) (start, end int, it Iter) {
	if z.sl == nil {
		start, end = z.ScoreSpan(r)
	} else {
		var prev, last *slnode
		start, prev = z.sl.countWhileNode(func(s float64, _ string) bool { return !r.aboveMin(s) })
		end, last = z.sl.countWhileNode(func(s float64, _ string) bool { return r.belowMax(s) || !r.aboveMin(s) })
		if start < end {
			if rev {
				return start, end, Iter{z: z, x: last, i: end - 1, rev: true}
			}
			return start, end, Iter{z: z, x: prev.l(0).fw, i: start}
		}
	}
	switch {
	case start >= end:
		return start, end, Iter{i: -1}
	case rev:
		return start, end, z.Iter(end-1, true)
	}
	return start, end, z.Iter(start, false)
}

// LexSpan returns the ascending ranks [start, end) of the members inside r.
// Like Redis it assumes all scores are equal. When they are not, a listpack
// set answers as Redis's listpack scan does (the first member at or above
// min, then members while at or below max; from the tail for rev), which is
// deterministic; a skiplist one depends on its random levels, in Redis too.
func (z *ZSet) LexSpan(r LexRange) (start, end int) {
	return z.LexSpanDir(r, false)
}

// LexSpanDir is LexSpan for a reading direction (rev: from the highest
// member down, as ZREVRANGEBYLEX reads).
func (z *ZSet) LexSpanDir(r LexRange, rev bool) (start, end int) {
	if r.empty() {
		return 0, 0
	}
	if z.sl == nil {
		n := len(z.lp)
		if n == 0 || !r.aboveMin(z.lp[n-1].Member) || !r.belowMax(z.lp[0].Member) {
			return 0, 0
		}
		if rev {
			last := n - 1
			for last >= 0 && !r.belowMax(z.lp[last].Member) {
				last--
			}
			if last < 0 || !r.aboveMin(z.lp[last].Member) {
				return 0, 0
			}
			first := last
			for first > 0 && r.aboveMin(z.lp[first-1].Member) {
				first--
			}
			return first, last + 1
		}
		first := 0
		for first < n && !r.aboveMin(z.lp[first].Member) {
			first++
		}
		if first == n || !r.belowMax(z.lp[first].Member) {
			return 0, 0
		}
		end := first
		for end < n && r.belowMax(z.lp[end].Member) {
			end++
		}
		return first, end
	}
	if z.sl.length == 0 || !r.aboveMin(z.sl.tail.member) || !r.belowMax(z.sl.head.l(0).fw.member) {
		return 0, 0
	}
	start = z.countWhile(func(_ float64, m string) bool { return !r.aboveMin(m) })
	end = z.countWhile(func(_ float64, m string) bool { return r.belowMax(m) || !r.aboveMin(m) })
	return start, end
}

// DeleteSpan removes the members of ascending ranks [start, end) and
// returns how many it removed.
func (z *ZSet) DeleteSpan(start, end int) int {
	if start < 0 {
		start = 0
	}
	if end > z.Len() {
		end = z.Len()
	}
	if start >= end {
		return 0
	}
	if z.sl != nil {
		return z.sl.deleteRanks(start+1, end, func(x *slnode) { z.dict.Delete(x.member) })
	}
	z.lp = append(z.lp[:start], z.lp[end:]...)
	z.tags = append(z.tags[:start], z.tags[end:]...)
	return end - start
}

// Iter reads members from an ascending rank: upwards, or downwards when
// rev. An out-of-range rank gives an exhausted iterator.
func (z *ZSet) Iter(rank int, rev bool) Iter {
	it := Iter{z: z, i: rank, rev: rev}
	if rank < 0 || rank >= z.Len() {
		it.i = -1
		return it
	}
	if z.sl != nil {
		it.x = z.sl.byRank(rank + 1)
	}
	return it
}

// Iter walks a ZSet by rank.
type Iter struct {
	z   *ZSet
	x   *slnode
	i   int
	rev bool
}

// Next returns the next pair.
func (it *Iter) Next() (Pair, bool) {
	if it.z == nil || it.i < 0 || it.i >= it.z.Len() {
		return Pair{}, false
	}
	var p Pair
	if it.z.sl != nil {
		if it.x == nil {
			return Pair{}, false
		}
		p = Pair{it.x.member, it.x.score}
		if it.rev {
			it.x = it.x.back
		} else {
			it.x = it.x.l(0).fw
		}
	} else {
		p = it.z.lp[it.i]
	}
	if it.rev {
		it.i--
	} else {
		it.i++
	}
	return p, true
}

// Range calls fn for every member in ascending order until it returns
// false.
func (z *ZSet) Range(fn func(member string, score float64) bool) {
	it := z.Iter(0, false)
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		if !fn(p.Member, p.Score) {
			return
		}
	}
}

// MaxMemberLen is the length of the longest member (for choosing the
// encoding of a result set).
func (z *ZSet) MaxMemberLen() int {
	m := 0
	z.Range(func(member string, _ float64) bool {
		m = max(m, len(member))
		return true
	})
	return m
}

// Scan visits the members of one SCAN step and returns the next cursor.
// A listpack set is visited whole in one step (cursor 0 back), as Redis
// does; a skiplist set is scanned through its member table with Redis's
// reverse-binary cursor, so members present throughout are seen.
func (z *ZSet) Scan(cursor uint64, fn func(member string, score float64)) uint64 {
	if z.sl == nil {
		for _, p := range z.lp {
			fn(p.Member, p.Score)
		}
		return 0
	}
	return z.dict.Scan(cursor, func(m string, x *slnode) { fn(m, x.score) })
}

// Random returns a random member (the set must not be empty).
func (z *ZSet) Random(intn func(n int) int) Pair {
	return z.At(intn(z.Len()))
}

// SortPairs orders pairs as a sorted set orders its members.
func SortPairs(ps []Pair) {
	sort.Slice(ps, func(i, j int) bool { return before(ps[i].Score, ps[i].Member, ps[j].Score, ps[j].Member) })
}

// Build makes a set of distinct members, already in SortPairs order, in
// the encoding Redis gives a computed result (ZUNIONSTORE and friends
// build a skiplist and convert it to a listpack when it is small enough).
func Build(lim *keyspace.Limits, ps []Pair) *ZSet {
	z := New(lim)
	maxLen := 0
	for _, p := range ps {
		maxLen = max(maxLen, len(p.Member))
	}
	if len(ps) <= z.lim.ZSetMaxListpackEntries && maxLen <= z.lim.ZSetMaxListpackValue {
		z.lp = make([]Pair, len(ps))
		z.tags = make([]byte, len(ps))
		for i, p := range ps {
			z.lp[i] = Pair{p.Member, lpScore(p.Score)}
			z.tags[i] = tagOf(unsafe.Slice(unsafe.StringData(p.Member), len(p.Member)))
		}
		return z
	}
	z.sl = newSkiplist()
	z.dict = dict.New[*slnode]()
	for _, p := range ps {
		z.dict.Set(p.Member, z.sl.insert(p.Score, p.Member))
	}
	return z
}
