package keys

import (
	"math"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
)

// Conditions of the EXPIRE family.
const (
	condNX = 1 << iota
	condXX
	condGT
	condLT
)

func parseExpireConditions(args [][]byte) (int, error) {
	flags := 0
	for _, a := range args {
		switch {
		case server.Is(a, "nx"):
			flags |= condNX
		case server.Is(a, "xx"):
			flags |= condXX
		case server.Is(a, "gt"):
			flags |= condGT
		case server.Is(a, "lt"):
			flags |= condLT
		default:
			return 0, rerr.UnsupportedOption(a)
		}
	}
	if flags&condNX != 0 && flags&(condXX|condGT|condLT) != 0 {
		return 0, rerr.ExpireNXConflict
	}
	if flags&condGT != 0 && flags&condLT != 0 {
		return 0, rerr.ExpireGTLT
	}
	return flags, nil
}

// expireResult is what setting a deadline did.
type expireResult int

const (
	expireNoKey   expireResult = iota // no such key
	expireSkipped                     // a condition failed
	expireSet                         // the deadline was set
	expireDeleted                     // the deadline was past: the key was deleted
)

// setDeadline applies an absolute deadline (Unix ms) under the NX/XX/GT/LT
// conditions. A key without a deadline counts as living forever for GT and
// LT.
func setDeadline(db *keyspace.DB, key []byte, at int64, flags int, now int64) expireResult {
	e := db.Lookup(key)
	if e == nil {
		return expireNoKey
	}
	cur := e.Expire // 0: none
	switch {
	case flags&condNX != 0 && cur != 0,
		flags&condXX != 0 && cur == 0,
		flags&condGT != 0 && (cur == 0 || at <= cur),
		flags&condLT != 0 && cur != 0 && at >= cur:
		return expireSkipped
	}
	if at <= now {
		db.Delete(key)
		return expireDeleted
	}
	db.SetExpire(key, at)
	return expireSet
}

// expireHandler builds EXPIRE, PEXPIRE, EXPIREAT or PEXPIREAT: seconds or
// milliseconds, relative to now or absolute.
func expireHandler(name string) server.Handler {
	seconds := name == "expire" || name == "expireat"
	relative := name == "expire" || name == "pexpire"
	return func(c *server.Ctx) {
		flags, err := parseExpireConditions(c.Args[3:])
		if err != nil {
			c.Err(err)
			return
		}
		when, ok := c.Int(c.Args[2])
		if !ok {
			return
		}
		if seconds {
			if when > math.MaxInt64/1000 || when < math.MinInt64/1000 {
				c.Err(rerr.InvalidExpireTime(name))
				return
			}
			when *= 1000
		}
		if relative {
			base := c.Now()
			if when > math.MaxInt64-base {
				c.Err(rerr.InvalidExpireTime(name))
				return
			}
			when += base
		}
		key := c.Args[1]
		switch setDeadline(c.DB, key, when, flags, c.Now()) {
		case expireNoKey, expireSkipped:
			unchanged(c)
			c.R.Int(0)
		case expireDeleted:
			c.Propagate([]byte("DEL"), key)
			c.R.Int(1)
		case expireSet:
			// Redis rewrites only the name and the time: the conditions
			// stay in the propagated command.
			eff := append([][]byte{[]byte("PEXPIREAT"), key, server.FormatInt(when)}, c.Args[3:]...)
			c.Propagate(eff...)
			c.R.Int(1)
		}
	}
}

// ttlOf returns what TTL and its siblings report: -2 for no key, -1 for no
// deadline, else the remaining time (or the deadline when abs) in ms,
// never below 0.
func ttlOf(db *keyspace.DB, key []byte, now int64, abs bool) int64 {
	e := db.PeekRead(key)
	if e == nil {
		return -2
	}
	if e.Expire == 0 {
		return -1
	}
	ttl := e.Expire
	if !abs {
		ttl -= now
	}
	return max(ttl, 0)
}

func replyTTL(c *server.Ctx, abs, ms bool) {
	t := ttlOf(c.DB, c.Args[1], c.Now(), abs)
	if t >= 0 && !ms {
		t = (t + 500) / 1000
	}
	c.R.Int(t)
}

func cmdTTL(c *server.Ctx)         { replyTTL(c, false, false) }
func cmdPTTL(c *server.Ctx)        { replyTTL(c, false, true) }
func cmdExpireTime(c *server.Ctx)  { replyTTL(c, true, false) }
func cmdPExpireTime(c *server.Ctx) { replyTTL(c, true, true) }

func cmdPersist(c *server.Ctx) {
	if c.DB.Lookup(c.Args[1]) != nil && c.DB.Persist(c.Args[1]) {
		c.R.Int(1)
		return
	}
	unchanged(c)
	c.R.Int(0)
}
