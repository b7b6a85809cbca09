package keys

import (
	"bytes"
	"math"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
)

// renameOp renames src to dst. It returns whether the rename happened
// (false only for RENAMENX onto an existing key, or a key renamed to
// itself by RENAMENX) or an error for a missing source.
func renameOp(db *keyspace.DB, src, dst []byte, nx bool) (bool, error) {
	if db.Lookup(src) == nil {
		return false, rerr.NoSuchKey
	}
	if bytes.Equal(src, dst) {
		return !nx, nil
	}
	if nx && db.Lookup(dst) != nil {
		return false, nil
	}
	db.Rename(src, dst)
	return true, nil
}

func cmdRename(c *server.Ctx) {
	done, err := renameOp(c.DB, c.Args[1], c.Args[2], false)
	if !done {
		unchanged(c)
	}
	if err != nil {
		c.Err(err)
		return
	}
	c.OK()
}

func cmdRenameNX(c *server.Ctx) {
	done, err := renameOp(c.DB, c.Args[1], c.Args[2], true)
	if !done {
		unchanged(c)
	}
	switch {
	case err != nil:
		c.Err(err)
	case done:
		c.R.Int(1)
	default:
		c.R.Int(0)
	}
}

// parseDBIndex reads a database number as Redis's MOVE and COPY do: an
// integer that fits in a C int, then a valid index.
func parseDBIndex(c *server.Ctx, b []byte) (*keyspace.DB, error) {
	n, ok := server.ParseInt(b)
	if !ok {
		return nil, rerr.NotInt
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		return nil, rerr.IntRange
	}
	if n < 0 || n >= int64(len(c.KS.DBs)) {
		return nil, rerr.DBIndex
	}
	return c.KS.DBs[n], nil
}

// copyOp copies src of db to dst of target. It reports whether a copy was
// made: not when the source is missing, nor when the destination exists
// and replace is false.
func copyOp(db *keyspace.DB, src []byte, target *keyspace.DB, dst []byte, replace bool) bool {
	e := db.LookupRead(src)
	if e == nil {
		return false
	}
	if target.Lookup(dst) != nil && !replace {
		return false
	}
	target.Set(dst, keyspace.CloneEntry(e))
	return true
}

// COPY source destination [DB destination-db] [REPLACE]
func cmdCopy(c *server.Ctx) {
	target, replace := c.DB, false
	for i := 3; i < len(c.Args); i++ {
		switch {
		case server.Is(c.Args[i], "replace"):
			replace = true
		case server.Is(c.Args[i], "db") && i+1 < len(c.Args):
			db, err := parseDBIndex(c, c.Args[i+1])
			if err != nil {
				c.Err(err)
				return
			}
			target = db
			i++
		default:
			c.Err(rerr.Syntax)
			return
		}
	}
	if target == c.DB && bytes.Equal(c.Args[1], c.Args[2]) {
		c.Err(rerr.SameObject)
		return
	}
	if copyOp(c.DB, c.Args[1], target, c.Args[2], replace) {
		c.R.Int(1)
	} else {
		unchanged(c)
		c.R.Int(0)
	}
}

// moveOp moves key to target; false when the key is missing or already
// exists there.
func moveOp(db *keyspace.DB, key []byte, target *keyspace.DB) bool {
	if db.Lookup(key) == nil || target.Lookup(key) != nil {
		return false
	}
	return db.MoveTo(target, key)
}

// MOVE key db
func cmdMove(c *server.Ctx) {
	target, err := parseDBIndex(c, c.Args[2])
	if err != nil {
		c.Err(err)
		return
	}
	if target == c.DB {
		c.Err(rerr.SameObject)
		return
	}
	if moveOp(c.DB, c.Args[1], target) {
		c.R.Int(1)
	} else {
		unchanged(c)
		c.R.Int(0)
	}
}
