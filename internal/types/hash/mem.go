package hash

import (
	"encoding/binary"
	"github.com/moonkv/moonkv/internal/types/memsize"
	"unsafe"

	"github.com/moonkv/moonkv/internal/keyspace"
)

var _ keyspace.Object = (*Hash)(nil)

// unsafeBytes views a dict key as bytes without copying; callers never
// write through it.
func unsafeBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// Sizes of Redis's own structures, for MemUsage's estimate of what Redis
// would use for the same value.
const (
	robjSize      = 16
	dictSize      = 56
	dictEntrySize = 24
	ptrSize       = 8
	memSamples    = 5
)

// MemUsage estimates the bytes Redis would use for the value, the way its
// objectComputeSize does: the object header plus the listpack, or the
// table's buckets plus entries extrapolated from a few samples.
func (h *Hash) MemUsage() int { return h.MemUsageSamples(memSamples) }

// MemUsageSamples is MemUsage extrapolating from up to samples entries of
// a hashtable (all of them for 0), as MEMORY USAGE's SAMPLES option asks.
func (h *Hash) MemUsageSamples(samples int) int {
	if samples <= 0 {
		samples = int(^uint(0) >> 1)
	}
	if h.d == nil {
		return robjSize + memsize.Alloc(listpackBytes(h))
	}
	size := robjSize + dictSize + ptrSize*tableSlots(h.d.Len())
	n, sampled := 0, 0
	h.d.Range(func(k, v string) bool {
		sampled += memsize.SDS(len(k)) + memsize.SDS(len(v)) + dictEntrySize
		n++
		return n < samples
	})
	if n > 0 {
		size += sampled / n * h.d.Len()
	}
	return size
}

// listpackBytes is the size of the same pairs in Redis's listpack: a six
// byte header, per entry an encoding byte (or several), the data and a
// back-length, and an end byte. Integers Redis would store in at most
// nine bytes.
func listpackBytes(h *Hash) int {
	n := 7
	_, start := h.count()
	for off := start; off < len(h.lp); {
		l, w := binary.Uvarint(h.lp[off:])
		off += w
		n += lpEntrySize(h.lp[off : off+int(l)])
		off += int(l)
	}
	return n
}

// lpEntrySize is one listpack entry: integers in the smallest of Redis's
// integer encodings, strings with a 1, 2 or 5 byte header, then the
// back-length of the entry.
func lpEntrySize(s []byte) int {
	var n int
	if v, ok := parseInt(s); ok {
		switch {
		case v >= 0 && v <= 127:
			n = 1
		case v >= -4096 && v <= 4095:
			n = 2
		case v >= -32768 && v <= 32767:
			n = 3
		case v >= -8388608 && v <= 8388607:
			n = 4
		case v >= -2147483648 && v <= 2147483647:
			n = 5
		default:
			n = 9
		}
	} else {
		switch {
		case len(s) < 64:
			n = 1 + len(s)
		case len(s) < 4096:
			n = 2 + len(s)
		default:
			n = 5 + len(s)
		}
	}
	switch {
	case n <= 127:
		return n + 1
	case n < 16383:
		return n + 2
	case n < 2097151:
		return n + 3
	case n < 268435455:
		return n + 4
	}
	return n + 5
}

func parseInt(s []byte) (int64, bool) {
	if len(s) == 0 || len(s) > 20 {
		return 0, false
	}
	neg := s[0] == '-'
	i := 0
	if neg {
		i = 1
	}
	if i >= len(s) || s[i] < '0' || s[i] > '9' || (s[i] == '0' && len(s) > i+1) || (neg && s[i] == '0') {
		return 0, false
	}
	var v uint64
	for ; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		d := uint64(s[i] - '0')
		if v > (1<<64-1-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return -int64(v), true
	}
	if v > 1<<63-1 {
		return 0, false
	}
	return int64(v), true
}

func tableSlots(n int) int {
	s := 4
	for s < n {
		s <<= 1
	}
	return s
}
