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
// Known differences from Redis 7.0.15: string.dump always fails ("unable
// to dump given function": there is no Lua 5.1 bytecode to produce);
// tables keyed by tables or functions iterate in address order, so map
// and set replies built from them may come out in another order;
// collectgarbage("count") reports the engine's memory count. A script
// raising a table without an err field, which crashes redis-server
// 7.0.15, fails with "ERR unknown error".
package moonvm
