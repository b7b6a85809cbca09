// Package hashes is the hash command family: HSET, HSETNX, HMSET, HGET,
// HMGET, HGETALL, HKEYS, HVALS, HDEL, HLEN, HEXISTS, HSTRLEN, HINCRBY,
// HINCRBYFLOAT, HRANDFIELD and HSCAN, over the values of
// internal/types/hash.
//
// Each handler parses its arguments, runs an op function on the keyspace
// and turns the result into a reply. Writes create a key with db.Set,
// announce in-place changes with db.Modified, and delete a hash whose last
// field went away. HINCRBYFLOAT computes in long double, as Redis does, and
// propagates the result as an HSET.
package hashes
