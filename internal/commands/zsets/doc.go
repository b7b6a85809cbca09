// Package zsets is the sorted set family: ZADD and its flags, scores and
// ranks, the ZRANGE family (by rank, score or lex, reversed, limited,
// stored), removals by range, pops (ZPOPMIN/MAX, ZMPOP and the blocking
// BZPOPMIN/BZPOPMAX/BZMPOP), ZRANDMEMBER, the set algebra (ZUNION, ZINTER,
// ZDIFF, their STORE forms, ZINTERCARD; plain sets count as score 1) and
// ZSCAN.
//
// Values are internal/types/zset sets stored as keyspace.TypeZSet entries;
// a set emptied by a command is deleted. Scores are replied as Redis 7.0
// does: RESP2 bulk strings in "%.17g" form ("inf", "-inf"), RESP3 doubles.
package zsets
