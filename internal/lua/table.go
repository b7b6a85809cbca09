package lua

import (
	"math"
	"unsafe"
)

// Table is a Lua table. Its layout follows Lua 5.1's ltable.c: an array
// part for keys 1..n and a hash part of 2^k nodes using Brent-style
// collision chaining with a free pointer that scans down from the end.
// Sizing, rehashing and hashing of numbers, strings and booleans match
// C Lua 5.1 so that pairs() visits keys in the same order as lua5.1 for
// the same sequence of operations (keys that are tables or functions hash
// by address and cannot match).
type Table struct {
	array    []Value
	node     []node // len is a power of two, or 0 (the "dummy" node)
	meta     *Table
	g        *global // for memory accounting; nil for host-made tables
	lastFree int32
	readonly bool
	mark     uint16 // the memory walk that last counted t (memwalk.go)
}

// node keeps its key unpacked so the chain link fits in the key's
// padding: 48 bytes per node instead of 56.
type node struct {
	val  Value
	kp   unsafe.Pointer
	kn   float64
	kt   ValueType
	next int32 // index of next node in chain, -1 for none
}

func (n *node) key() Value     { return Value{p: n.kp, n: n.kn, t: n.kt} }
func (n *node) setKey(k Value) { n.kp, n.kn, n.kt = k.p, k.n, k.t }
func (n *node) kstr() string   { return unsafe.String((*byte)(n.kp), int(n.kn)) }
func (n *node) klen() int      { return int(n.kn) }

const maxBits = 26
const maxArraySize = 1 << maxBits

// Small tables get their first hash part in the same allocation as the
// Table itself: object-like tables ({x = 1, y = 2}) are the common case
// and this halves their allocations.
type table1 struct {
	t Table
	n [1]node
}

type table2 struct {
	t Table
	n [2]node
}

type table4 struct {
	t Table
	n [4]node
}

// NewTable makes a table with preallocated array and hash sizes.
func NewTable(narray, nhash int) *Table {
	var t *Table
	switch {
	case nhash == 1:
		x := &table1{}
		t = &x.t
		t.node = x.n[:]
	case nhash == 2:
		x := &table2{}
		t = &x.t
		t.node = x.n[:]
	case nhash == 3 || nhash == 4:
		x := &table4{}
		t = &x.t
		t.node = x.n[:]
	default:
		t = &Table{}
		t.setNodeVector(nhash)
	}
	if t.node != nil {
		for i := range t.node {
			t.node[i].next = -1
		}
		t.lastFree = int32(len(t.node))
	}
	if narray > 0 {
		t.array = make([]Value, narray)
	}
	return t
}

func ceilLog2(x uint) int {
	l := 0
	x--
	for x > 0 {
		l++
		x >>= 1
	}
	return l
}

func (t *Table) setNodeVector(size int) {
	if size == 0 {
		t.node = nil
		t.lastFree = 0
		return
	}
	lsize := ceilLog2(uint(size))
	if lsize > maxBits {
		panic(rtError("table overflow"))
	}
	size = 1 << lsize
	t.node = make([]node, size)
	for i := range t.node {
		t.node[i].next = -1
	}
	t.lastFree = int32(size)
}

// strHash is Lua 5.1's string hash: seeded with the length and, for long
// strings, sampling every step-th byte from the end.
func strHash(s string) uint32 {
	l := len(s)
	h := uint32(l)
	step := (l >> 5) + 1
	for l1 := l; l1 >= step; l1 -= step {
		h = h ^ ((h << 5) + (h >> 2) + uint32(s[l1-1]))
	}
	return h
}

func (t *Table) hashMod(n uint32) int {
	return int(n % uint32((len(t.node)-1)|1))
}

func numHash(n float64) uint32 {
	b := math.Float64bits(n)
	return uint32(b) + uint32(b>>32)
}

