package keys

import (
	"math"

	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
)

// parseFlushMode accepts FLUSHDB's and FLUSHALL's optional ASYNC or SYNC.
// Freeing happens at once either way (the garbage collector does the
// work Redis's lazyfree thread would), so the mode changes nothing but
// must be valid.
func parseFlushMode(args [][]byte) error {
	switch {
	case len(args) == 0:
		return nil
	case len(args) == 1 && (server.Is(args[0], "async") || server.Is(args[0], "sync")):
		return nil
	}
	return rerr.Syntax
}

// FLUSHDB [ASYNC|SYNC]: transactions watching keys of the database fail,
// and the command propagates even when the database was empty.
func cmdFlushDB(c *server.Ctx) {
	if err := parseFlushMode(c.Args[1:]); err != nil {
		c.Err(err)
		return
	}
	c.Srv.TouchWatchedInDB(c.DB, nil)
	c.KS.Dirty += int64(c.DB.Flush())
	c.Propagate(c.Args...)
	c.OK()
}

// FLUSHALL [ASYNC|SYNC]
func cmdFlushAll(c *server.Ctx) {
	if err := parseFlushMode(c.Args[1:]); err != nil {
		c.Err(err)
		return
	}
	for _, db := range c.KS.DBs {
		c.Srv.TouchWatchedInDB(db, nil)
	}
	c.KS.Dirty += int64(c.KS.FlushAll()) + 1
	c.Propagate(c.Args...)
	c.OK()
}

// SWAPDB index1 index2: clients stay on the index they selected and see
// the other data; transactions watching keys that exist in either database
// fail, and clients blocked on keys that now exist are served.
func cmdSwapDB(c *server.Ctx) {
	a, ok := parseSwapIndex(c.Args[1])
	if !ok {
		c.Err(rerr.InvalidFirstDB)
		return
	}
	b, ok := parseSwapIndex(c.Args[2])
	if !ok {
		c.Err(rerr.InvalidSecondDB)
		return
	}
	n := int64(len(c.KS.DBs))
	if a < 0 || a >= n || b < 0 || b >= n {
		c.Err(rerr.DBIndex)
		return
	}
	if a != b {
		da, db := c.KS.DBs[a], c.KS.DBs[b]
		c.Srv.TouchWatchedInDB(da, db)
		c.Srv.TouchWatchedInDB(db, da)
		c.KS.Swap(int(a), int(b))
		// Clients blocked on keys that the swap brought in are served.
		c.Srv.SignalReadyInDB(da)
		c.Srv.SignalReadyInDB(db)
	}
	c.KS.Dirty++
	c.Propagate(c.Args...)
	c.OK()
}

func parseSwapIndex(b []byte) (int64, bool) {
	n, ok := server.ParseInt(b)
	return n, ok && n >= math.MinInt32 && n <= math.MaxInt32
}
