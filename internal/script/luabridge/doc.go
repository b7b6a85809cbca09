// Package luabridge runs scripts on gopher-lua: the sandboxed Lua state
// Redis 7.0 gives scripts (base, table, string, math, coroutine; no io, os,
// print, require...), globals protection, the redis.* library, and the
// conversions between Lua values and replies. It is the only package that
// imports a Lua engine: it implements script.VM, and moving to another
// engine means replacing this package.
//
// One Lua state serves every script of a server, as in Redis. A script is
// compiled once into a function kept under the name f_<sha>; KEYS and
// ARGV are two tables refilled, not rebuilt, for each call. redis.call
// runs commands without a RESP round trip: the command replies into a
// Replier that builds the Lua value directly.
//
// Known differences from Redis's Lua 5.1 (gopher-lua's own): the
// concatenation operator formats non-integral numbers with Go's shortest
// representation instead of "%.14g" (tostring and string.format("%s") are
// fixed here); compile error texts after "user_script:N:" are gopher-lua's;
// some runtime error texts are rewritten to C Lua's words (arithmetic,
// index and call on nil) without the variable names C Lua adds; "goto" is
// a reserved word; string.dump is missing; map and set replies built from
// Lua tables iterate in gopher-lua's order.
package luabridge
