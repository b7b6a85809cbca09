// Package memory is the MEMORY command: USAGE, STATS, DOCTOR, PURGE,
// MALLOC-STATS and HELP.
//
// STATS and DOCTOR report Redis's fields and findings computed from Go's
// own figures (server.MemOverhead explains each mapping: Go's heap plays
// jemalloc's part, the process RSS is read as Redis reads it).
//
// MEMORY USAGE reports what Redis would use for a key, not what moonkv's
// Go heap holds: the value's estimate (keyspace.Object.MemUsage for
// aggregates, the robj/sds layout for strings) plus the key's sds and its
// dict entry, with allocations rounded to jemalloc's size classes as
// zmalloc_size reports them. For strings and small compact values the
// figures are Redis's exactly; for large tables they are estimates, as
// Redis's own are (it samples).
package memory
