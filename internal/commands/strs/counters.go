package strs

import (
	"math"
	"math/big"
	"strconv"

	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
)

// Counters: INCR, INCRBY, DECR, DECRBY and INCRBYFLOAT. The value keeps
// its deadline (Redis overwrites the value object, not the key).

func cmdIncr(c *server.Ctx) { incrDecr(c, 1) }

func cmdDecr(c *server.Ctx) { incrDecr(c, -1) }

func cmdIncrBy(c *server.Ctx) {
	if n, ok := c.Int(c.Args[2]); ok {
		incrDecr(c, n)
	}
}

func cmdDecrBy(c *server.Ctx) {
	n, ok := c.Int(c.Args[2])
	if !ok {
		return
	}
	if n == math.MinInt64 {
		c.Err(rerr.DecrOverflow)
		return
	}
	incrDecr(c, -n)
}

// incrDecr adds incr to the integer stored at the key (0 when absent),
// refusing a value that is not an integer and a sum beyond 64 bits.
func incrDecr(c *server.Ctx, incr int64) {
	key := c.Args[1]
	e, err := writeString(c.DB, key)
	if err != nil {
		c.Err(err)
		return
	}
	var v int64
	if e != nil {
		var ok bool
		if v, ok = server.ParseInt(e.Str); !ok {
			c.Err(rerr.NotInt)
			return
		}
	}
	if (incr < 0 && v < 0 && incr < math.MinInt64-v) || (incr > 0 && v > 0 && incr > math.MaxInt64-v) {
		c.Err(rerr.Overflow)
		return
	}
	v += incr
	val := strconv.AppendInt(make([]byte, 0, 20), v, 10)
	if e != nil {
		c.DB.ReplaceStringValue(key, e, val)
	} else {
		c.DB.AddString(key, val, 0, false)
	}
	c.R.Int(v)
}

func cmdIncrByFloat(c *server.Ctx) {
	key := c.Args[1]
	e, err := writeString(c.DB, key)
	if err != nil {
		c.Err(err)
		return
	}
	cur := new(big.Float).SetPrec(ldMantBits)
	if e != nil {
		var ok bool
		if cur, ok = parseLongDouble(e.Str); !ok {
			c.Err(rerr.NotFloat)
			return
		}
	}
	incr, ok := parseLongDouble(c.Args[2])
	if !ok {
		c.Err(rerr.NotFloat)
		return
	}
	sum, ok := addLongDouble(cur, incr)
	if !ok {
		c.Err(rerr.NaNResult)
		return
	}
	val := formatLongDouble(sum)
	if e != nil {
		c.DB.ReplaceStringValue(key, e, val)
	} else {
		c.DB.AddString(key, val, 0, false)
	}
	c.R.Bulk(val)
	// Replicas and the AOF get the result, not the increment, so that
	// float formatting can never make them drift.
	c.Propagate(argSET, key, val, argKEEPTTL)
}
