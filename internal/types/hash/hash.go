package hash

import (
	"encoding/binary"
	"math/rand/v2"

	"github.com/moonkv/moonkv/internal/dict"
	"github.com/moonkv/moonkv/internal/keyspace"
)

// Hash is a field -> value map. The zero value is not usable; call New.
type Hash struct {
	// lp is the listpack form: the number of pairs as a uvarint, then for
	// each field and value its length as a uvarint and its bytes. Keeping
	// the count inside lp keeps a Hash at 32 bytes, which matters when a
	// server holds millions of small hashes.
	lp []byte
	// d is the hashtable form when non-nil. Values are strings, not
	// slices: 16 bytes less per field in every entry.
	d *dict.Dict[string]
}

// Limits are the thresholds of the compact form (hash-max-listpack-entries
// and hash-max-listpack-value).
type Limits struct {
	MaxEntries int
	MaxValue   int
}

// New returns an empty hash in the compact form.
func New() *Hash { return &Hash{} }

// Len is the number of fields.
func (h *Hash) Len() int {
	if h.d != nil {
		return h.d.Len()
	}
	n, _ := h.count()
	return n
}

// count returns the number of pairs and the offset of the first entry.
func (h *Hash) count() (n, start int) {
	if len(h.lp) == 0 {
		return 0, 0
	}
	v, w := binary.Uvarint(h.lp)
	return int(v), w
}

// setCount rewrites the pair count, moving the entries when its width
// changes.
func (h *Hash) setCount(n int) {
	_, start := h.count()
	var hdr [binary.MaxVarintLen64]byte
	w := binary.PutUvarint(hdr[:], uint64(n))
	if len(h.lp) == 0 {
		h.lp = append(h.lp, hdr[:w]...)
		return
	}
	h.splice(0, start, hdr[:w], false)
}

// IsCompact reports whether the hash is still in the listpack form.
func (h *Hash) IsCompact() bool { return h.d == nil }

// Encoding is the name OBJECT ENCODING reports.
func (h *Hash) Encoding() string {
	if h.d != nil {
		return "hashtable"
	}
	return "listpack"
}

// read returns the string at off and the offset after it.
func (h *Hash) read(off int) ([]byte, int) {
	l, w := binary.Uvarint(h.lp[off:])
	off += w
	end := off + int(l)
	return h.lp[off:end:end], end
}

// find returns the offset of field's entry in the listpack, or -1.
func (h *Hash) find(field []byte) int {
	_, off := h.count()
	lp := h.lp
	for off < len(lp) {
		start := off
		// Lengths below 128 (nearly all in a listpack) are one byte.
		var l int
		if c := lp[off]; c < 0x80 {
			l, off = int(c), off+1
		} else {
			v, w := binary.Uvarint(lp[off:])
			l, off = int(v), off+w
		}
		match := l == len(field) && string(lp[off:off+l]) == string(field)
		off += l
		if c := lp[off]; c < 0x80 {
			off += 1 + int(c)
		} else {
			v, w := binary.Uvarint(lp[off:])
			off += w + int(v)
		}
		if match {
			return start
		}
	}
	return -1
}

// Get returns a field's value. The slice is the hash's own: do not modify
// it, and copy it before the hash changes if it must outlive the change.
func (h *Hash) Get(field []byte) ([]byte, bool) {
	if h.d != nil {
		p := h.d.PtrBytes(field)
		if p == nil {
			return nil, false
		}
		return unsafeBytes(*p), true
	}
	off := h.find(field)
	if off < 0 {
		return nil, false
	}
	_, voff := h.read(off)
	v, _ := h.read(voff)
	return v, true
}

// Exists reports whether field is present.
func (h *Hash) Exists(field []byte) bool {
	_, ok := h.Get(field)
	return ok
}

// Fits converts the hash to the hashtable form when any of the given
// strings is too long for the compact form, as Redis checks the arguments
// of HSET and HSETNX before it writes anything.
func (h *Hash) Fits(lim Limits, strs ...[]byte) {
	if h.d != nil {
		return
	}
	for _, s := range strs {
		if len(s) > lim.MaxValue {
			h.convert()
			return
		}
	}
}

// Set stores value under field, copying both, and reports whether the field
// is new. The hash converts to the hashtable form when the field or value
// is too long for the listpack or the number of fields passes the limit.
func (h *Hash) Set(field, value []byte, lim Limits) (added bool) {
	if h.d == nil && (len(field) > lim.MaxValue || len(value) > lim.MaxValue) {
		h.convert()
	}
	if h.d != nil {
		// an existing field keeps its key: only the value is copied
		if p := h.d.PtrBytes(field); p != nil {
			*p = string(value)
			return false
		}
		p, _ := h.d.Upsert(string(field))
		*p = string(value)
		return true
	}
	if off := h.find(field); off >= 0 {
		_, voff := h.read(off)
		_, end := h.read(voff)
		h.splice(voff, end, value, true)
		return false
	}
	n, _ := h.count()
	h.setCount(n + 1)
	at := len(h.lp)
	h.lp = h.grow(uvarintLen(len(field)) + len(field) + uvarintLen(len(value)) + len(value))
	b := binary.AppendUvarint(h.lp[:at], uint64(len(field)))
	b = append(b, field...)
	b = binary.AppendUvarint(b, uint64(len(value)))
	h.lp = append(b, value...)
	if n+1 > lim.MaxEntries {
		h.convert()
	}
	return true
}

