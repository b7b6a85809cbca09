// Package zset is the Redis sorted set value: members (byte strings) with
// float64 scores, ordered by score and then by member bytes.
//
// While small (at most zset-max-listpack-entries members, none longer than
// zset-max-listpack-value bytes) a set is a sorted array of pairs, the
// "listpack" encoding; past either threshold it becomes a "skiplist": a
// skiplist whose links carry spans, so that ranks are found in O(log N),
// plus a map from member to its node for O(1) scores. A set never converts
// back, as in Redis.
//
// Everything positional is expressed in ranks (0-based, ascending): a
// score or lex range is turned into a half-open span of ranks with
// ScoreSpan or LexSpan in O(log N), and a span is read with Iter or removed
// with DeleteSpan. Reading in reverse is iterating downwards.
//
// Iteration (for SORT, ZRANGE and friends):
//
//	it := z.Iter(0, false) // lowest score first
//	for p, ok := it.Next(); ok; p, ok = it.Next() { use(p.Member, p.Score) }
//
// A ZSet is not safe for concurrent use, and must not be modified while an
// Iter over it is in use.
package zset