// mainPosition returns the node index a key hashes to.
func (t *Table) mainPosition(k Value) int {
	switch k.t {
	case TypeNumber:
		if k.n == 0 {
			return 0
		}
		return t.hashMod(numHash(k.n))
	case TypeString:
		return int(strHash(k.str()) & uint32(len(t.node)-1))
	case TypeBoolean:
		return int(uint32(k.n) & uint32(len(t.node)-1))
	default:
		return t.hashMod(uint32(uintptr(k.p) >> 3))
	}
}

// getStr looks up a string key whose hash is already known.
func (t *Table) getStrH(s string, h uint32) Value {
	if len(t.node) == 0 {
		return Nil
	}
	i := int32(h & uint32(len(t.node)-1))
	for i >= 0 {
		n := &t.node[i]
		if n.kt == TypeString && n.klen() == len(s) && n.kstr() == s {
			return n.val
		}
		i = n.next
	}
	return Nil
}

// GetStr returns t[s] without metamethods.
func (t *Table) GetStr(s string) Value { return t.getStrH(s, strHash(s)) }

// GetInt returns t[i] without metamethods.
func (t *Table) GetInt(i int) Value {
	if uint(i-1) < uint(len(t.array)) {
		return t.array[i-1]
	}
	return t.getNumHash(float64(i))
}

func (t *Table) getNumHash(f float64) Value {
	if len(t.node) == 0 {
		return Nil
	}
	var i int32
	if f != 0 {
		i = int32(t.hashMod(numHash(f)))
	}
	for i >= 0 {
		n := &t.node[i]
		if n.kt == TypeNumber && n.kn == f {
			return n.val
		}
		i = n.next
	}
	return Nil
}

// Get returns t[k] without metamethods.
func (t *Table) Get(k Value) Value {
	switch k.t {
	case TypeNumber:
		f := k.n
		if idx := int(f); float64(idx) == f && uint(idx-1) < uint(len(t.array)) {
			return t.array[idx-1]
		}
		return t.getNumHash(f)
	case TypeString:
		return t.GetStr(k.str())
	case TypeNil:
		return Nil
	}
	if len(t.node) == 0 {
		return Nil
	}
	i := int32(t.mainPosition(k))
	for i >= 0 {
		n := &t.node[i]
		if rawEqual(n.key(), k) {
			return n.val
		}
		i = n.next
	}
	return Nil
}

// slot returns a pointer to the value slot holding key k, or nil. Like
// luaH_get it finds slots of keys whose value was set to nil, which keeps
// re-assignment in the same place as C Lua.
func (t *Table) slot(k Value) *Value {
	if k.t == TypeNumber {
		f := k.n
		if idx := int(f); float64(idx) == f && uint(idx-1) < uint(len(t.array)) {
			return &t.array[idx-1]
		}
	}
	if len(t.node) == 0 {
		return nil
	}
	i := int32(t.mainPosition(k))
	for i >= 0 {
		n := &t.node[i]
		if rawEqual(n.key(), k) {
			return &n.val
		}
		i = n.next
	}
	return nil
}

func (t *Table) slotStrH(s string, h uint32) *Value {
	if len(t.node) == 0 {
		return nil
	}
	i := int32(h & uint32(len(t.node)-1))
	for i >= 0 {
		n := &t.node[i]
		if n.kt == TypeString && n.klen() == len(s) && n.kstr() == s {
			return &n.val
		}
		i = n.next
	}
	return nil
}

// Set assigns t[k] = v without metamethods. It panics with a Lua error
// for nil or NaN keys.
func (t *Table) Set(k Value, v Value) {
	if p := t.slot(k); p != nil {
		*p = v
		return
	}
	t.insertNew(k, v)
}

// SetStr assigns t[s] = v without metamethods.
func (t *Table) SetStr(s string, v Value) { t.setStrH(s, strHash(s), v) }

func (t *Table) setStrH(s string, h uint32, v Value) {
	if p := t.slotStrH(s, h); p != nil {
		*p = v
		return
	}
	t.insertNew(String(s), v)
}

// SetInt assigns t[i] = v without metamethods.
func (t *Table) SetInt(i int, v Value) {
	if uint(i-1) < uint(len(t.array)) {
		t.array[i-1] = v
		return
	}
	t.Set(Number(float64(i)), v)
}

