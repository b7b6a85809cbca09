// Package hash is the value behind a Redis hash: a map of field to value
// with Redis 7.0's two encodings.
//
// Small hashes are "listpack": one flat byte slice holding field, value,
// field, value... each prefixed by its length as a uvarint. It costs a few
// bytes per pair instead of a map entry and two slice headers, keeps the
// insertion order Redis's listpack has (HGETALL of a small hash matches
// Redis byte for byte), and is searched linearly, which is what Redis does
// too and is fast at these sizes. A hash that grows past the limits
// (hash-max-listpack-entries pairs, or a field or value longer than
// hash-max-listpack-value) converts once, for good, to "hashtable": a
// dict.Dict, which gives HSCAN Redis's cursor guarantees and HRANDFIELD an
// O(1) random pick.
//
// The package knows no protocol: commands live in internal/commands/hashes.
package hash
