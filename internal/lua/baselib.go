package lua

import (
	"strings"
)

var nextFn, ipairsIter *Function

func init() {
	nextFn = &Function{native: baseNext, name: "next"}
	ipairsIter = &Function{native: ipairsAux, name: "ipairs_aux"}
}

func openBase(L *State) {
	g := L.g.globals
	g.SetStr("_G", TableValue(g))
	g.SetStr("_VERSION", String("Lua 5.1"))
	for name, f := range map[string]GoFunction{
		"assert": baseAssert, "error": baseError, "getmetatable": baseGetmetatable,
		"setmetatable": baseSetmetatable, "ipairs": baseIpairs, "pairs": basePairs,
		"pcall": basePcall, "xpcall": baseXpcall, "rawequal": baseRawequal,
		"rawget": baseRawget, "rawset": baseRawset, "select": baseSelect,
		"tonumber": baseTonumber, "tostring": baseTostring, "type": baseType,
		"unpack": baseUnpack, "loadstring": baseLoadstring, "gcinfo": baseGcinfo,
		"collectgarbage": baseCollectgarbage, "getfenv": baseGetfenv, "setfenv": baseSetfenv,
	} {
		L.Register(name, f)
	}
	// next and ipairs' iterator are package singletons (immutable, so
	// States may share them) that the generic for recognises to iterate
	// tables without calling them.
	g.SetStr("next", FunctionValue(nextFn))
}

func baseAssert(L *State, args []Value) []Value {
	if L.CheckAny(args, 1).isFalse() {
		L.Errorf("%s", L.OptString(args, 2, "assertion failed!"))
	}
	return args
}

func baseError(L *State, args []Value) []Value {
	level := L.OptInt(args, 2, 1)
	v := arg(args, 1)
	if (v.t == TypeString || v.t == TypeNumber) && level > 0 {
		// luaL_where + lua_concat: numbers become strings even when
		// there is no position to add.
		s, _ := toStringCoerce(v)
		if pos := L.where(level); pos != "" {
			s = pos + " " + s
		}
		v = String(s)
	}
	panic(&Error{Value: v})
}

func baseGetmetatable(L *State, args []Value) []Value {
	mt := L.metatable(L.CheckAny(args, 1))
	if mt == nil {
		return L.Ret1(Nil)
	}
	if p := mt.getStrH(evMeta.name, evMeta.h); p.t != TypeNil {
		return L.Ret1(p)
	}
	return L.Ret1(TableValue(mt))
}

func baseSetmetatable(L *State, args []Value) []Value {
	t := L.CheckTable(args, 1)
	m := arg(args, 2)
	if len(args) < 2 || (m.t != TypeNil && m.t != TypeTable) {
		L.ArgError(2, "nil or table expected")
	}
	if t.meta != nil && t.meta.getStrH(evMeta.name, evMeta.h).t != TypeNil {
		L.Errorf("cannot change a protected metatable")
	}
	if t.readonly {
		L.readonlyError("")
	}
	t.meta = m.AsTable()
	return L.Ret1(args[0])
}

func ipairsAux(L *State, args []Value) []Value {
	t := L.CheckTable(args, 1)
	i := L.CheckInt(args, 2) + 1
	v := t.GetInt(i)
	if v.t == TypeNil {
		return nil
	}
	return L.Ret(Number(float64(i)), v)
}

func baseIpairs(L *State, args []Value) []Value {
	L.CheckTable(args, 1)
	return L.Ret(FunctionValue(ipairsIter), args[0], Number(0))
}

func basePairs(L *State, args []Value) []Value {
	L.CheckTable(args, 1)
	return L.Ret(FunctionValue(nextFn), args[0], Nil)
}

func baseNext(L *State, args []Value) []Value {
	t := L.CheckTable(args, 1)
	k, v, ok := t.Next(arg(args, 2))
	if !ok {
		L.Errorf("invalid key to 'next'")
	}
	if k.t == TypeNil {
		return L.Ret1(Nil)
	}
	return L.Ret(k, v)
}