func (t *Table) insertNew(k Value, v Value) {
	switch k.t {
	case TypeNil:
		panic(rtError("table index is nil"))
	case TypeNumber:
		if k.n != k.n {
			panic(rtError("table index is NaN"))
		}
		if k.n == 0 {
			k.n = 0 // fold -0 into 0
		}
	}
	*t.newKey(k) = v
}

// newKey inserts a key that is not present and returns its value slot.
func (t *Table) newKey(k Value) *Value {
	if len(t.node) == 0 {
		t.rehash(k)
		return t.setSlot(k)
	}
	mp := t.mainPosition(k)
	if t.node[mp].val.t != TypeNil {
		f := t.getFreePos()
		if f < 0 {
			t.rehash(k)
			return t.setSlot(k)
		}
		other := t.mainPosition(t.node[mp].key())
		if other != mp {
			// The colliding node is not in its main position: move it
			// to the free slot and take its place.
			for int(t.node[other].next) != mp {
				other = int(t.node[other].next)
			}
			t.node[other].next = int32(f)
			t.node[f] = t.node[mp]
			t.node[mp].next = -1
			t.node[mp].val = Nil
		} else {
			// The colliding node owns the position: chain the new key
			// through the free slot.
			t.node[f].next = t.node[mp].next
			t.node[mp].next = int32(f)
			mp = f
		}
	}
	t.node[mp].setKey(k)
	return &t.node[mp].val
}

// setSlot is luaH_set after a rehash: find or create the key's slot.
func (t *Table) setSlot(k Value) *Value {
	if p := t.slot(k); p != nil {
		return p
	}
	return t.newKey(k)
}

func (t *Table) getFreePos() int {
	for t.lastFree > 0 {
		t.lastFree--
		if t.node[t.lastFree].kt == TypeNil {
			return int(t.lastFree)
		}
	}
	return -1
}

// arrayIndex returns k's array-candidate index or 0.
func arrayIndex(k Value) int {
	if k.t == TypeNumber {
		f := k.n
		i := int(f)
		if float64(i) == f && i >= 1 && i <= maxArraySize {
			return i
		}
	}
	return 0
}

func countInt(k Value, nums *[maxBits + 1]int) int {
	if i := arrayIndex(k); i > 0 {
		nums[ceilLog2(uint(i))]++
		return 1
	}
	return 0
}

func (t *Table) numUseArray(nums *[maxBits + 1]int) int {
	ause := 0
	i := 1
	for lg, ttlg := 0, 1; lg <= maxBits; lg, ttlg = lg+1, ttlg*2 {
		lc := 0
		lim := ttlg
		if lim > len(t.array) {
			lim = len(t.array)
			if i > lim {
				break
			}
		}
		for ; i <= lim; i++ {
			if t.array[i-1].t != TypeNil {
				lc++
			}
		}
		nums[lg] += lc
		ause += lc
	}
	return ause
}

func computeSizes(nums *[maxBits + 1]int, narray *int) int {
	a, na, n := 0, 0, 0
	for i, twotoi := 0, 1; twotoi/2 < *narray; i, twotoi = i+1, twotoi*2 {
		if nums[i] > 0 {
			a += nums[i]
			if a > twotoi/2 {
				n = twotoi
				na = a
			}
		}
	}
	*narray = n
	return na
}

func (t *Table) rehash(extra Value) {
	var nums [maxBits + 1]int
	nasize := t.numUseArray(&nums)
	total := nasize
	for i := len(t.node) - 1; i >= 0; i-- {
		n := &t.node[i]
		if n.val.t != TypeNil {
			nasize += countInt(n.key(), &nums)
			total++
		}
	}
	nasize += countInt(extra, &nums)
	total++
	na := computeSizes(&nums, &nasize)
	t.resize(nasize, total-na)
}

