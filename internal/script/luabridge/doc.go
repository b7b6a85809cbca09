// Package luabridge runs scripts on gopher-lua: the sandboxed Lua state
// Redis 7.0 gives scripts (base, table, string, math, coroutine, and
// Redis's bit, cjson, cmsgpack and struct; no io, os, print, require...),
// globals protection, the redis.* library, and the conversions between
// Lua values and replies. It is the only package that imports a Lua
// engine: it implements script.VM, and moving to another engine means
// replacing this package; the scenarios under test/compat prove the move.
//
// One Lua state serves every script of a server, as in Redis. A script is
// compiled once into a function kept under its SHA1; KEYS and ARGV are two
// tables refilled, not rebuilt, for each call. redis.call runs commands
// without a RESP round trip: the command replies into a builder (a
// resp.Replier) that makes the Lua value directly.
//
// Where gopher-lua differs from Redis's C Lua 5.1 the bridge corrects it:
// tostring, string.format("%s") and concatenation format numbers with
// "%.14g" (concatenations are compiled into a call that does it);
// tonumber parses as strtod; math.random is Redis's lrand48 sequence;
// runtime errors are reworded as C Lua's, naming the variable ("local
// 'a'", "global 'x'", "field 'f'") from the failing instruction; the main
// chunk has no "arg" table; recursion may go as deep as LUAI_MAXCALLS;
// "goto" is an ordinary name (renamed before gopher-lua sees it);
// string.format is C Lua's str_format; math.huge is infinity;
// collectgarbage does not run the Go collector.
//
// Compile errors name what C Lua expected ('end', 'then', 'do', ',',
// '=', a closing bracket, '<name>', '<eof>'), found from the tokens before
// the error, since gopher-lua only says "syntax error".
//
// Known differences that remain: rarer compile errors say "unexpected
// symbol" where C Lua has its own words;
// a method named goto (obj:goto()) does not compile; string.dump does not produce Lua 5.1
// bytecode; tables iterate in gopher-lua's order, so map and set replies
// built from Lua tables, cjson objects and cmsgpack maps with several keys
// come out in another order than Redis's; getmetatable("").__index is
// the string library itself, not the read-only proxy scripts see.
package luabridge
