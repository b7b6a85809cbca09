package server

import (
	"math"
	"strconv"

	"github.com/moonkv/moonkv/internal/rerr"
)

// ParseInt parses an integer argument exactly as Redis's string2ll does:
// an optional '-', digits without leading zeros, nothing else, within
// int64.
func ParseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	neg := false
	i := 0
	if b[0] == '-' {
		neg = true
		i = 1
		if len(b) == 1 {
			return 0, false
		}
	}
	if b[i] < '1' || b[i] > '9' {
		return 0, false
	}
	var v uint64
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if v > math.MaxUint64/10 {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
		if v < uint64(c-'0') {
			return 0, false
		}
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return int64(-v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// Int parses an integer argument, replying Redis's error when it is not
// one. ok is false after the error reply was sent.
func (c *Ctx) Int(b []byte) (int64, bool) {
	n, ok := ParseInt(b)
	if !ok {
		c.Err(rerr.NotInt)
	}
	return n, ok
}

// ParseFloat parses a float argument as Redis's strtold-based parsing
// accepts it: no blanks, the whole argument consumed, "inf"/"-inf"
// allowed, NaN refused.
func ParseFloat(b []byte) (float64, bool) {
	if len(b) == 0 || isBlank(b[0]) || isBlank(b[len(b)-1]) {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			// strtold saturates to ±HUGE_VAL or 0 and Redis accepts
			// overflow to infinity only when it was spelled as inf.
			return 0, false
		}
		return 0, false
	}
	if math.IsNaN(f) {
		return 0, false
	}
	for _, ch := range b {
		if ch == '_' {
			return 0, false
		}
	}
	return f, true
}

// Float parses a float argument or replies Redis's error.
func (c *Ctx) Float(b []byte) (float64, bool) {
	f, ok := ParseFloat(b)
	if !ok {
		c.Err(rerr.NotFloat)
	}
	return f, ok
}

func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// Is reports whether an argument equals a keyword, ignoring ASCII case.
func Is(arg []byte, keyword string) bool {
	if len(arg) != len(keyword) {
		return false
	}
	for i := 0; i < len(arg); i++ {
		a, k := arg[i], keyword[i]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= k && k <= 'Z' {
			k += 'a' - 'A'
		}
		if a != k {
			return false
		}
	}
	return true
}

// FormatInt is strconv.AppendInt for a fresh slice; values stored in the
// keyspace are byte slices.
func FormatInt(n int64) []byte { return strconv.AppendInt(nil, n, 10) }

// ClampRange turns Redis's start/stop index arguments (negative counts
// from the end, both inclusive) into positions within a sequence of n
// elements, as LRANGE, LTRIM, ZRANGE and ZREMRANGEBYRANK sanitise them;
// ok is false for an empty range.
func ClampRange(start, stop int64, n int) (first, last int, ok bool) {
	ln := int64(n)
	if start < 0 {
		start += ln
	}
	if stop < 0 {
		stop += ln
	}
	if start < 0 {
		start = 0
	}
	if start > stop || start >= ln {
		return 0, 0, false
	}
	if stop >= ln {
		stop = ln - 1
	}
	return int(start), int(stop), true
}
