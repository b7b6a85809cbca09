package keys

import (
	"strings"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
)

// The lines of OBJECT HELP, sent as status replies as Redis's addReplyHelp
// does. Redis's own wording: clients and tests compare it byte for byte.
var objectHelp = []string{
	"ENCODING <key>",
	"    Return the kind of internal representation used in order to store the value",
	"    associated with a <key>.",
	"FREQ <key>",
	"    Return the access frequency index of the <key>. The returned integer is",
	"    proportional to the logarithm of the recent access frequency of the key.",
	"IDLETIME <key>",
	"    Return the idle time of the <key>, that is the approximated number of",
	"    seconds elapsed since the last access to the key.",
	"REFCOUNT <key>",
	"    Return the number of references of the value associated with the specified",
	"    <key>.",
}

func cmdObjectHelp(c *server.Ctx) { server.ReplyHelp(c, "OBJECT", objectHelp) }

// Integers 0..9999 are shared objects in Redis, whose reference count it
// reports as INT_MAX.
// lfuPolicy reports whether an LFU maxmemory-policy is selected.
func lfuPolicy(c *server.Ctx) bool { return strings.HasSuffix(policy(c), "-lfu") }

// objectLookup finds the key OBJECT inspects without refreshing its access
// time; a missing key is a null reply.
func objectLookup(c *server.Ctx) *keyspace.Entry {
	e := c.DB.PeekRead(c.Args[2])
	if e == nil {
		c.R.Null()
	}
	return e
}

func cmdObjectEncoding(c *server.Ctx) {
	if e := objectLookup(c); e != nil {
		c.R.BulkString(e.Encoding())
	}
}

func cmdObjectRefCount(c *server.Ctx) {
	if e := objectLookup(c); e != nil {
		c.R.Int(e.RefCount(c.Srv.ClockPerValue()))
	}
}

// idleSeconds is the time since the key was last accessed, in whole
// seconds.
func idleSeconds(ks *keyspace.Keyspace, e *keyspace.Entry) int64 {
	return ks.IdleMs(e) / 1000
}

func cmdObjectIdleTime(c *server.Ctx) {
	e := objectLookup(c)
	if e == nil {
		return
	}
	if lfuPolicy(c) {
		c.Err(rerr.LFUNoIdleTime)
		return
	}
	c.R.Int(idleSeconds(c.KS, e))
}

// lfuInitVal is the counter Redis gives a new key under an LFU policy.
const lfuInitVal = 5

// cmdObjectFreq: moonkv does not evict, so it keeps no access counter.
// Under an LFU policy it reports Redis's starting counter decayed by one
// per idle minute (lfu-decay-time's default), which is what Redis reports
// for a key that was written and not read since.
func cmdObjectFreq(c *server.Ctx) {
	e := objectLookup(c)
	if e == nil {
		return
	}
	if !lfuPolicy(c) {
		c.Err(rerr.NoLFUPolicy)
		return
	}
	c.R.Int(max(lfuInitVal-idleSeconds(c.KS, e)/60, 0))
}
