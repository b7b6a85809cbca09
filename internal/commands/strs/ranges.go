package strs

import (
	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
)

// Byte ranges: GETRANGE (and its old name SUBSTR) and SETRANGE.

func cmdGetRange(c *server.Ctx) {
	start, ok := c.Int(c.Args[2])
	if !ok {
		return
	}
	end, ok := c.Int(c.Args[3])
	if !ok {
		return
	}
	e, err := readString(c.DB, c.Args[1])
	switch {
	case err != nil:
		c.Err(err)
	case e == nil:
		c.R.Bulk(nil)
	default:
		c.R.Bulk(substr(e.Str, start, end))
	}
}

// substr is GETRANGE's slice of s: negative indexes count from the end,
// both ends are clamped, and an inverted range is empty.
func substr(s []byte, start, end int64) []byte {
	n := int64(len(s))
	if start < 0 && end < 0 && start > end {
		return nil
	}
	if start < 0 {
		start += n
	}
	if end < 0 {
		end += n
	}
	if start < 0 {
		start = 0
	}
	if end < 0 {
		end = 0
	}
	if end >= n {
		end = n - 1
	}
	if start > end || n == 0 {
		return nil
	}
	return s[start : end+1]
}

func cmdSetRange(c *server.Ctx) {
	key, val := c.Args[1], c.Args[3]
	offset, ok := c.Int(c.Args[2])
	if !ok {
		return
	}
	if offset < 0 {
		c.Err(rerr.OffsetRange)
		return
	}
	e, err := writeString(c.DB, key)
	if err != nil {
		c.Err(err)
		return
	}
	if len(val) == 0 {
		// Nothing to write: no key is created and nothing changes.
		c.NoPropagate()
		if e == nil {
			c.R.Int(0)
		} else {
			c.R.Int(int64(len(e.Str)))
		}
		return
	}
	if total := uint64(offset) + uint64(len(val)); total > uint64(maxBulk(c)) {
		c.Err(rerr.TooBig)
		return
	}
	need := int(offset) + len(val)
	if e == nil {
		buf := make([]byte, need)
		copy(buf[offset:], val)
		c.DB.AddString(key, buf, 0, true)
		c.R.Int(int64(need))
		return
	}
	e.Str = growOwned(e, need)
	copy(e.Str[offset:], val)
	c.DB.ModifiedRaw(key, e)
	c.R.Int(int64(len(e.Str)))
}

// growOwned returns the value of e, zero-padded to at least n bytes, in a
// buffer the entry owns alone and may change in place: an earlier
// in-place change's buffer (RawStr) is grown where it is, anything else is
// copied first, as Redis unshares a value before changing it.
func growOwned(e *keyspace.Entry, n int) []byte {
	s := e.Str
	if e.RawStr && n <= cap(s) {
		if n > len(s) {
			old := len(s)
			s = s[:n]
			clear(s[old:])
		}
		return s
	}
	size := max(n, len(s))
	if e.RawStr {
		size = max(size, growCap(n))
	}
	out := make([]byte, max(n, len(s)), size)
	copy(out, s)
	return out
}
