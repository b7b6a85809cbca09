package set

import (
	"github.com/moonkv/moonkv/internal/types/memsize"
	"math/rand/v2"
	"strconv"
	"unsafe"

	"github.com/moonkv/moonkv/internal/dict"
	"github.com/moonkv/moonkv/internal/keyspace"
)

var _ keyspace.Object = (*Set)(nil)

// Set is a set of byte strings. The zero value is an empty intset.
type Set struct {
	is intset               // intset form while d is nil
	d  *dict.Dict[struct{}] // hashtable form
}

// New returns an empty set in the intset form.
func New() *Set { return &Set{} }

// Len is the number of members.
func (s *Set) Len() int {
	if s.d != nil {
		return s.d.Len()
	}
	return s.is.len()
}

// Encoding is the name OBJECT ENCODING reports.
func (s *Set) Encoding() string {
	if s.d != nil {
		return "hashtable"
	}
	return "intset"
}

// IsIntset reports whether the set is in the intset form.
func (s *Set) IsIntset() bool { return s.d == nil }

// ParseInt parses b as Redis's string2ll does: an optional '-', digits
// without leading zeros, within int64. Only such members go into an intset,
// so that each prints back exactly as it was given.
func ParseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	i := 0
	if b[0] == '-' {
		i = 1
	}
	if i >= len(b) || b[i] < '1' || b[i] > '9' {
		return 0, false
	}
	for _, c := range b[i:] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	return n, err == nil
}

func (s *Set) search(n int64) (int, bool) { return s.is.search(n) }

// Has reports whether m is a member.
func (s *Set) Has(m []byte) bool {
	if s.d != nil {
		return s.d.PtrBytes(m) != nil
	}
	n, ok := ParseInt(m)
	if !ok {
		return false
	}
	_, found := s.search(n)
	return found
}

// Add adds m (copying it) and reports whether it was new. The set converts
// to a hashtable when m is not an integer or the intset would pass
// maxIntset members.
func (s *Set) Add(m []byte, maxIntset int) bool {
	if s.d == nil {
		n, ok := ParseInt(m)
		if ok {
			i, found := s.search(n)
			if found {
				return false
			}
			s.is = s.is.insert(i, n)
			if s.is.len() > maxIntset {
				s.convert(s.is.len())
			}
			return true
		}
		s.convert(s.is.len() + 1)
	}
	if s.d.PtrBytes(m) != nil {
		return false
	}
	s.d.Set(string(m), struct{}{})
	return true
}

// Remove removes m and reports whether it was a member.
func (s *Set) Remove(m []byte) bool {
	if s.d != nil {
		if s.d.PtrBytes(m) == nil {
			return false
		}
		s.d.Delete(string(m))
		return true
	}
	n, ok := ParseInt(m)
	if !ok {
		return false
	}
	i, found := s.search(n)
	if !found {
		return false
	}
	s.is = s.is.remove(i)
	return true
}

func (s *Set) convert(hint int) {
	d := dict.New[struct{}]()
	_ = hint
	var buf [20]byte
	for i := 0; i < s.is.len(); i++ {
		d.Set(string(strconv.AppendInt(buf[:0], s.is.get(i), 10)), struct{}{})
	}
	s.d, s.is = d, nil
}

// Range calls fn for every member until fn returns false: in numeric order
// for an intset, in table order for a hashtable. The slice is only valid
// during the call.
func (s *Set) Range(fn func(m []byte) bool) {
	if s.d != nil {
		s.d.Range(func(k string, _ struct{}) bool { return fn(unsafeBytes(k)) })
		return
	}
	var buf [20]byte
	for i := 0; i < s.is.len(); i++ {
		if !fn(strconv.AppendInt(buf[:0], s.is.get(i), 10)) {
			return
		}
	}
}

// Members returns every member in iteration order, as fresh copies.
func (s *Set) Members() [][]byte {
	out := make([][]byte, 0, s.Len())
	s.Range(func(m []byte) bool {
		out = append(out, append([]byte(nil), m...))
		return true
	})
	return out
}

// Scan visits one cursor step, as SSCAN does: all of an intset at once
// (returning cursor 0), or the hashtable buckets the cursor names.
func (s *Set) Scan(cursor uint64, fn func(m []byte)) uint64 {
	if s.d != nil {
		return s.d.Scan(cursor, func(k string, _ struct{}) { fn(unsafeBytes(k)) })
	}
	s.Range(func(m []byte) bool { fn(m); return true })
	return 0
}

// Random returns a random member as a fresh slice; the set must not be
// empty.
func (s *Set) Random(rng *rand.Rand) []byte {
	if s.d != nil {
		k, _, _ := s.d.Random(rng)
		return []byte(k)
	}
	return strconv.AppendInt(nil, s.is.get(rng.IntN(s.is.len())), 10)
}

// Pop removes and returns a random member; the set must not be empty.
func (s *Set) Pop(rng *rand.Rand) []byte {
	if s.d != nil {
		k, _, _ := s.d.Random(rng)
		s.d.Delete(k)
		return []byte(k)
	}
	i := rng.IntN(s.is.len())
	n := s.is.get(i)
	s.is = s.is.remove(i)
	return strconv.AppendInt(nil, n, 10)
}

// Copy returns a deep copy (keyspace.Object).
func (s *Set) Copy() keyspace.Object { return s.Clone() }

// Clone returns a deep copy in the same encoding.
func (s *Set) Clone() *Set {
	if s.d == nil {
		return &Set{is: s.is.clone()}
	}
	d := dict.New[struct{}]()
	s.d.Range(func(k string, _ struct{}) bool {
		d.Set(k, struct{}{})
		return true
	})
	return &Set{d: d}
}

func unsafeBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// MemUsage estimates what Redis would use for the set (objectComputeSize):
// the intset at the narrowest integer width that holds every member, or the
// table's buckets plus entries extrapolated from a few samples.
func (s *Set) MemUsage() int { return s.MemUsageSamples(5) }

// MemUsageSamples is MemUsage extrapolating from up to samples members of
// a hashtable (all of them for 0), as MEMORY USAGE's SAMPLES option asks.
func (s *Set) MemUsageSamples(samples int) int {
	const robj, dictHdr, entry = 16, 56, 24
	if samples <= 0 {
		samples = int(^uint(0) >> 1)
	}
	if s.d == nil {
		return robj + memsize.Alloc(8+s.is.width()*s.is.len())
	}
	slots := 4
	for slots < s.d.Len() {
		slots <<= 1
	}
	size := robj + dictHdr + 8*slots
	n, sum := 0, 0
	s.d.Range(func(k string, _ struct{}) bool {
		sum += memsize.SDS(len(k)) + entry
		n++
		return n < samples
	})
	if n > 0 {
		size += sum / n * s.d.Len()
	}
	return size
}
