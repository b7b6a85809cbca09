package strs

import (
	"bytes"
	"math"
	"strconv"

	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
)

// SET and its relatives (SETNX, SETEX, PSETEX) and GETEX, which share
// Redis's option parser (parseExtendedStringArgumentsOrReply).

// setOpts are the options of SET and GETEX.
type setOpts uint16

const (
	optNX setOpts = 1 << iota
	optXX
	optGET
	optKEEPTTL
	optPERSIST
	optEX
	optPX
	optEXAT
	optPXAT

	optExpire = optEX | optPX | optEXAT | optPXAT
)

var (
	argPEXPIREAT = []byte("PEXPIREAT")
	argPERSIST   = []byte("PERSIST")
)

// word returns an option argument as Redis compares it: as a C string,
// ending at the first NUL byte.
func word(b []byte) []byte {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i]
	}
	return b
}

// parseSetOpts reads the options from args[from:]. forSet selects SET's
// options (NX, XX, GET, KEEPTTL) rather than GETEX's (PERSIST). It returns
// the options and the expire argument (nil without one); ok is false on a
// syntax error, including options that contradict each other. A repeated
// option is accepted, the last value winning, as in Redis.
func parseSetOpts(args [][]byte, from int, forSet bool) (opts setOpts, expire []byte, ok bool) {
	for j := from; j < len(args); j++ {
		opt := word(args[j])
		more := j < len(args)-1
		var f setOpts
		switch {
		case forSet && server.Is(opt, "nx") && opts&optXX == 0:
			f = optNX
		case forSet && server.Is(opt, "xx") && opts&optNX == 0:
			f = optXX
		case forSet && server.Is(opt, "get"):
			f = optGET
		case forSet && server.Is(opt, "keepttl") && opts&(optPERSIST|optExpire) == 0:
			f = optKEEPTTL
		case !forSet && server.Is(opt, "persist") && opts&(optExpire|optKEEPTTL) == 0:
			f = optPERSIST
		case server.Is(opt, "ex") && more && opts&(optKEEPTTL|optPERSIST|optExpire&^optEX) == 0:
			f = optEX
		case server.Is(opt, "px") && more && opts&(optKEEPTTL|optPERSIST|optExpire&^optPX) == 0:
			f = optPX
		case server.Is(opt, "exat") && more && opts&(optKEEPTTL|optPERSIST|optExpire&^optEXAT) == 0:
			f = optEXAT
		case server.Is(opt, "pxat") && more && opts&(optKEEPTTL|optPERSIST|optExpire&^optPXAT) == 0:
			f = optPXAT
		default:
			return 0, nil, false
		}
		opts |= f
		if f&optExpire != 0 {
			j++
			expire = args[j]
		}
	}
	return opts, expire, true
}

// expireAt turns an expire argument into an absolute deadline in Unix ms,
// replying the error when it is not a positive integer or the deadline
// overflows (Redis's getExpireMillisecondsOrReply).
func expireAt(c *server.Ctx, arg []byte, opts setOpts) (int64, bool) {
	ms, ok := c.Int(arg)
	if !ok {
		return 0, false
	}
	seconds := opts&(optEX|optEXAT) != 0
	if ms <= 0 || (seconds && ms > math.MaxInt64/1000) {
		c.Err(rerr.InvalidExpire(c.Spec.Name))
		return 0, false
	}
	if seconds {
		ms *= 1000
	}
	if opts&(optEX|optPX) != 0 {
		ms += c.Now() // wraps negative on overflow, caught below
	}
	if ms <= 0 {
		c.Err(rerr.InvalidExpire(c.Spec.Name))
		return 0, false
	}
	return ms, true
}

func cmdSet(c *server.Ctx) {
	opts, expire, ok := parseSetOpts(c.Args, 3, true)
	if !ok {
		c.Err(rerr.Syntax)
		return
	}
	setGeneric(c, opts, c.Args[1], c.Args[2], expire, false)
}

func cmdSetNX(c *server.Ctx) { setGeneric(c, optNX, c.Args[1], c.Args[2], nil, true) }

func cmdSetEX(c *server.Ctx) { setGeneric(c, optEX, c.Args[1], c.Args[3], c.Args[2], false) }

func cmdPSetEX(c *server.Ctx) { setGeneric(c, optPX, c.Args[1], c.Args[3], c.Args[2], false) }

// setGeneric stores val at key under the options, as Redis's
// setGenericCommand: the expire time is checked first, then GET's old
// value is read (and WRONGTYPE refuses the whole command), then NX/XX
// decide. intReply answers 1/0 (SETNX) instead of OK/null.
func setGeneric(c *server.Ctx, opts setOpts, key, val, expire []byte, intReply bool) {
	var at int64
	if expire != nil {
		var ok bool
		if at, ok = expireAt(c, expire, opts); !ok {
			return
		}
	}
	if opts&optGET != 0 {
		if _, ok := replyGet(c, key); !ok {
			return
		}
	}
	e := c.DB.Lookup(key)
	if (opts&optNX != 0 && e != nil) || (opts&optXX != 0 && e == nil) {
		switch {
		case opts&optGET != 0:
		case intReply:
			c.R.Int(0)
		default:
			c.R.Null()
		}
		c.NoPropagate()
		return
	}
	if e != nil {
		c.DB.OverwriteString(key, e, clone(val), at, opts&optKEEPTTL != 0)
	} else {
		c.DB.AddString(key, clone(val), at, false)
	}
	switch {
	case opts&optGET != 0:
	case intReply:
		c.R.Int(1)
	default:
		c.OK()
	}
	switch {
	case expire != nil:
		// Relative or not, the deadline reaches the AOF as an absolute
		// PXAT, and GET/KEEPTTL are dropped with the rest of the options.
		var buf [20]byte
		c.Propagate(argSET, key, val, argPXAT, strconv.AppendInt(buf[:0], at, 10))
	case opts&optGET != 0:
		propagateWithoutGet(c)
	}
}

// propagateWithoutGet propagates SET's arguments minus its GET options.
func propagateWithoutGet(c *server.Ctx) {
	args := make([][]byte, 0, len(c.Args))
	for j, a := range c.Args {
		if j >= 3 && server.Is(word(a), "get") {
			continue
		}
		args = append(args, a)
	}
	c.Propagate(args...)
}

func cmdGetEx(c *server.Ctx) {
	opts, expire, ok := parseSetOpts(c.Args, 2, false)
	if !ok {
		c.Err(rerr.Syntax)
		return
	}
	key := c.Args[1]
	e, err := readString(c.DB, key)
	if err != nil {
		c.Err(err)
		return
	}
	if e == nil {
		c.R.Null()
		c.NoPropagate()
		return
	}
	var at int64
	if expire != nil {
		if at, ok = expireAt(c, expire, opts); !ok {
			return
		}
	}
	c.R.Bulk(e.Str)
	switch {
	case opts&(optEXAT|optPXAT) != 0 && at <= c.Now():
		// An absolute deadline already passed deletes the key at once.
		c.DB.Delete(key)
		c.Propagate(argDEL, key)
	case expire != nil:
		c.DB.SetExpire(key, at)
		var buf [20]byte
		c.Propagate(argPEXPIREAT, key, strconv.AppendInt(buf[:0], at, 10))
	case opts&optPERSIST != 0 && c.DB.Persist(key):
		c.Propagate(argPERSIST, key)
	default:
		c.NoPropagate()
	}
}
