package zsets

import (
	"math"
	"strconv"

	"github.com/moonkv/moonkv/internal/commands/sets"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
)

// formatScore is Redis's d2string: integral values inside ±2^52 print as
// integers, others "%.17g"; "-0", "inf", "-inf".
func formatScore(f float64) []byte {
	if f == 0 {
		if 1/f < 0 {
			return []byte("-0")
		}
		return []byte("0")
	}
	if f > -4503599627370495 && f < 4503599627370496 && f == float64(int64(f)) {
		return strconv.AppendInt(nil, int64(f), 10)
	}
	switch {
	case math.IsInf(f, 1):
		return []byte("inf")
	case math.IsInf(f, -1):
		return []byte("-inf")
	}
	return strconv.AppendFloat(nil, f, 'g', 17, 64)
}

func cmdZScan(c *server.Ctx) {
	cursor, ok := sets.ParseCursor(c.Args[2])
	if !ok {
		c.Err(rerr.InvalidCursor)
		return
	}
	z, err := ZSetOf(c.DB, c.Args[1], true)
	if err != nil {
		c.Err(err)
		return
	}
	if z == nil {
		sets.ReplyScan(c, 0, nil)
		return
	}
	opts, ok := sets.ParseScanOpts(c, c.Args[3:])
	if !ok {
		return
	}
	type pair struct {
		m string
		s float64
	}
	var got []pair
	collect := func(m string, s float64) { got = append(got, pair{m, s}) }
	next := uint64(0)
	if !z.IsSkiplist() {
		z.Scan(0, collect)
	} else {
		// as Redis: visit buckets while fewer than COUNT reply entries
		// (two per member) are collected, at most 10*COUNT steps; MATCH
		// filters afterwards
		next = cursor
		for steps := opts.Count * 10; ; {
			next = z.Scan(next, collect)
			steps--
			if next == 0 || steps <= 0 || int64(2*len(got)) >= opts.Count {
				break
			}
		}
	}
	out := make([][]byte, 0, 2*len(got))
	for _, p := range got {
		if opts.Matches([]byte(p.m)) {
			out = append(out, []byte(p.m), formatScore(p.s))
		}
	}
	sets.ReplyScan(c, next, out)
}
