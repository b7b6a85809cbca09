package resp

// Replier receives one reply. Aggregates are written as a header (ArrayLen,
// MapLen, SetLen) followed by exactly that many elements (twice as many for a
// map: key, value, key, value...).
//
// Methods mirror RESP3's types; the Writer degrades them to RESP2 the way
// Redis does (maps become flat arrays, doubles become bulk strings, booleans
// become integers, nulls become $-1 or *-1).
type Replier interface {
	// Proto is 2 or 3: the protocol the reply will be rendered in. Handlers
	// only need it where Redis itself replies differently per protocol in a
	// way the methods below cannot express.
	Proto() int

	Simple(s string)
	// Error writes an error reply; s is the full text without a leading '-',
	// beginning with its code ("ERR ...", "WRONGTYPE ...").
	Error(s string)
	Int(n int64)
	Bulk(b []byte)
	BulkString(s string)
	// Null is the null bulk string (RESP2 "$-1", RESP3 "_").
	Null()
	// NullArray is the null array (RESP2 "*-1", RESP3 "_").
	NullArray()
	ArrayLen(n int)
	MapLen(n int)
	SetLen(n int)
	// Double is a RESP3 double; in RESP2 it is a bulk string formatted as
	// Redis formats doubles (%.17g, "inf", "-inf").
	Double(f float64)
	// Bool is a RESP3 boolean; in RESP2 it is the integer 1 or 0.
	Bool(b bool)
	// Verbatim is a RESP3 verbatim string with a three-letter format
	// ("txt", "mkd"); in RESP2 it is a bulk string.
	Verbatim(format string, s string)
	// BigNumber is a RESP3 big number given as decimal digits; in RESP2 it is
	// a bulk string.
	BigNumber(digits string)
}