func (t *Table) resize(nasize, nhsize int) {
	oldArray := t.array
	oldNode := t.node
	if t.g != nil {
		// Charge before mutating so a budget error leaves t intact.
		t.g.charge(int64(24*nasize + 48*nhsize))
	}
	if nasize > len(oldArray) {
		na := make([]Value, nasize)
		copy(na, oldArray)
		t.array = na
	}
	t.setNodeVector(nhsize)
	if nasize < len(oldArray) {
		t.array = oldArray[:nasize]
		for i := nasize; i < len(oldArray); i++ {
			if oldArray[i].t != TypeNil {
				t.SetInt(i+1, oldArray[i])
			}
		}
		na := make([]Value, nasize)
		copy(na, t.array)
		t.array = na
	}
	for i := len(oldNode) - 1; i >= 0; i-- {
		n := &oldNode[i]
		if n.val.t != TypeNil {
			*t.setSlot(n.key()) = n.val
		}
	}
}

// resizeArray is luaH_resizearray, used by table constructors whose
// trailing multi-value expression overflows the preallocated array.
func (t *Table) resizeArray(nasize int) {
	t.resize(nasize, len(t.node))
}

// Len is the # operator on a table without metamethods (luaH_getn).
func (t *Table) Len() int {
	j := len(t.array)
	if j > 0 && t.array[j-1].t == TypeNil {
		i := 0
		for j-i > 1 {
			m := (i + j) / 2
			if t.array[m-1].t == TypeNil {
				j = m
			} else {
				i = m
			}
		}
		return i
	}
	if len(t.node) == 0 {
		return j
	}
	i := j
	j++
	for t.GetInt(j).t != TypeNil {
		i = j
		if j > math.MaxInt32/2 {
			i = 1
			for t.GetInt(i).t != TypeNil {
				i++
			}
			return i - 1
		}
		j *= 2
	}
	for j-i > 1 {
		m := (i + j) / 2
		if t.GetInt(m).t == TypeNil {
			j = m
		} else {
			i = m
		}
	}
	return i
}

// Next implements next(): the entry after key (nil starts), in C Lua
// 5.1's order. ok is false when key is not in the table.
func (t *Table) Next(key Value) (k, v Value, ok bool) {
	i := 0
	if key.t != TypeNil {
		idx := arrayIndex(key)
		if idx > 0 && idx <= len(t.array) {
			i = idx
		} else {
			found := false
			if len(t.node) > 0 {
				j := int32(t.mainPosition(key))
				if key.t == TypeNumber && key.n == 0 {
					j = 0
				}
				for j >= 0 {
					if rawEqual(t.node[j].key(), key) {
						i = int(j) + 1 + len(t.array)
						found = true
						break
					}
					j = t.node[j].next
				}
			}
			if !found {
				return Nil, Nil, false
			}
		}
	}
	for ; i < len(t.array); i++ {
		if t.array[i].t != TypeNil {
			return Number(float64(i + 1)), t.array[i], true
		}
	}
	for i -= len(t.array); i < len(t.node); i++ {
		if t.node[i].val.t != TypeNil {
			return t.node[i].key(), t.node[i].val, true
		}
	}
	return Nil, Nil, true
}

// ForEach calls f for each entry in next() order until f returns false.
func (t *Table) ForEach(f func(k, v Value) bool) {
	for i := range t.array {
		if t.array[i].t != TypeNil {
			if !f(Number(float64(i+1)), t.array[i]) {
				return
			}
		}
	}
	for i := range t.node {
		if t.node[i].val.t != TypeNil {
			if !f(t.node[i].key(), t.node[i].val) {
				return
			}
		}
	}
}

// Metatable returns t's metatable or nil.
func (t *Table) Metatable() *Table { return t.meta }

// SetMetatable sets t's metatable.
func (t *Table) SetMetatable(m *Table) { t.meta = m }

// SetReadOnly makes assignments to t from scripts fail with Redis's
// "Attempt to modify a readonly table" error.
func (t *Table) SetReadOnly(ro bool) { t.readonly = ro }

// ReadOnly reports whether t is read-only.
func (t *Table) ReadOnly() bool { return t.readonly }
