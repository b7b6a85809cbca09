package strs

import (
	"math"
	"math/big"
	"strconv"

	"github.com/moonkv/moonkv/internal/keyspace"
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
	var cur []byte
	if e != nil {
		cur = e.Str
	}
	val, err := incrByFloat(cur, c.Args[2])
	if err != nil {
		c.Err(err)
		return
	}
	if e != nil {
		c.DB.ReplaceStringValue(key, e, val)
	} else {
		e = c.DB.AddString(key, val, 0, false)
	}
	// Redis stores the result as text, never as an integer object, even
	// when it reads like one ("3"): OBJECT ENCODING says embstr.
	e.StrEnc = keyspace.StrEncText
	c.R.Bulk(val)
	// Replicas and the AOF get the result, not the increment, so that
	// float formatting can never make them drift.
	c.Propagate(argSET, key, val, argKEEPTTL)
}

// incrByFloat is the value INCRBYFLOAT stores: cur (nil for a missing key)
// plus incr in long double arithmetic, formatted as Redis does.
func incrByFloat(cur, incr []byte) ([]byte, error) {
	if val, ok := incrByFloatFast(cur, incr); ok {
		return val, nil
	}
	a := new(big.Float).SetPrec(ldMantBits)
	if cur != nil {
		var ok bool
		if a, ok = parseLongDouble(cur); !ok {
			return nil, rerr.NotFloat
		}
	}
	b, ok := parseLongDouble(incr)
	if !ok {
		return nil, rerr.NotFloat
	}
	sum, ok := addLongDouble(a, b)
	if !ok {
		return nil, rerr.NaNResult
	}
	return formatLongDouble(sum), nil
}
