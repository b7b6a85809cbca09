// Package hostile sends hostile Lua scripts to an embedded moonkv over
// RESP and checks the exact reply, then that the server still answers
// PING, that no key changed (a canary key and DBSIZE), and that another
// client's benign script still sees the real string library, globals,
// cjson and unpack.
//
// Replies are Redis 7.0.15's wherever Redis survives the script: they are
// recorded in testdata/redis.golden (MOONKV_RECORD=1 re-records them from
// redis-server; MOONKV_ORACLE=live also runs every script against a live
// redis-server and checks it too is unharmed). Where Redis crashes or
// would exhaust the machine, the test states moonkv's own reply.
//
// What each test guards against:
//
//   - TestCVE_2022_24735_24736_GlobalsTampering: replacing redis.call,
//     library functions or globals, rawset on library tables and _G,
//     setmetatable on _G or its metatable, loadstring tricks, table.* on
//     library tables; and that os, io, require, loadfile, dofile, debug,
//     print, getfenv and bytecode loading are absent.
//   - TestCVE_2025_46818_BasicTypeMetatables: changing the metatable all
//     strings share (its __index, __add, the string library through it),
//     so that s:len() in another client's script would run the attacker's
//     code.
//   - TestCVE_2022_24834_CjsonCmsgpack: cjson and cmsgpack with deep
//     nesting, cycles, huge lengths in headers, offsets and limits at the
//     edges of C's int, option values that wrap, and a sparse array of
//     2^31-1 elements (which Redis would encode until out of memory).
//   - TestCVE_2020_14147_Struct: struct.pack/unpack/size with sizes,
//     alignments, repeat counts and offsets that overflow.
//   - TestCVE_2024_31449_BitTohex: bit.tohex with -2^31 and other extreme
//     digit counts.
//   - TestCVE_2025_46817_Unpack: unpack with ranges near and past C's
//     int limits.
//   - TestCVE_2024_46981_GCDuringScriptFlush: SCRIPT FLUSH (SYNC and
//     ASYNC) in a loop while four clients run scripts that make garbage,
//     closures and suspended coroutines (run it with -race).
//   - TestCVE_2025_49844_Parser: loadstring and load of generated sources
//     while collectgarbage runs, the parser's limits and errors.
//   - TestRESPInjection: CR and LF in error_reply, status_reply, {err=},
//     {ok=}, error(), big numbers, verbatim strings and map keys cannot
//     inject protocol.
//   - TestErrorObjects: error({}), error({1,2}), error({err={}}),
//     error({err=true}) and error objects with __tostring or __index,
//     which crash Redis 7.0.15, answer "ERR unknown error" with the
//     script's position (no metamethod of the object runs); scalars and
//     {err=<number>} answer as Redis does.
//   - TestDeepRecursion: Lua recursion, pcall chains, metamethod chains,
//     coroutine nesting, gsub and sort callbacks, pattern captures and
//     backtracking, deeply nested replies (Redis's 8000-slot Lua stack
//     limit, matched exactly), deeply nested sources.
//   - TestFormatAndNumbers: string.format with huge widths and
//     precisions, %c and %s with NUL, tostring and replies of extreme
//     numbers, string.rep/sub/byte/char with out-of-range arguments.
//   - TestMemoryBudget: one script may not take the server down with
//     memory. What a script keeps reachable is bounded (512 MiB,
//     moonvm.MemoryLimit): 2 GB attempts fail at once, growing tables,
//     strings, buffers (gsub, table.concat, cjson, cmsgpack, load),
//     coroutines and closures fail with "ERR not enough memory" (which
//     pcall cannot catch), garbage does not count, and the live heap
//     returns to where it was afterwards.
//   - TestInfiniteLoopKill: endless loops in Lua, under pcall, in
//     natives, patterns, sort comparators, metamethods, coroutines and
//     load readers get -BUSY to other clients after busy-reply-threshold
//     and stop on SCRIPT KILL.
package hostile
