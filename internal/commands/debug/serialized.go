package debug

import (
	"encoding/binary"
	"math"
	"strconv"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/internal/types/hash"
	"github.com/moonkv/moonkv/internal/types/list"
	"github.com/moonkv/moonkv/internal/types/set"
	"github.com/moonkv/moonkv/internal/types/zset"
)

// serializedLength is what Redis's rdbSavedObjectLen reports for a value:
// the bytes rdbSaveObject would write for it (without type byte and key),
// in Redis's encoding of the value, with rdbcompression on.
func serializedLength(e *keyspace.Entry, lim keyspace.Limits, compress bool) int {
	z := &sizer{compress: compress}
	return z.objectLen(e, lim)
}

// sizer computes RDB sizes with one LZF table for all of a value's
// strings.
type sizer struct {
	compress bool
	lzf      lzfTable
}

func (z *sizer) objectLen(e *keyspace.Entry, lim keyspace.Limits) int {
	switch e.Type {
	case keyspace.TypeString:
		if e.StringEncoding() == "int" {
			v, _ := server.ParseInt(e.Str)
			if n := intEncodedLen(v); n > 0 {
				return n
			}
			return lenLen(uint64(len(e.Str))) + len(e.Str)
		}
		return z.rawStringLen(e.Str)
	case keyspace.TypeList:
		return z.quicklistLen(e.Obj.(*list.List), lim)
	case keyspace.TypeSet:
		s := e.Obj.(*set.Set)
		if s.IsIntset() {
			return z.rawStringLen(intsetBlob(s))
		}
		n := lenLen(uint64(s.Len()))
		s.Range(func(m []byte) bool { n += z.rawStringLen(m); return true })
		return n
	case keyspace.TypeZSet:
		zs := e.Obj.(*zset.ZSet)
		if !zs.IsSkiplist() {
			var lp listpack
			zs.Range(func(m string, score float64) bool {
				lp.append([]byte(m))
				lp.append(d2string(score))
				return true
			})
			return z.rawStringLen(lp.bytes())
		}
		n := lenLen(uint64(zs.Len()))
		zs.Range(func(m string, _ float64) bool { n += z.rawStringLen([]byte(m)) + 8; return true })
		return n
	case keyspace.TypeHash:
		h := e.Obj.(*hash.Hash)
		if h.IsCompact() {
			var lp listpack
			h.Range(func(f, v []byte) bool { lp.append(f); lp.append(v); return true })
			return z.rawStringLen(lp.bytes())
		}
		n := lenLen(uint64(h.Len()))
		h.Range(func(f, v []byte) bool { n += z.rawStringLen(f) + z.rawStringLen(v); return true })
		return n
	}
	return 0
}

// lenLen is the size of RDB's length encoding of n.
func lenLen(n uint64) int {
	switch {
	case n < 1<<6:
		return 1
	case n < 1<<14:
		return 2
	case n <= math.MaxUint32:
		return 5
	}
	return 9
}

// intEncodedLen is the size of RDB's integer encoding of v, 0 when v does
// not fit in 32 bits.
func intEncodedLen(v int64) int {
	switch {
	case v >= math.MinInt8 && v <= math.MaxInt8:
		return 2
	case v >= math.MinInt16 && v <= math.MaxInt16:
		return 3
	case v >= math.MinInt32 && v <= math.MaxInt32:
		return 5
	}
	return 0
}

// rawStringLen is the size rdbSaveRawString writes for s: an integer
// encoding for short canonical integers, an LZF blob when compression is on
// and saves at least 4 bytes, the plain string otherwise.
func (z *sizer) rawStringLen(s []byte) int {
	if len(s) <= 11 {
		if v, ok := server.ParseInt(s); ok {
			if n := intEncodedLen(v); n > 0 {
				return n
			}
		}
	}
	if z.compress && len(s) > 20 {
		if n := z.lzf.size(s, len(s)-4); n > 0 {
			return 1 + lenLen(uint64(n)) + lenLen(uint64(len(s))) + n
		}
	}
	return lenLen(uint64(len(s))) + len(s)
}

// d2string formats a score as Redis stores it in a listpack: integers in
// ±2^52 as integers, others with "%.17g".
func d2string(f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return []byte("inf")
	case math.IsInf(f, -1):
		return []byte("-inf")
	case f == 0:
		if math.Signbit(f) {
			return []byte("-0")
		}
		return []byte("0")
	case f > -4503599627370495 && f < 4503599627370496 && f == math.Trunc(f):
		return strconv.AppendInt(nil, int64(f), 10)
	}
	return strconv.AppendFloat(nil, f, 'g', 17, 64)
}

// intsetBlob is the intset Redis keeps for a set of integers: encoding
// width and length (little endian uint32s), then the sorted values.
func intsetBlob(s *set.Set) []byte {
	var vals []int64
	s.Range(func(m []byte) bool {
		v, _ := server.ParseInt(m)
		vals = append(vals, v)
		return true
	})
	width := 2
	for _, v := range vals {
		switch {
		case v < math.MinInt32 || v > math.MaxInt32:
			width = 8
		case (v < math.MinInt16 || v > math.MaxInt16) && width < 4:
			width = 4
		}
	}
	sortInts(vals)
	b := make([]byte, 8, 8+width*len(vals))
	binary.LittleEndian.PutUint32(b[0:], uint32(width))
	binary.LittleEndian.PutUint32(b[4:], uint32(len(vals)))
	var tmp [8]byte
	for _, v := range vals {
		binary.LittleEndian.PutUint64(tmp[:], uint64(v))
		b = append(b, tmp[:width]...)
	}
	return b
}

func sortInts(v []int64) {
	// insertion sort is enough: Range already yields an intset in order
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j] < v[j-1]; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}
