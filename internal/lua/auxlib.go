package lua

import (
	"fmt"
	"math"
)

// Argument checking for natives, with Lua 5.1's messages.

func (L *State) nativeName() string {
	if L.nn || L.native == nil {
		return "?"
	}
	return L.native.name
}

// ArgError raises "bad argument #i to 'name' (msg)".
func (L *State) ArgError(i int, msg string) {
	name := L.nativeName()
	if !L.nn && L.depth > 0 && L.frames[L.depth].line < 0 {
		// Called as a method: Lua does not count self.
		i--
		if i == 0 {
			L.Errorf("calling '%s' on bad self (%s)", name, msg)
		}
	}
	L.Errorf("bad argument #%d to '%s' (%s)", i, name, msg)
}

func typeNameOf(args []Value, i int) string {
	if i > len(args) {
		return "no value"
	}
	return args[i-1].t.String()
}

// TypeError raises "bad argument #i to 'name' (T expected, got U)".
func (L *State) TypeError(args []Value, i int, want string) {
	L.ArgError(i, fmt.Sprintf("%s expected, got %s", want, typeNameOf(args, i)))
}

func arg(args []Value, i int) Value {
	if i > len(args) {
		return Nil
	}
	return args[i-1]
}

// CheckNumber returns argument i (1-based) as a number.
func (L *State) CheckNumber(args []Value, i int) float64 {
	v := arg(args, i)
	if v.t == TypeNumber {
		return v.n
	}
	if n, ok := toNumber(v); ok {
		return n
	}
	L.TypeError(args, i, "number")
	return 0
}

// CheckInt returns argument i truncated to an integer like luaL_checkint.
func (L *State) CheckInt(args []Value, i int) int {
	return numToInt(L.CheckNumber(args, i))
}

func numToInt(f float64) int {
	if f != f || f > math.MaxInt64 || f < math.MinInt64 {
		return math.MinInt64
	}
	return int(f)
}

// OptInt returns argument i as an integer, or def if absent or nil.
func (L *State) OptInt(args []Value, i int, def int) int {
	if arg(args, i).t == TypeNil {
		return def
	}
	return L.CheckInt(args, i)
}

// OptNumber returns argument i as a number, or def if absent or nil.
func (L *State) OptNumber(args []Value, i int, def float64) float64 {
	if arg(args, i).t == TypeNil {
		return def
	}
	return L.CheckNumber(args, i)
}

// CheckString returns argument i as a string (numbers are converted).
func (L *State) CheckString(args []Value, i int) string {
	v := arg(args, i)
	if v.t == TypeString {
		return v.str()
	}
	if v.t == TypeNumber {
		return formatNumber(v.n)
	}
	L.TypeError(args, i, "string")
	return ""
}

// OptString returns argument i as a string, or def if absent or nil.
func (L *State) OptString(args []Value, i int, def string) string {
	if arg(args, i).t == TypeNil {
		return def
	}
	return L.CheckString(args, i)
}

// CheckTable returns argument i as a table.
func (L *State) CheckTable(args []Value, i int) *Table {
	v := arg(args, i)
	if v.t != TypeTable {
		L.TypeError(args, i, "table")
	}
	return v.tab()
}

// CheckAny requires argument i to be present.
func (L *State) CheckAny(args []Value, i int) Value {
	if i > len(args) {
		L.ArgError(i, "value expected")
	}
	return args[i-1]
}

// Where returns the "chunk:line:" position of the function at the given
// call-stack level (1 = the Lua function that called the running
// native), or "" when that level is not Lua code. Natives use it to
// build messages such as Redis's "... script: ..., on @user_script:1.".
func (L *State) Where(level int) string { return L.where(level) }

// Invoke calls fn from inside a native like lua_call: errors propagate
// to the native's caller (use Call for a protected call). The results
// are valid until the next call.
func (L *State) Invoke(fn Value, args ...Value) []Value {
	base := L.top
	for _, a := range args {
		L.push(a)
	}
	r := L.callNested(fn, base, len(args))
	L.top = base
	return r
}

// RawEqual is Lua's primitive equality, without __eq.
func RawEqual(a, b Value) bool { return rawEqual(a, b) }

// IsNative reports whether f is a Go function.
func (f *Function) IsNative() bool { return f.native != nil }

// Metatable returns u's metatable or nil.
func (u *Userdata) Metatable() *Table { return u.meta }

// SetMetatable sets u's metatable (scripts cannot).
func (u *Userdata) SetMetatable(m *Table) { u.meta = m }
