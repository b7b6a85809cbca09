// Package debug is the DEBUG command: the subcommands of Redis 7.0's
// DEBUG that have a meaning in moonkv, with Redis's replies and errors.
//
// DEBUG is refused unless enable-debug-command allows it (the server
// checks that before the handler runs, as Redis's processCommand does).
//
// Served: HELP, RELOAD [MERGE] [NOFLUSH] [NOSAVE], LOADAOF, DIGEST,
// DIGEST-VALUE, OBJECT, POPULATE, PROTOCOL, ERROR, LOG, SLEEP,
// SET-ACTIVE-EXPIRE, PAUSE-CRON and STRINGMATCH-TEST.
//
// Not served, because what they act on does not exist in moonkv:
// LISTPACK, QUICKLIST, SDSLEN, STRUCTSIZE, HTSTATS, HTSTATS-KEY (dumps of
// C structures), MALLCTL, MALLCTL-STR (jemalloc), LEAK, OOM (C
// allocation), CHANGE-REPL-ID, REPLICATE, DROP-CLUSTER-PACKET-FILTER,
// CLUSTERLINK (replication and cluster), REPLYBUFFER, CLIENT-EVICTION
// (reply-buffer and client-eviction machinery), QUICKLIST-PACKED-THRESHOLD
// (moonkv's lists have no plain nodes), SET-SKIP-CHECKSUM-VALIDATION,
// AOF-FLUSH-SLEEP, SET-DISABLE-DENY-SCRIPTS, CONFIG-REWRITE-FORCE-ALL,
// RESTART and CRASH-AND-RECOVER; nor SEGFAULT, PANIC and ASSERT: moonkv is
// also embedded in other programs (moonkv.Start), where crashing the host
// process on a client's command would be wrong, and a crash is tested
// with SIGKILL instead.
//
// DIGEST and DIGEST-VALUE compute Redis's exact digest (SHA1 mixing of
// keys, types, elements and deadlines), so the same data gives the same
// hex string on moonkv and on Redis whatever the encodings. OBJECT's
// serializedlength is what Redis's rdbSavedObjectLen would count for the
// value in Redis's own encoding: listpack and intset blobs are rebuilt
// byte for byte and LZF-compressed as Redis's RDB writer would.
package debug