// grow lengthens lp by k bytes. Unlike append it reallocates to the exact
// size (rounded by the allocator), as Redis reallocs its listpacks, so a
// small hash carries no doubling slack.
func (h *Hash) grow(k int) []byte {
	n := len(h.lp) + k
	if n <= cap(h.lp) {
		return h.lp[:n]
	}
	b := make([]byte, n)
	copy(b, h.lp)
	return b
}

func uvarintLen(n int) int {
	w := 1
	for n >= 0x80 {
		n >>= 7
		w++
	}
	return w
}

// splice replaces lp[from:to] with value, length-prefixed when prefix.
func (h *Hash) splice(from, to int, value []byte, prefix bool) {
	var hdr [binary.MaxVarintLen64]byte
	w := 0
	if prefix {
		w = binary.PutUvarint(hdr[:], uint64(len(value)))
	}
	need := w + len(value)
	old := to - from
	switch {
	case need == old:
	case need < old:
		copy(h.lp[from+need:], h.lp[to:])
		h.lp = h.lp[:len(h.lp)-(old-need)]
	default:
		grow := need - old
		h.lp = h.grow(grow)
		copy(h.lp[to+grow:], h.lp[to:len(h.lp)-grow])
	}
	copy(h.lp[from:], hdr[:w])
	copy(h.lp[from+w:], value)
}

// Delete removes field and reports whether it was present.
func (h *Hash) Delete(field []byte) bool {
	if h.d != nil {
		if h.d.PtrBytes(field) == nil {
			return false
		}
		h.d.Delete(string(field))
		return true
	}
	off := h.find(field)
	if off < 0 {
		return false
	}
	_, voff := h.read(off)
	_, end := h.read(voff)
	h.lp = append(h.lp[:off], h.lp[end:]...)
	n, _ := h.count()
	h.setCount(n - 1)
	if n == 1 {
		h.lp = nil
	}
	return true
}

func (h *Hash) convert() {
	d := dict.New[string]()
	_, start := h.count()
	for off := start; off < len(h.lp); {
		var f, v []byte
		f, off = h.read(off)
		v, off = h.read(off)
		d.Set(string(f), string(v))
	}
	h.d, h.lp = d, nil
}

// Range calls fn for every pair until fn returns false: in insertion order
// for the compact form, in table order for the hashtable. fn must not
// modify the hash; the slices are the hash's own.
func (h *Hash) Range(fn func(field, value []byte) bool) {
	if h.d != nil {
		h.d.Range(func(k, v string) bool { return fn(unsafeBytes(k), unsafeBytes(v)) })
		return
	}
	_, start := h.count()
	for off := start; off < len(h.lp); {
		var f, v []byte
		f, off = h.read(off)
		v, off = h.read(off)
		if !fn(f, v) {
			return
		}
	}
}

// Scan visits one cursor step of the hash, as HSCAN does: the whole compact
// form at once (returning cursor 0), or the buckets of the hashtable the
// cursor names.
func (h *Hash) Scan(cursor uint64, fn func(field, value []byte)) uint64 {
	if h.d != nil {
		return h.d.Scan(cursor, func(k, v string) { fn(unsafeBytes(k), unsafeBytes(v)) })
	}
	h.Range(func(f, v []byte) bool { fn(f, v); return true })
	return 0
}

// Random returns a random pair; the hash must not be empty.
func (h *Hash) Random(rng *rand.Rand) (field, value []byte) {
	if h.d != nil {
		k, v, _ := h.d.Random(rng)
		return unsafeBytes(k), unsafeBytes(v)
	}
	n, off := h.count()
	i := rng.IntN(n)
	for ; i > 0; i-- {
		_, off = h.read(off)
		_, off = h.read(off)
	}
	field, off = h.read(off)
	value, _ = h.read(off)
	return field, value
}

// Pairs returns every pair in iteration order as field, value, field,
// value... (the slices are the hash's own).
func (h *Hash) Pairs() [][]byte {
	out := make([][]byte, 0, 2*h.Len())
	h.Range(func(f, v []byte) bool {
		out = append(out, f, v)
		return true
	})
	return out
}

// Copy returns a deep copy (keyspace.Object).
func (h *Hash) Copy() keyspace.Object { return h.Clone() }

// Clone returns a deep copy in the same encoding.
func (h *Hash) Clone() *Hash {
	if h.d == nil {
		return &Hash{lp: append([]byte(nil), h.lp...)}
	}
	d := dict.New[string]()
	h.d.Range(func(k, v string) bool {
		d.Set(k, v)
		return true
	})
	return &Hash{d: d}
}