// protectedCall runs f(args) catching Lua errors (not fatal ones).
func (L *State) protectedCall(f Value, args []Value) (res []Value, err *Error) {
	top, depth, ncalls, nn, native := L.top, L.depth, L.ncalls, L.nn, L.native
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*Error)
			if !ok || e.fatal {
				panic(r)
			}
			L.top, L.depth, L.ncalls, L.nn, L.native = top, depth, ncalls, nn, native
			res, err = nil, e
		}
	}()
	base := L.top
	for _, a := range args {
		L.push(a)
	}
	r := L.callNested(f, base, len(args))
	L.top = base
	return r, nil
}

func basePcall(L *State, args []Value) []Value {
	f := L.CheckAny(args, 1)
	res, err := L.protectedCall(f, args[1:])
	if err != nil {
		return L.Ret(False, err.Value)
	}
	out := make([]Value, 1+len(res))
	out[0] = True
	copy(out[1:], res)
	return out
}

func baseXpcall(L *State, args []Value) []Value {
	L.CheckAny(args, 2)
	f, h := args[0], args[1]
	res, err := L.protectedCall(f, nil)
	if err != nil {
		hr, herr := L.protectedCall(h, []Value{err.Value})
		if herr != nil {
			return L.Ret(False, herr.Value)
		}
		return L.Ret(False, first(hr))
	}
	out := make([]Value, 1+len(res))
	out[0] = True
	copy(out[1:], res)
	return out
}

func baseRawequal(L *State, args []Value) []Value {
	L.CheckAny(args, 1)
	L.CheckAny(args, 2)
	return L.Ret1(Bool(rawEqual(args[0], args[1])))
}

func baseRawget(L *State, args []Value) []Value {
	t := L.CheckTable(args, 1)
	L.CheckAny(args, 2)
	return L.Ret1(t.Get(args[1]))
}

func baseRawset(L *State, args []Value) []Value {
	t := L.CheckTable(args, 1)
	L.CheckAny(args, 2)
	L.CheckAny(args, 3)
	L.rawSetChecked(t, args[1], args[2], "")
	return L.Ret1(args[0])
}

func baseSelect(L *State, args []Value) []Value {
	n := len(args)
	if a := arg(args, 1); a.t == TypeString && a.str() == "#" {
		return L.Ret1(Number(float64(n - 1)))
	}
	i := L.CheckInt(args, 1)
	if i < 0 {
		i = n + i
	} else if i > n {
		i = n
	}
	if i < 1 {
		L.ArgError(1, "index out of range")
	}
	return args[i:]
}

func baseTonumber(L *State, args []Value) []Value {
	base := L.OptInt(args, 2, 10)
	if base == 10 {
		v := L.CheckAny(args, 1)
		if n, ok := toNumber(v); ok {
			return L.Ret1(Number(n))
		}
		return L.Ret1(Nil)
	}
	s := L.CheckString(args, 1)
	if base < 2 || base > 36 {
		L.ArgError(2, "base out of range")
	}
	if n, ok := strToUlong(s, base); ok {
		return L.Ret1(Number(n))
	}
	return L.Ret1(Nil)
}

// strToUlong mimics strtoul as lua 5.1's tonumber(s, base) uses it.
func strToUlong(s string, base int) (float64, bool) {
	s = strings.TrimLeft(s, " \t\n\r\f\v")
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if base == 16 && len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	var n uint64
	i := 0
	over := false
	for i < len(s) {
		c := s[i]
		var d int
		switch {
		case c >= '0' && c <= '9':
			d = int(c - '0')
		case c >= 'a' && c <= 'z':
			d = int(c-'a') + 10
		case c >= 'A' && c <= 'Z':
			d = int(c-'A') + 10
		default:
			d = 99
		}
		if d >= base {
			break
		}
		nn := n*uint64(base) + uint64(d)
		if nn/uint64(base) != n {
			over = true
		}
		n = nn
		i++
	}
	if i == 0 {
		return 0, false
	}
	if strings.TrimRight(s[i:], " \t\n\r\f\v") != "" {
		return 0, false
	}
	if over {
		n = ^uint64(0)
	} else if neg {
		n = -n
	}
	return float64(n), true
}

func baseTostring(L *State, args []Value) []Value {
	v := L.CheckAny(args, 1)
	if tm := L.metaOf(v, evTostring); tm.t != TypeNil {
		return L.Ret1(first(L.callMeta2(tm, v, Nil)))
	}
	if v.t == TypeString {
		return L.Ret1(v)
	}
	return L.Ret1(String(v.String()))
}

