// Package strs is the string family: GET, SET and its options, counters,
// ranges, and the bit operations (SETBIT, BITCOUNT, BITFIELD...), which
// Redis also keeps on string values. It answers as Redis 7.0.15 does, down
// to the order in which arguments, keys and types are checked.
//
// Files: specs.go (the command table), strings.go (GET, MGET, MSET,
// APPEND...), set.go (SET's option parser, shared with GETEX), counters.go
// and longdouble.go (INCRBYFLOAT's x87 long double arithmetic and
// formatting), ranges.go, bits.go, bitfield.go, lcs.go.
//
// Values. A string is the []byte in keyspace.Entry.Str. Stored values are
// copies of the arguments (which point into a reused read buffer). A
// buffer may be changed in place only while Entry.RawStr is set: the
// in-place commands (APPEND, SETRANGE, SETBIT, BITFIELD) first copy any
// other value into a buffer of their own, as Redis unshares an embstr or
// shared integer before changing it, and RawStr also makes OBJECT ENCODING
// report "raw" as Redis does. Nothing else may keep a reference to a
// stored buffer.
//
// Effects. Relative expiries reach the AOF as absolute ones (SET ... PXAT,
// PEXPIREAT), INCRBYFLOAT as SET ... KEEPTTL, GETDEL and GETEX's past
// deadlines as DEL; commands that end up changing nothing propagate
// nothing (Ctx.NoPropagate), including SETBIT and BITFIELD writes that
// leave every bit as it was.
package strs
