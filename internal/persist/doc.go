// Package persist keeps moonkv's data on disk: the append-only file (AOF)
// in Redis 7.0's multi-part layout, and (later) RDB snapshots.
//
// # AOF
//
// The server hands the AOF each execution unit's effects (never the
// commands as sent: relative expiries are already absolute, and a
// script's or a MULTI's effects arrive wrapped in MULTI/EXEC), encoded as
// RESP commands with a SELECT whenever the database changes. Append only
// copies bytes into a pending buffer, under the execution lock; the bytes
// reach the file when a client is about to be answered:
//
//   - appendfsync always: the client waits, before its reply is written,
//     until the file is fsynced past its unit;
//   - everysec and no: the client waits until the bytes are written to the
//     file (so a killed process loses nothing acknowledged), and a
//     background task fsyncs once a second (everysec) or never (no).
//
// Group commit. Whichever waiting client finds no write in progress
// becomes the leader: it takes everything pending, writes (and fsyncs) it
// in one go, and wakes the others; bytes appended meanwhile go out with the
// next leader. Many clients under "always" thus share one fsync; a leader
// under "always" first waits (briefly, bounded by the last fsync's time)
// for the clients the previous fsync answered, so that they do not form
// a second cohort taking turns with the first (gather.go).
//
// Layout (as Redis 7.0): dir/<appenddirname>/ holds a manifest naming a
// base file and incremental files; loading replays the base, then the
// incremental files in order. A torn tail — a crash in the middle of a
// write — is cut back to the last complete command (and an unfinished
// MULTI is dropped whole) when aof-load-truncated is on, with a log line;
// corruption anywhere else stops the start with a clear error.
//
// # Function libraries
//
// Snapshots (and so AOF bases) hold the function libraries as Redis 7.0
// writes them: RDB_OPCODE_FUNCTION2 and the library's code, before the
// keys. LoadRDB returns the codes (RDBLoadStats.Functions) for the server
// to load; FunctionDump and ParseFunctionDump are FUNCTION DUMP's and
// FUNCTION RESTORE's payload (functions.go).
//
// # Concurrency
//
// AOF.mu guards the pending buffer and the offsets. Append is called with
// the server's execution lock held; Wait and the fsync task never need it.
package persist
