// Package list is the Redis list value: a quicklist, a doubly linked list
// of compact nodes. Each node packs its elements into one byte buffer with
// an offset table, so a list costs a few bytes per element rather than a
// slice header and an allocation each, and pushes and pops at either end
// touch only the end node. Node size follows list-max-listpack-size: a
// positive value caps the elements per node, -1..-5 caps a node's bytes at
// 4, 8, 16, 32 or 64 KB.
//
// Redis 7.0 reports every list as "quicklist" (the single-listpack list
// encoding arrived in 7.2), so Encoding always says so.
//
// Iteration (for SORT, LRANGE and friends):
//
//	it := l.Iter(0, false) // from the head towards the tail
//	for v, ok := it.Next(); ok; v, ok = it.Next() { ... }
//
// Slices returned by Index, Iter and Range point into the list and are
// valid only until the list is next modified; Pop* return copies.
//
// A List is not safe for concurrent use.
package list
