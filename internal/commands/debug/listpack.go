package debug

import (
	"encoding/binary"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/internal/types/list"
)

// listpack builds the bytes of Redis's listpack for a sequence of
// elements, entry by entry as lpAppend encodes them, so that its size and
// its LZF compression are Redis's.
type listpack struct {
	body  []byte
	count int
}

func (lp *listpack) append(s []byte) {
	start := len(lp.body)
	if v, ok := server.ParseInt(s); ok {
		lp.body = appendLPInt(lp.body, v)
	} else {
		n := len(s)
		switch {
		case n < 64:
			lp.body = append(lp.body, 0x80|byte(n))
		case n < 4096:
			lp.body = append(lp.body, 0xE0|byte(n>>8), byte(n))
		default:
			lp.body = append(lp.body, 0xF0, byte(n), byte(n>>8), byte(n>>16), byte(n>>24))
		}
		lp.body = append(lp.body, s...)
	}
	lp.body = appendBacklen(lp.body, uint64(len(lp.body)-start))
	lp.count++
}

// appendLPInt writes the smallest of listpack's integer encodings.
func appendLPInt(b []byte, v int64) []byte {
	switch {
	case v >= 0 && v <= 127:
		return append(b, byte(v))
	case v >= -4096 && v <= 4095:
		u := uint64(v)
		if v < 0 {
			u = uint64(1<<13 + v)
		}
		return append(b, 0xC0|byte(u>>8), byte(u))
	case v >= -32768 && v <= 32767:
		u := uint64(v)
		if v < 0 {
			u = uint64(1<<16 + v)
		}
		return append(b, 0xF1, byte(u), byte(u>>8))
	case v >= -8388608 && v <= 8388607:
		u := uint64(v)
		if v < 0 {
			u = uint64(1<<24 + v)
		}
		return append(b, 0xF2, byte(u), byte(u>>8), byte(u>>16))
	case v >= -2147483648 && v <= 2147483647:
		u := uint64(v)
		if v < 0 {
			u = uint64(1<<32 + v)
		}
		return append(b, 0xF3, byte(u), byte(u>>8), byte(u>>16), byte(u>>24))
	}
	b = append(b, 0xF4)
	return binary.LittleEndian.AppendUint64(b, uint64(v))
}

// appendBacklen writes an entry's length backwards-readable, 7 bits a byte.
func appendBacklen(b []byte, l uint64) []byte {
	switch {
	case l <= 127:
		return append(b, byte(l))
	case l < 16383:
		return append(b, byte(l>>7), byte(l&127)|128)
	case l < 2097151:
		return append(b, byte(l>>14), byte((l>>7)&127)|128, byte(l&127)|128)
	case l < 268435455:
		return append(b, byte(l>>21), byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
	}
	return append(b, byte(l>>28), byte((l>>21)&127)|128, byte((l>>14)&127)|128, byte((l>>7)&127)|128, byte(l&127)|128)
}

// size is the listpack's total bytes: header, entries, end marker.
func (lp *listpack) size() int { return 6 + len(lp.body) + 1 }

func (lp *listpack) bytes() []byte {
	b := make([]byte, 6, lp.size())
	binary.LittleEndian.PutUint32(b, uint32(lp.size()))
	n := lp.count
	if n > 65535 {
		n = 65535
	}
	binary.LittleEndian.PutUint16(b[4:], uint16(n))
	b = append(b, lp.body...)
	return append(b, 0xFF)
}

// Quicklist node sizing (Redis 7.0 quicklist.c).
const (
	sizeSafetyLimit      = 8192
	sizeEstimateOverhead = 8
	minCompressBytes     = 48
	minCompressImprove   = 8
)

var optimizationLevel = [...]int{4096, 8192, 16384, 32768, 65536}

// allowInsert is _quicklistNodeAllowInsert: may a node of sz bytes holding
// count elements take one more element of n bytes under fill?
func allowInsert(sz, count, n, fill int) bool {
	newSz := sz + n + sizeEstimateOverhead
	if fill < 0 {
		off := -fill - 1
		if off < len(optimizationLevel) && newSz <= optimizationLevel[off] {
			return true
		}
		return false
	}
	if newSz > sizeSafetyLimit {
		return false
	}
	return count < fill
}

// quicklistNodes splits a list into the listpacks Redis would hold for it
// when built by appending its elements in order (RPUSH): moonkv's own
// nodes are sized by an estimate, not by listpack bytes.
func quicklistNodes(l *list.List, fill int) []*listpack {
	var nodes []*listpack
	var cur *listpack
	l.Range(0, l.Len()-1, func(v []byte) bool {
		if cur == nil || !allowInsert(cur.size(), cur.count, len(v), fill) {
			cur = &listpack{}
			nodes = append(nodes, cur)
		}
		cur.append(v)
		return true
	})
	return nodes
}

// quicklistLen is rdbSaveObject's size for a quicklist (RDB type
// QUICKLIST_2): the node count, then each node's container type and its
// listpack, LZF-compressed when the node is (compress depth) or when the
// RDB writer's own compression applies.
func (z *sizer) quicklistLen(l *list.List, lim keyspace.Limits) int {
	nodes := quicklistNodes(l, lim.ListMaxListpackSize)
	n := lenLen(uint64(len(nodes)))
	depth := lim.ListCompressDepth
	for i, nd := range nodes {
		b := nd.bytes()
		n++ // container type
		if depth > 0 && i >= depth && i < len(nodes)-depth {
			if c := z.nodeCompressed(b); c > 0 {
				n += 1 + lenLen(uint64(c)) + lenLen(uint64(len(b))) + c
				continue
			}
		}
		n += z.rawStringLen(b)
	}
	return n
}

// nodeCompressed is the size of a quicklist node's own LZF compression, 0
// when quicklist leaves the node uncompressed.
func (z *sizer) nodeCompressed(b []byte) int {
	if len(b) < minCompressBytes {
		return 0
	}
	c := z.lzf.size(b, len(b))
	if c == 0 || c+minCompressImprove >= len(b) {
		return 0
	}
	return c
}
