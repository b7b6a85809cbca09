package lists

import (
	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/internal/types/list"
)

func listEntry(l *list.List) keyspace.Entry {
	return keyspace.Entry{Obj: l, Type: keyspace.TypeList}
}

// readyKeys narrows keys to the ready one when a parked command is re-run.
func readyKeys(c *server.Ctx, keys [][]byte) [][]byte {
	if k := c.ReadyKey(); k != nil {
		return [][]byte{k}
	}
	return keys
}

func cmdBPop(left bool) server.Handler {
	return func(c *server.Ctx) {
		timeout, err := server.ParseTimeout(c.Args[len(c.Args)-1])
		if err != nil {
			c.Err(err)
			return
		}
		keys := c.Args[1 : len(c.Args)-1]
		if popFirst(c, readyKeys(c, keys), left, -1) {
			return
		}
		c.Block(keys, timeout, server.NullArrayReply)
	}
}

func cmdBLMPop(c *server.Ctx) {
	a, ok := parseMPop(c, 2)
	if !ok {
		return
	}
	timeout, err := server.ParseTimeout(c.Args[1])
	if err != nil {
		c.Err(err)
		return
	}
	if popFirst(c, readyKeys(c, a.keys), a.left, a.count) {
		return
	}
	c.Block(a.keys, timeout, server.NullArrayReply)
}

func cmdBLMove(c *server.Ctx) {
	from, ok1 := parseWhere(c.Args[3])
	to, ok2 := parseWhere(c.Args[4])
	if !ok1 || !ok2 {
		c.Err(rerr.Syntax)
		return
	}
	blmove(c, from, to, c.Args[5], false)
}

func cmdBRPopLPush(c *server.Ctx) { blmove(c, false, true, c.Args[3], true) }

func blmove(c *server.Ctx, from, to bool, timeoutArg []byte, rpoplpush bool) {
	timeout, err := server.ParseTimeout(timeoutArg)
	if err != nil {
		c.Err(err)
		return
	}
	src, dst := c.Args[1], c.Args[2]
	v, st, err := opMove(c, src, dst, from, to)
	// a source of another type keeps a parked client waiting; a
	// destination of another type fails it, as Redis 7.0 serves it
	if err != nil && (c.ReadyKey() == nil || st == dstWrongType) {
		c.Err(err)
		return
	}
	if err == nil && st == moved {
		c.R.Bulk(v)
		if rpoplpush {
			c.Propagate([]byte("RPOPLPUSH"), src, dst)
		} else {
			c.Propagate([]byte("LMOVE"), src, dst, whereName(from), whereName(to))
		}
		return
	}
	c.Block([][]byte{src}, timeout, server.NullReply)
}
