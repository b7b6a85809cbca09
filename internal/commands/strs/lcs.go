package strs

import (
	"math"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
)

// LCS: the longest common subsequence of two strings, as the string
// itself, its length (LEN), or the matching ranges (IDX, with MINMATCHLEN
// and WITHMATCHLEN).

type lcsMatch struct {
	aStart, aEnd, bStart, bEnd uint32
}

func cmdLCS(c *server.Ctx) {
	// Redis reads both keys before it looks at the options.
	ea := c.DB.LookupRead(c.Args[1])
	eb := c.DB.LookupRead(c.Args[2])
	if (ea != nil && ea.Type != keyspace.TypeString) || (eb != nil && eb.Type != keyspace.TypeString) {
		c.Err(rerr.LCSNotStrings)
		return
	}
	var a, b []byte
	if ea != nil {
		a = ea.Str
	}
	if eb != nil {
		b = eb.Str
	}
	var getLen, getIdx, withLen bool
	var minLen int64
	for j := 3; j < len(c.Args); j++ {
		opt := word(c.Args[j])
		more := j < len(c.Args)-1
		switch {
		case server.Is(opt, "idx"):
			getIdx = true
		case server.Is(opt, "len"):
			getLen = true
		case server.Is(opt, "withmatchlen"):
			withLen = true
		case server.Is(opt, "minmatchlen") && more:
			n, ok := c.Int(c.Args[j+1])
			if !ok {
				return
			}
			minLen = max(n, 0)
			j++
		default:
			c.Err(rerr.Syntax)
			return
		}
	}
	if getIdx && getLen {
		c.Err(rerr.LCSLenAndIdx)
		return
	}
	if len(a) >= math.MaxUint32-1 || len(b) >= math.MaxUint32-1 {
		c.Err(rerr.LCSTooLong)
		return
	}
	if cells := uint64(len(a)+1) * uint64(len(b)+1); cells*4 > uint64(maxBulk(c)) {
		c.Err(rerr.LCSTooMuchMem)
		return
	}
	table := lcsTable(a, b)
	cols := len(b) + 1
	total := table[len(a)*cols+len(b)]
	if getLen {
		c.R.Int(int64(total))
		return
	}
	seq, matches := lcsWalk(a, b, table, total, getIdx, uint64(minLen))
	if !getIdx {
		c.R.Bulk(seq)
		return
	}
	c.R.MapLen(2)
	c.R.BulkString("matches")
	c.R.ArrayLen(len(matches))
	for _, m := range matches {
		if withLen {
			c.R.ArrayLen(3)
		} else {
			c.R.ArrayLen(2)
		}
		c.R.ArrayLen(2)
		c.R.Int(int64(m.aStart))
		c.R.Int(int64(m.aEnd))
		c.R.ArrayLen(2)
		c.R.Int(int64(m.bStart))
		c.R.Int(int64(m.bEnd))
		if withLen {
			c.R.Int(int64(m.aEnd - m.aStart + 1))
		}
	}
	c.R.BulkString("len")
	c.R.Int(int64(total))
}

// lcsTable is the dynamic programming table: entry i*(len(b)+1)+j is the
// LCS length of a[:i] and b[:j].
func lcsTable(a, b []byte) []uint32 {
	cols := len(b) + 1
	t := make([]uint32, (len(a)+1)*cols)
	for i := 1; i <= len(a); i++ {
		row, prev := t[i*cols:(i+1)*cols], t[(i-1)*cols:i*cols]
		ai := a[i-1]
		for j := 1; j <= len(b); j++ {
			switch {
			case ai == b[j-1]:
				row[j] = prev[j-1] + 1
			case prev[j] > row[j-1]:
				row[j] = prev[j]
			default:
				row[j] = row[j-1]
			}
		}
	}
	return t
}

// lcsWalk walks the table back from the end, as Redis does, building the
// subsequence and the matching ranges (from the last to the first), keeping
// ranges of at least minLen bytes.
func lcsWalk(a, b []byte, t []uint32, total uint32, wantRanges bool, minLen uint64) ([]byte, []lcsMatch) {
	cols := len(b) + 1
	seq := make([]byte, total)
	idx := total
	var out []lcsMatch
	alen := uint32(len(a))
	cur := lcsMatch{aStart: alen} // aStart == len(a): no range open
	i, j := uint32(len(a)), uint32(len(b))
	for i > 0 && j > 0 {
		emit := false
		if a[i-1] == b[j-1] {
			seq[idx-1] = a[i-1]
			if cur.aStart == alen {
				cur = lcsMatch{aStart: i - 1, aEnd: i - 1, bStart: j - 1, bEnd: j - 1}
			} else if cur.aStart == i && cur.bStart == j {
				cur.aStart--
				cur.bStart--
			} else {
				emit = true
			}
			if cur.aStart == 0 || cur.bStart == 0 {
				emit = true
			}
			idx--
			i--
			j--
		} else {
			if t[(i-1)*uint32(cols)+j] > t[i*uint32(cols)+j-1] {
				i--
			} else {
				j--
			}
			if cur.aStart != alen {
				emit = true
			}
		}
		if emit {
			if wantRanges && (minLen == 0 || uint64(cur.aEnd-cur.aStart+1) >= minLen) {
				out = append(out, cur)
			}
			cur.aStart = alen
		}
	}
	return seq, out
}
