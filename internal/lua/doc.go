// Package lua is moonkv's own Lua 5.1 engine, written in pure Go for
// running Redis scripts (EVAL, FUNCTION). It aims to behave like the
// C Lua 5.1 that Redis embeds, as Debian's lua5.1 does: the same number
// formatting ("%.14g"), the same error messages with "chunk:line:"
// prefixes, the same pairs() order for the same table operations, and
// the same table.sort and pattern-matching behaviour.
//
// # Embedding
//
//	L := lua.NewState(lua.Options{MemoryLimit: 64 << 20, Hook: checkBusy})
//	L.OpenRedisLibs()                        // cjson, cmsgpack, bit, struct
//	redis := L.RegisterLib("redis", map[string]lua.GoFunction{"call": call})
//	L.Globals().SetReadOnly(true)            // scripts cannot add globals
//	c, err := L.Load(src, "@user_script")    // errors read "user_script:3: ..."
//	keys := L.NewTable(len(k), 0)            // fill with keys.SetInt(i, lua.String(s))
//	L.SetGlobal("KEYS", lua.TableValue(keys))
//	res, err := L.Run(c)                     // res is reused by the next call
//
// A native is func(L *State, args []Value) []Value: args alias the Lua
// stack; return L.Ret1(v) / L.Ret(a, b) to avoid allocating, and raise
// errors with L.Errorf / L.ArgError / L.RaiseError, which panic with an
// *Error that the VM, pcall and Call understand. Values convert with
// Number, String, Bool, TableValue and the As* accessors; tables offer
// Get/Set/GetStr/SetStr/GetInt/SetInt, Len, Next and ForEach. Call and
// Run return *Error for script errors and *InternalError if a native or
// the engine panicked. After a run, CloseCoroutines releases goroutines
// of coroutines the script left suspended.
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
// functions and userdata are pointers. NaN-boxing was not used: hiding
// pointers inside float bits would make them invisible to Go's garbage
// collector, while three words still travel in registers through the
// closure calls. Natives receive their arguments
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
// calls, "stack overflow"), MemoryLimit, and Hook, called every
// HookEvery loop iterations and calls, whose error aborts the script.
// Budget and hook errors cannot be caught by pcall.
//
// MemoryLimit bounds what a script keeps, not what it allocates over its
// life (memwalk.go): allocations of tables, strings, closures and
// coroutines are charged as they happen, and when the count passes the
// limit the engine measures what is still reachable from its roots (a
// mark phase over globals, registry, stacks, frames, coroutines); only
// if that plus the allocation being made exceeds the limit does the
// script fail with "not enough memory", before allocating. Natives that
// build results in Go buffers (gsub, table.concat, cjson, cmsgpack)
// check the buffer's growth against the budget as they go, and
// loadstring charges a source's compiled size before parsing it. After a
// call that allocated much, the stack slots and frames it left behind
// are cleared so that its garbage is Go's to collect. C-level recursion
// (natives and metamethods calling Lua, pcall, coroutine resumes) stops
// at LUAI_MAXCCALLS (200, counting the host's call) as in C Lua. Only the libraries Redis exposes exist: base, string,
// table, math and os.clock; there is no io, no file loading, no
// require, no string.dump, and loadstring refuses bytecode.
//
// # Differences from C Lua 5.1
//
// Documented deviations: os.clock measures wall time since the State
// was created; collectgarbage and gcinfo report the memory budget's
// count rather than a real heap size, and there is no garbage
// collector to turn deleted string keys into "dead" keys, so after C
// Lua would have run a collection, re-inserting a deleted string key can
// land in a different slot (order tests run lua5.1 with
// collectgarbage("stop") to compare like with like); debug tracebacks,
// the debug library, newproxy and string.dump do not exist; the C-level
// recursion limit ("C stack overflow") counts natives and metamethods
// the same way but not parser nesting; left-associative chains longer
// than 200000 operators or suffixes (a+a+..., t.a.a...) are rejected as
// "chunk has too many syntax levels" because they become deep trees
// here; a Lua call level costs about 1 KB of goroutine stack.
package lua
