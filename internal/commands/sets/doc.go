// Package sets is the set command family: SADD, SREM, SMOVE, SISMEMBER,
// SMISMEMBER, SMEMBERS, SCARD, SPOP, SRANDMEMBER, SINTER, SINTERCARD,
// SINTERSTORE, SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE and SSCAN, over the
// values of internal/types/set.
//
// It also holds the cursor and option parsing the HSCAN/SSCAN/ZSCAN
// family shares (ParseCursor, ParseScanOpts, ReplyScan).
//
// Results of unions and differences are built as fresh sets, as Redis
// builds them, so a result made only of integers is an intset and comes
// back in numeric order exactly as Redis sends it. SPOP propagates what it
// did: one SREM per popped member, or a DEL when it emptied the set.
package sets
