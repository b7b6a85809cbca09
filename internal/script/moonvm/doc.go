// Package moonvm runs scripts on moonkv's own Lua 5.1 engine
// (internal/lua). It implements script.VM with the behaviour of Redis
// 7.0's scripting: the sandboxed globals (read-only, and reading an
// undefined global fails), the redis.* library, Redis's pcall, math.random
// as Redis's lrand48 sequence, the conversions between Lua values and
// replies in RESP2 and RESP3, and errors worded as Redis words them
// ("ERR user_script:1: ... script: <sha>, on @user_script:1.").
//
// One Lua state serves every script of a server, as in Redis; SCRIPT
// FLUSH starts a fresh one. A script is compiled once into a Chunk kept
// on its *script.Script; KEYS and ARGV are two tables refilled in place
// for each call. redis.call runs commands without a RESP round trip: the
// command replies into a builder (a resp.Replier) that makes the Lua
// value directly.
//
// Most of what a bridge to another engine must correct (number
// formatting, C Lua's error texts and variable names, read-only tables,
// pairs() order, cjson/cmsgpack/bit/struct) is internal/lua's own
// behaviour, so this package only wires the engine to the server.
// Where Redis's Lua error handler asks debug.getinfo where an error
// happened, moonvm asks lua.Error.Where.
//
// Function libraries (FUNCTION LOAD, FCALL) run in a second VM of their
// own, made on first use and replaced by FUNCTION FLUSH, never touched by
// SCRIPT FLUSH (function.go). Its globals have no KEYS, ARGV or error
// handler; a library's code runs against an empty read-only globals table
// whose reads go, while the library loads, to the load-time API only
// (redis.register_function, redis.log, LOG_*, REDIS_VERSION[_NUM]) and,
// when a function runs, to the sandbox's globals. A function's callback
// gets fresh keys and args tables at each call.
//
// Known differences from Redis 7.0.15: string.dump always fails ("unable
// to dump given function": there is no Lua 5.1 bytecode to produce);
// tables keyed by tables or functions iterate in address order, so map
// and set replies built from them may come out in another order;
// collectgarbage("count") reports the engine's memory count. Two
// functions of one library whose names differ only in case, which crash
// redis-server 7.0.15, fail the load ("Function already exists in the
// library"). FUNCTION LIST lists libraries in name order and functions in
// registration order, FUNCTION DUMP and snapshots in name order, where
// Redis uses its hash tables' order. A script
// raising a table without a string or number err field, which crashes
// redis-server 7.0.15, fails with "ERR unknown error" (no metamethod of
// the object runs).
//
// Hostile scripts (test/hostile, hostile.go): the globals, every table
// reachable from them, their metatables and the metatable strings share
// are read-only. What one script keeps reachable is bounded by
// MemoryLimit (512 MiB; Redis has no bound): past it the script fails
// with "ERR not enough memory", which pcall cannot catch. A reply built
// from tables is cut at Redis's Lua stack limit (8000 slots: the same
// nesting depths as Redis) and, since shared tables can describe a reply
// of unbounded size, after about 1 GB, where the values still to come
// become "ERR script reply too large" inside a well-formed reply.
package moonvm
