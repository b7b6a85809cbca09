package sets

import (
	"strconv"

	"github.com/moonkv/moonkv/internal/glob"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
)

// ParseCursor parses a SCAN-family cursor as Redis does with strtoul: an
// optional sign (a negative cursor wraps around), decimal digits, nothing
// else, within 64 bits. An empty argument is cursor 0.
func ParseCursor(b []byte) (uint64, bool) {
	if len(b) > 0 && isSpace(b[0]) {
		return 0, false
	}
	neg := false
	i := 0
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		i = 1
		if i == len(b) {
			return 0, false
		}
	}
	var v uint64
	for ; i < len(b); i++ {
		c := b[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if v > (1<<64-1-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		v = -v
	}
	return v, true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// ScanOpts are the options of HSCAN, SSCAN and ZSCAN.
type ScanOpts struct {
	Count   int64
	Pattern []byte // nil when every element matches
}

// ParseScanOpts reads [MATCH pattern] [COUNT count] from args, replying
// the error itself when they are malformed.
func ParseScanOpts(c *server.Ctx, args [][]byte) (ScanOpts, bool) {
	o := ScanOpts{Count: 10}
	for i := 0; i < len(args); i += 2 {
		more := i+1 < len(args)
		switch {
		case server.Is(args[i], "count") && more:
			n, ok := c.Int(args[i+1])
			if !ok {
				return o, false
			}
			if n < 1 {
				c.Err(rerr.Syntax)
				return o, false
			}
			o.Count = n
		case server.Is(args[i], "match") && more:
			p := args[i+1]
			if len(p) == 1 && p[0] == '*' {
				o.Pattern = nil
			} else {
				o.Pattern = p
			}
		default:
			c.Err(rerr.Syntax)
			return o, false
		}
	}
	return o, true
}

// Matches reports whether s passes the MATCH filter.
func (o *ScanOpts) Matches(s []byte) bool {
	return o.Pattern == nil || glob.MatchBytes(o.Pattern, s, false)
}

// ReplyScan writes a scan reply: the next cursor as a bulk string, then
// the elements.
func ReplyScan(c *server.Ctx, cursor uint64, elems [][]byte) {
	c.R.ArrayLen(2)
	c.R.Bulk(strconv.AppendUint(nil, cursor, 10))
	c.R.ArrayLen(len(elems))
	for _, e := range elems {
		c.R.Bulk(e)
	}
}
