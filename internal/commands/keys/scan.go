package keys

import (
	"math"
	"strconv"
	"strings"

	"github.com/moonkv/moonkv/internal/glob"
	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
)

// ParseCursor reads a SCAN cursor as Redis does, with strtoul: an optional
// sign (a minus wraps around), decimal digits, leading zeros allowed, the
// text ending at a NUL byte; a leading blank, any other trailing byte or a
// value past 2^64-1 make it invalid. The empty cursor is 0. HSCAN, SSCAN
// and ZSCAN share it.
func ParseCursor(b []byte) (uint64, bool) {
	for i, ch := range b {
		if ch == 0 {
			b = b[:i]
			break
		}
	}
	if len(b) == 0 {
		return 0, true
	}
	switch b[0] {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return 0, false
	}
	neg := false
	i := 0
	if b[0] == '+' || b[0] == '-' {
		neg = b[0] == '-'
		i++
	}
	if i == len(b) {
		return 0, false // no digits: strtoul consumed nothing
	}
	var v uint64
	for ; i < len(b); i++ {
		d := b[i]
		if d < '0' || d > '9' {
			return 0, false
		}
		if v > (math.MaxUint64-uint64(d-'0'))/10 {
			return 0, false
		}
		v = v*10 + uint64(d-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// ScanOptions are SCAN's MATCH, COUNT and TYPE.
type ScanOptions struct {
	Count   int64
	Pattern *glob.Pattern // nil: no filter
	Type    string        // "": no filter
	HasType bool
}

// ParseScanOptions parses the options from args (the arguments after the
// cursor). allowType is false for HSCAN, SSCAN and ZSCAN.
func ParseScanOptions(args [][]byte, allowType bool) (ScanOptions, error) {
	o := ScanOptions{Count: 10}
	for i := 0; i < len(args); {
		more := len(args) - i
		switch {
		case server.Is(args[i], "count") && more >= 2:
			n, ok := server.ParseInt(args[i+1])
			if !ok {
				return o, rerr.NotInt
			}
			if n < 1 {
				return o, rerr.Syntax
			}
			o.Count = n
		case server.Is(args[i], "match") && more >= 2:
			if pat := string(args[i+1]); pat == "*" {
				o.Pattern = nil
			} else {
				o.Pattern = glob.Compile(pat, false)
			}
		case allowType && server.Is(args[i], "type") && more >= 2:
			o.Type, o.HasType = string(args[i+1]), true
		default:
			return o, rerr.Syntax
		}
		i += 2
	}
	return o, nil
}

func cmdScan(c *server.Ctx) {
	cursor, ok := ParseCursor(c.Args[1])
	if !ok {
		c.Err(rerr.InvalidCursor)
		return
	}
	o, err := ParseScanOptions(c.Args[2:], true)
	if err != nil {
		c.Err(err)
		return
	}
	next, keys := scanKeys(c.DB, cursor, o)
	c.R.ArrayLen(2)
	c.R.Bulk(strconv.AppendUint(nil, next, 10))
	c.R.ArrayLen(len(keys))
	for _, k := range keys {
		c.R.BulkString(k)
	}
}

// scanKeys runs one SCAN step as Redis does: visit buckets until count
// keys were gathered, the iteration ended, or count*10 buckets were seen;
// then drop the keys that do not match, are of another type, or have
// expired (removing those, as a lookup would). An expired key is of type
// "none" to the TYPE filter, as in Redis 7.0, which returns it for
// TYPE none.
func scanKeys(db *keyspace.DB, cursor uint64, o ScanOptions) (uint64, []string) {
	var keys []string
	budget := o.Count * 10
	if o.Count > math.MaxInt64/10 {
		budget = math.MaxInt64
	}
	for {
		cursor = db.Scan(cursor, func(k string, _ *keyspace.Entry) { keys = append(keys, k) })
		if cursor == 0 || budget == 0 || int64(len(keys)) >= o.Count {
			break
		}
		budget--
	}
	out := keys[:0]
	for _, k := range keys {
		if o.Pattern != nil && !o.Pattern.Match(k) {
			continue
		}
		if o.HasType {
			name := keyspace.TypeNone.String()
			if e := db.Peek([]byte(k)); e != nil {
				name = e.Type.String()
			}
			if !strings.EqualFold(o.Type, name) {
				continue
			}
			if name == keyspace.TypeNone.String() {
				// Redis 7.0 looks the type up before checking expiry,
				// and that lookup already removed an expired key: the
				// key, now of type "none", passes the expiry check.
				out = append(out, k)
				continue
			}
		}
		if db.Peek([]byte(k)) == nil {
			continue
		}
		out = append(out, k)
	}
	return cursor, out
}
