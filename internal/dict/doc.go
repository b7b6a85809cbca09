// Package dict is the hash table behind the keyspace and the large hashes,
// sets and sorted sets.
//
// Go's map cannot do three things Redis users rely on: SCAN with a cursor
// that survives resizes and guarantees that every element present for the
// whole iteration is returned, picking a random element cheaply (RANDOMKEY,
// SPOP, eviction and active-expiry sampling), and rehashing incrementally so
// that growing a table of millions of keys never stalls every client at
// once. Dict does all three the way Redis's dict.c does: power-of-two
// bucket arrays with chaining, two tables while a rehash is in progress,
// one bucket moved per operation, and a reverse-binary cursor for Scan.
//
// A Dict is not safe for concurrent use; the keyspace's owner serialises
// access.
package dict
