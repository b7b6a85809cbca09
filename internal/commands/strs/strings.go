package strs

import (
	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
)

// Plain reads and writes of whole values: GET, GETDEL, GETSET, MGET, MSET,
// MSETNX, APPEND, STRLEN.

var (
	argSET     = []byte("SET")
	argDEL     = []byte("DEL")
	argPXAT    = []byte("PXAT")
	argKEEPTTL = []byte("KEEPTTL")
)

// defaultMaxBulk is proto-max-bulk-len's default: the largest string a
// command may build.
const defaultMaxBulk = 512 << 20

func maxBulk(c *server.Ctx) int64 {
	if n := c.Srv.Cfg.ProtoMaxBulkLen; n > 0 {
		return n
	}
	return defaultMaxBulk
}

// clone copies an argument for storing: arguments point into a reused
// read buffer. An empty value stays a non-nil empty slice.
func clone(b []byte) []byte {
	out := make([]byte, len(b))
	copy(out, b)
	return out
}

// readString looks a key up for reading: the entry (nil when absent) or
// WRONGTYPE when it holds another type.
func readString(db *keyspace.DB, key []byte) (*keyspace.Entry, error) {
	e := db.LookupRead(key)
	if e != nil && e.Type != keyspace.TypeString {
		return nil, rerr.WrongType
	}
	return e, nil
}

// writeString is readString for commands that go on to write the key
// (Redis's lookupKeyWrite: no hit/miss statistics).
func writeString(db *keyspace.DB, key []byte) (*keyspace.Entry, error) {
	e := db.Lookup(key)
	if e != nil && e.Type != keyspace.TypeString {
		return nil, rerr.WrongType
	}
	return e, nil
}

// replyGet answers as GET does for a key: its value, null, or WRONGTYPE.
// It returns the entry (nil when absent), and ok false after an error
// reply.
func replyGet(c *server.Ctx, key []byte) (e *keyspace.Entry, ok bool) {
	e, err := readString(c.DB, key)
	switch {
	case err != nil:
		c.Err(err)
		return nil, false
	case e == nil:
		c.R.Null()
	default:
		c.R.Bulk(e.Str)
	}
	return e, true
}

func cmdGet(c *server.Ctx) { replyGet(c, c.Args[1]) }

func cmdGetDel(c *server.Ctx) {
	key := c.Args[1]
	if _, ok := replyGet(c, key); !ok {
		return
	}
	if c.DB.Delete(key) {
		c.Propagate(argDEL, key)
	} else {
		c.NoPropagate()
	}
}

func cmdGetSet(c *server.Ctx) {
	key := c.Args[1]
	e, ok := replyGet(c, key)
	if !ok {
		return
	}
	if e != nil {
		c.DB.OverwriteString(key, e, clone(c.Args[2]), 0, false)
	} else {
		c.DB.AddString(key, clone(c.Args[2]), 0, false)
	}
	c.Propagate(argSET, key, c.Args[2])
}

func cmdMGet(c *server.Ctx) {
	keys := c.Args[1:]
	c.R.ArrayLen(len(keys))
	for _, k := range keys {
		e := c.DB.LookupRead(k)
		if e == nil || e.Type != keyspace.TypeString {
			c.R.Null()
		} else {
			c.R.Bulk(e.Str)
		}
	}
}

func cmdMSet(c *server.Ctx) {
	if len(c.Args)%2 == 0 {
		c.Err(rerr.WrongArity(c.Spec.Name))
		return
	}
	msetPairs(c)
	c.OK()
}

func cmdMSetNX(c *server.Ctx) {
	if len(c.Args)%2 == 0 {
		c.Err(rerr.WrongArity(c.Spec.Name))
		return
	}
	for i := 1; i < len(c.Args); i += 2 {
		if c.DB.Lookup(c.Args[i]) != nil {
			c.R.Int(0)
			c.NoPropagate()
			return
		}
	}
	msetPairs(c)
	c.R.Int(1)
}

func msetPairs(c *server.Ctx) {
	for i := 1; i < len(c.Args); i += 2 {
		key, val := c.Args[i], clone(c.Args[i+1])
		if e := c.DB.Lookup(key); e != nil {
			c.DB.OverwriteString(key, e, val, 0, false)
		} else {
			c.DB.AddString(key, val, 0, false)
		}
	}
}

func cmdAppend(c *server.Ctx) {
	key, add := c.Args[1], c.Args[2]
	e, err := writeString(c.DB, key)
	if err != nil {
		c.Err(err)
		return
	}
	if e == nil {
		// A new key holds the argument as SET would store it (not raw).
		c.DB.AddString(key, clone(add), 0, false)
		c.R.Int(int64(len(add)))
		return
	}
	if total := int64(len(e.Str)) + int64(len(add)); total > maxBulk(c) {
		c.Err(rerr.TooBig)
		return
	}
	e.Str = appendOwned(e, add)
	c.DB.ModifiedRaw(key, e)
	c.R.Int(int64(len(e.Str)))
}

// appendOwned appends to a string value, growing in place only a buffer
// that an earlier in-place change allocated (RawStr): any other buffer may
// have been sized exactly by SET and is copied first, as Redis unshares an
// embstr or int-encoded value before changing it.
func appendOwned(e *keyspace.Entry, add []byte) []byte {
	if e.RawStr {
		return append(e.Str, add...)
	}
	out := make([]byte, len(e.Str), growCap(len(e.Str)+len(add)))
	copy(out, e.Str)
	return append(out, add...)
}

// growCap leaves room for further appends, as sds's greedy growth does.
func growCap(n int) int {
	if n < 1<<20 {
		return n * 2
	}
	return n + 1<<20
}

func cmdStrlen(c *server.Ctx) {
	e, err := readString(c.DB, c.Args[1])
	switch {
	case err != nil:
		c.Err(err)
	case e == nil:
		c.R.Int(0)
	default:
		c.R.Int(int64(len(e.Str)))
	}
}
