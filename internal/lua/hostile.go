package lua

// StringMetatable returns the metatable every string shares (its
// __index is the string library). Hosts that sandbox scripts make it
// read-only: a script that could change it would run its own code inside
// every later script's s:len() (CVE-2025-46818 in Redis).
func (L *State) StringMetatable() *Table { return L.g.stringMeta }

// cInt converts a number as C Lua 5.1's luaL_checkint does on amd64:
// lua_Integer (a 64-bit truncation, the minimum when out of range or
// NaN), then a cast to a 32-bit int that keeps the low 32 bits.
func cInt(f float64) int { return int(int32(numToInt(f))) }

// checkCInt is luaL_checkint: argument i as C's int.
func (L *State) checkCInt(args []Value, i int) int { return cInt(L.CheckNumber(args, i)) }

// optCInt is luaL_optint.
func (L *State) optCInt(args []Value, i int, def int) int {
	if arg(args, i).t == TypeNil {
		return def
	}
	return L.checkCInt(args, i)
}

// SetMemoryLimit changes Options.MemoryLimit (0 removes the budget).
func (L *State) SetMemoryLimit(n int64) {
	L.g.memLimit = n
	L.g.memNext = max(n, L.g.memUsed)
}

// maxCCalls is LUAI_MAXCCALLS: nested calls made from natives (pcall,
// metamethods, sort comparators, coroutine resumes) stop there with "C
// stack overflow".
const maxCCalls = 200

// hostCCalls is the C-call level a script starts at: the host's
// lua_pcall of the main chunk (Redis's, or lua.c's) counts as one.
const hostCCalls = 1

// PCall is the base library's pcall, for hosts that wrap pcall (Redis's
// pcall turns {err=...} tables into strings) without adding a C-call
// level of their own, so that pcall chains nest as deep as in Redis.
func (L *State) PCall(args []Value) []Value { return basePcall(L, args) }

// Reserve checks, without counting them as kept, that n more bytes of a
// buffer a host native is building for the script (and will hand over
// as a string or drop) fit in the memory budget; a buffer that would
// outgrow it fails the script as Charge does.
func (L *State) Reserve(n int64) { L.g.reserve(n) }

// NewTableUncharged makes a table like NewTable without charging it to
// the memory budget now: for hosts that build values inside code a
// budget error must not interrupt (a command writing its reply), and
// charge TableCost afterwards. Its later growth is charged as usual.
func (L *State) NewTableUncharged(narray, nhash int) *Table {
	t := NewTable(narray, nhash)
	t.g = L.g
	return t
}

// TableCost is what NewTable charges for a table of that size.
func TableCost(narray, nhash int) int64 { return int64(72 + 24*narray + 48*nhash) }
