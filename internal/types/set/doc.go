// Package set is the value behind a Redis set, with Redis 7.0's two
// encodings.
//
// A set whose members are all integers (in Redis's strict decimal form)
// and that has at most set-max-intset-entries of them is an "intset": a
// sorted array at the narrowest width that holds every member (2, 4 or 8
// bytes a member, as Redis), searched by bisection, and
// iterated in numeric order as Redis's intset is (SMEMBERS of such a set
// matches Redis byte for byte). Adding a non-integer or growing past the
// limit converts it once, for good, to "hashtable", a dict.Dict, which gives
// SSCAN Redis's cursor guarantees and SPOP/SRANDMEMBER an O(1) random pick.
// (Redis 7.0 has no listpack sets; they came in 7.2.)
//
// The package knows no protocol: commands live in internal/commands/sets.
package set