func baseType(L *State, args []Value) []Value {
	v := L.CheckAny(args, 1)
	return L.Ret1(typeNameValues[v.t])
}

var typeNameValues = func() []Value {
	out := make([]Value, len(typeNames))
	for i, n := range typeNames {
		out[i] = String(n)
	}
	return out
}()

func baseUnpack(L *State, args []Value) []Value {
	t := L.CheckTable(args, 1)
	// C's int arguments, as luaL_optint/luaL_checkint read them: 2^53
	// becomes 0 and 2^31 becomes -2^31 (the low 32 bits).
	i := L.optCInt(args, 2, 1)
	var j int
	if arg(args, 3).t == TypeNil {
		j = int(int32(t.Len()))
	} else {
		j = L.checkCInt(args, 3)
	}
	if i > j {
		return nil
	}
	// The count is computed unsigned, as Redis's fix for CVE-2025-46817
	// does, so unpack({}, -2^31, 2^31-1) cannot wrap to a small number.
	n := uint64(uint32(j)-uint32(i)) + 1
	// lua_checkstack: the results and the arguments must fit in
	// LUAI_MAXCSTACK (8000) slots.
	if n >= 1<<31-1 || n > uint64(8000-len(args)) {
		L.Errorf("too many results to unpack")
	}
	out := make([]Value, n)
	for k := range out {
		out[k] = t.GetInt(i + k)
	}
	return out
}

func baseLoadstring(L *State, args []Value) []Value {
	s := L.CheckString(args, 1)
	name := L.OptString(args, 2, s)
	if len(s) > 0 && s[0] == 0x1b {
		return L.Ret(Nil, String("loadstring: bytecode chunks are not allowed"))
	}
	// Parsing a huge generated source (CVE-2025-49844's string.rep)
	// costs many times its length: count it before parsing.
	L.g.charge(compiledSize(s))
	c, err := L.Load(s, name)
	if err != nil {
		return L.Ret(Nil, String(err.Error()))
	}
	return L.Ret1(FunctionValue(c.fn))
}

func baseGcinfo(L *State, args []Value) []Value {
	return L.Ret1(Number(float64(L.g.memUsed / 1024)))
}

func baseCollectgarbage(L *State, args []Value) []Value {
	opt := L.OptString(args, 1, "collect")
	switch opt {
	case "collect":
		// A full collection: what the budget counts becomes what is
		// still reachable (only when there is a budget to count).
		if L.g.memLimit > 0 {
			L.g.memUsed = L.g.liveBytes()
		}
		return L.Ret1(Number(0))
	case "stop", "restart":
		return L.Ret1(Number(0))
	case "count":
		return L.Ret1(Number(float64(L.g.memUsed) / 1024))
	case "step":
		return L.Ret1(False)
	case "setpause", "setstepmul":
		return L.Ret1(Number(200))
	}
	L.ArgError(1, "invalid option '"+opt+"'")
	return nil
}

// funcAt resolves getfenv/setfenv's first argument: a function or a
// stack level (1 = the caller).
func (L *State) funcAt(args []Value, i int) *Function {
	v := arg(args, i)
	if v.t == TypeFunction {
		return v.fn()
	}
	level := L.OptInt(args, i, 1)
	if level < 0 {
		L.ArgError(i, "level must be non-negative")
	}
	if level == 0 {
		return nil
	}
	d := L.depth - (level - 1)
	if d <= 0 {
		L.ArgError(i, "invalid level")
	}
	return L.frames[d].fn
}

func baseGetfenv(L *State, args []Value) []Value {
	f := L.funcAt(args, 1)
	if f == nil || f.native != nil {
		return L.Ret1(TableValue(L.g.globals))
	}
	return L.Ret1(TableValue(f.env))
}

func baseSetfenv(L *State, args []Value) []Value {
	t := L.CheckTable(args, 2)
	if v := arg(args, 1); v.t == TypeNumber && v.n == 0 {
		L.g.globals = t
		return nil
	}
	f := L.funcAt(args, 1)
	if f == nil || f.native != nil {
		L.Errorf("'setfenv' cannot change environment of given object")
	}
	f.env = t
	return L.Ret1(FunctionValue(f))
}
