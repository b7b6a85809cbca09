package keys

import (
	"github.com/moonkv/moonkv/internal/glob"
	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/server"
)

// DEL and UNLINK. UNLINK frees in the background in Redis; here the
// memory goes to the garbage collector either way, so both delete at once.
// Each propagates itself, as Redis 7.0 does.
func cmdDel(c *server.Ctx) {
	n := deleteKeys(c.DB, c.Args[1:])
	if n == 0 {
		unchanged(c)
	}
	c.R.Int(int64(n))
}

// unchanged marks a write command that changed nothing itself: keys it
// found expired were deleted, and those deletions propagated, on the way,
// but the command is not propagated (Redis counts expiry deletions apart
// from the command's own changes).
func unchanged(c *server.Ctx) { c.NoPropagate() }

func deleteKeys(db *keyspace.DB, keys [][]byte) int {
	n := 0
	for _, k := range keys {
		if db.Delete(k) {
			n++
		}
	}
	return n
}

// EXISTS counts a key as often as it is named.
func cmdExists(c *server.Ctx) {
	n := 0
	for _, k := range c.Args[1:] {
		if c.DB.PeekRead(k) != nil {
			n++
		}
	}
	c.R.Int(int64(n))
}

// TOUCH refreshes the access time of the keys that exist.
func cmdTouch(c *server.Ctx) {
	n := 0
	for _, k := range c.Args[1:] {
		if c.DB.LookupRead(k) != nil {
			n++
		}
	}
	c.R.Int(int64(n))
}

func cmdType(c *server.Ctx) {
	t := keyspace.TypeNone
	if e := c.DB.PeekRead(c.Args[1]); e != nil {
		t = e.Type
	}
	c.R.Simple(t.String())
}

func cmdRandomKey(c *server.Ctx) {
	k, ok := c.DB.RandomLiveKey()
	if !ok {
		c.R.Null()
		return
	}
	c.R.BulkString(k)
}

func cmdDBSize(c *server.Ctx) { c.R.Int(int64(c.DB.Len())) }

// KEYS lists the live keys matching a pattern; "*" lists every key, the
// empty one included. Expired keys are skipped, not removed.
func cmdKeys(c *server.Ctx) {
	keys := matchingKeys(c.DB, string(c.Args[1]))
	c.R.ArrayLen(len(keys))
	for _, k := range keys {
		c.R.BulkString(k)
	}
}

func matchingKeys(db *keyspace.DB, pattern string) []string {
	p := glob.Compile(pattern, false)
	all := p.MatchAll()
	var out []string
	db.Range(func(k string, e *keyspace.Entry) bool {
		if (all || p.Match(k)) && !db.Expired(e) {
			out = append(out, k)
		}
		return true
	})
	return out
}
