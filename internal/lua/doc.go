// Package lua is moonkv's own Lua 5.1 engine, written in pure Go for
// running Redis scripts (EVAL, FUNCTION). It aims to behave like the
// C Lua 5.1 that Redis embeds, as Debian's lua5.1 does: the same number
// formatting ("%.14g"), the same error messages with "chunk:line:"
// prefixes, the same pairs() order for the same table operations, and
// the same table.sort and pattern-matching behaviour.
//
// # Design
//
// Source is parsed into a tree whose names are resolved to registers,
// upvalues or globals, then compiled into a tree of Go closures (see
// compile.go for why closures rather than a bytecode loop). Each Lua
// call gets a window of registers on the thread's value stack; locals
// captured by inner functions live in heap boxes so closures share them.
// Tail calls reuse the caller's frame, so unbounded tail recursion runs
// in constant space.
//
// # Values
//
// A Value is three words {pointer, float64, type tag}. Numbers,
// booleans and nil never allocate; a string keeps its bytes pointer and
// length, so Go strings convert to Values without copying. Tables,
// functions and userdata are pointers. Natives receive their arguments
// as a slice of the caller's stack and return results in a reused
// buffer, so calling one allocates nothing.
//
// Tables (table.go) reproduce Lua 5.1's ltable.c layout: an array part
// and a hash part of 2^k nodes with chaining through a free pointer,
// sized and rehashed the same way, with Lua 5.1's hashes for numbers,
// strings and booleans. Keys that are tables or functions hash by
// address, so only their iteration order can differ from C Lua.
//
// # Concurrency
//
// A State (and its coroutines) is not safe for concurrent use. Use one
// State per goroutine, or serialise access. Separate States share
// nothing and may run in parallel.
//
// # Limits
//
// Options bound what a script can do to its host: MaxCallDepth (nested
// calls, "stack overflow"), MemoryLimit (approximate bytes charged for
// tables, strings and closures; exceeding it fails with "not enough
// memory"), and Hook, called every HookEvery loop iterations and calls,
// whose error aborts the script. Budget and hook errors cannot be caught
// by pcall. Only the libraries Redis exposes exist: base, string,
// table, math and os.clock; there is no io, no file loading, no
// require, no string.dump, and loadstring refuses bytecode.
//
// # Differences from C Lua 5.1
//
// Documented deviations: os.clock measures wall time since the State
// was created; collectgarbage and gcinfo report the memory budget's
// count rather than a real heap size; error levels count natives that
// call back into Lua (pcall, sort, gsub) like C Lua, but debug
// tracebacks are not produced.
package lua
