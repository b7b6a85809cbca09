// Package script is moonkv's scripting core, independent of any Lua engine:
// the script cache (keyed by the SHA1 of the exact body), shebang flags,
// the run context of one EVAL, the checks redis.call makes before it runs a
// command (unknown command, arity, noscript, writes from read-only scripts,
// OOM), and busy-script handling (busy-reply-threshold, SCRIPT KILL).
//
// The engine itself is behind the VM interface; package moonvm implements
// it on moonkv's own Lua 5.1 engine (internal/lua). The first engine, a
// bridge to gopher-lua, was replaced through this interface alone.
//
// A script's commands run through server.Call with the caller's client
// but the script's own database (SELECT in a script does not change the
// caller's); their effects are wrapped in MULTI/EXEC for the AOF, and
// EVAL itself is not propagated.
//
// Beyond Redis 7.0 (evict.go, stats.go, keycheck.go, bodyscan.go): scripts
// that reached the cache only through EVAL are kept in an LRU list and
// evicted beyond EvalCacheMax (500, Redis 7.4's bound; INFO
// evicted_scripts), while SCRIPT LOAD-ed ones stay until SCRIPT FLUSH;
// every cached script counts its calls, errors and run times (a bounded
// log-linear histogram gives the p99) for SCRIPT STATS; and a script that
// touches keys it did not pass in KEYS is warned about once at load (keys
// written as literals in its body) and once at run time, and counted.
//
// # Concurrency
//
// Everything here runs under the server's execution lock, except Kill
// (SCRIPT KILL and SHUTDOWN NOSAVE while a script is busy) and the busy
// timer. Those two and the start and end of a run are ordered by
// Engine.busyMu; Kill sets flags the running script polls (the VM checks
// Run.Done at every instruction). Past busy-reply-threshold the timer
// calls Server.SetBusy(true), so waiting clients answer -BUSY at once
// (the timer is set once and, when it fires, checks the running script
// and sets itself again for what remains of that script's threshold);
// the end of the run calls SetBusy(false).
package script
