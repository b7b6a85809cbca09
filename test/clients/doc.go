// Package clients drives moonkv with real client libraries, the way
// applications will: go-redis v9 (its HELLO 3 / CLIENT SETINFO handshake,
// pipelines, MULTI/EXEC, WATCH-based optimistic locking under contention,
// scripts through EVALSHA with the NOSCRIPT fallback to EVAL, expiry).
//
// The same test body runs against moonkv (in-process) and, with
// MOONKV_ORACLE=live or CI=true, against a live redis-server; each run
// writes a transcript of what the client saw, and the transcripts must be
// equal. The transcript from redis-server 7.0.15 is recorded in
// testdata/*.golden (MOONKV_RECORD=1 re-records it), so the comparison also
// runs without Redis.
package clients
