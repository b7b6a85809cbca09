package lua

import (
	"math"
	"unsafe"
)

// Metamethod names with precomputed hashes.
type event struct {
	name string
	h    uint32
}

func ev(name string) event { return event{name, strHash(name)} }

var (
	evIndex    = ev("__index")
	evNewindex = ev("__newindex")
	evCall     = ev("__call")
	evEq       = ev("__eq")
	evLt       = ev("__lt")
	evLe       = ev("__le")
	evConcat   = ev("__concat")
	evUnm      = ev("__unm")
	evLen      = ev("__len")
	evTostring = ev("__tostring")
	evMeta     = ev("__metatable")
	arithEv    = [...]event{opAdd: ev("__add"), opSub: ev("__sub"), opMul: ev("__mul"),
		opDiv: ev("__div"), opMod: ev("__mod"), opPow: ev("__pow")}
)

func (th *State) metatable(v Value) *Table {
	switch v.t {
	case TypeTable:
		return v.tab().meta
	case TypeString:
		return th.g.stringMeta
	case TypeUserdata:
		return (*Userdata)(v.p).meta
	}
	return nil
}

func (th *State) metaOf(v Value, e event) Value {
	mt := th.metatable(v)
	if mt == nil {
		return Nil
	}
	return mt.getStrH(e.name, e.h)
}

func typeError(pos, op, desc string, v Value) *Error {
	msg := "attempt to " + op + " "
	if desc != "" {
		msg += desc + " (a " + v.t.String() + " value)"
	} else {
		msg += "a " + v.t.String() + " value"
	}
	if pos != "" {
		msg = pos + " " + msg
	}
	return &Error{Value: String(msg)}
}

// call runs f with the nargs values at stack[base:] and returns its
// results, valid until the next call at this level.
func (th *State) call(f Value, base, nargs int) []Value {
	if f.t != TypeFunction {
		f = th.callMeta(f, base, th.where(1), "")
		nargs = th.top - base
	}
	fn := f.fn()
	if fn.native != nil {
		saved := th.native
		th.native = fn
		r := fn.native(th, th.stack[base:base+nargs:base+nargs])
		th.native = saved
		return r
	}
	return th.callLua(fn, base, nargs)
}

// callNested is call for natives and metamethods calling back into Lua:
// it bounds C-level recursion like LUAI_MAXCCALLS.
func (th *State) callNested(f Value, base, nargs int) []Value {
	return th.callNestedFrom(f, base, nargs, true)
}

// callNestedFrom is callNested where fromNative says whether the caller
// is native code (a library function) rather than the VM dispatching a
// metamethod for the running Lua function; error levels differ.
func (th *State) callNestedFrom(f Value, base, nargs int, fromNative bool) []Value {
	th.ncalls++
	if hostCCalls+th.ncalls+th.baseC >= maxCCalls {
		th.ncalls--
		// luaD_call names the position only when the running function
		// is a Lua function (a metamethod the VM dispatches), not when a
		// library function (pcall, tostring, gsub) makes the call.
		pos := ""
		if !fromNative {
			pos = th.where(1)
		}
		panic(th.errorAt(pos, "C stack overflow"))
	}
	nn := th.nn
	th.nn = fromNative
	r := th.call(f, base, nargs)
	th.nn = nn
	th.ncalls--
	return r
}

// callMeta resolves a non-function callee through __call, inserting the
// original value as the first argument.
func (th *State) callMeta(f Value, base int, pos, desc string) Value {
	tm := th.metaOf(f, evCall)
	if tm.t != TypeFunction {
		panic(typeError(pos, "call", desc, f))
	}
	th.push(Nil)
	copy(th.stack[base+1:th.top], th.stack[base:th.top-1])
	th.stack[base] = f
	return tm
}

func (th *State) callLua(f *Function, base, nargs int) []Value {
	th.depth++
	if th.depth >= th.g.maxDepth {
		th.depth--
		panic(th.errorAt(th.where(1), "stack overflow"))
	}
	if th.depth >= len(th.frames) {
		th.frames = append(th.frames, &frame{th: th})
	}
	fr := th.frames[th.depth]
	nn := th.nn
	native := th.native
	th.native = nil
	fr.nativeCaller = nn
	th.nn = false
	for {
		p := f.proto
		fr.fn = f
		end := base + p.nregs
		if end > len(th.stack) {
			th.top = base + nargs
			th.growStack(end)
		}
		if nargs < p.nparams {
			clear(th.stack[base+nargs : base+p.nparams])
		}
		if p.vararg {
			if nargs > p.nparams {
				fr.varargs = append(fr.varargs[:0], th.stack[base+p.nparams:base+nargs]...)
			} else {
				fr.varargs = fr.varargs[:0]
			}
		}
		regs := th.stack[base:end:end]
		for _, r := range p.boxedParams {
			b := new(Value)
			*b = regs[r]
			regs[r] = boxValue(b)
		}
		fr.regs = regs
		th.top = end
		if th.steps--; th.steps <= 0 {
			th.hook()
		}
		switch p.body(fr) {
		case ctlReturn:
			th.depth--
			th.nn = nn
			th.native = native
			return fr.ret
		case ctlTail:
			tf := fr.tailFn
			tb := fr.tailBase
			n := th.top - tb
			if g := tf.fn(); g.native == nil {
				copy(th.stack[base:], th.stack[tb:tb+n])
				f = g
				nargs = n
				fr.tailFn = Nil
				continue
			}
			r := th.call(tf, tb, n)
			th.depth--
			th.nn = nn
			th.native = native
			return r
		}
		th.depth--
		th.nn = nn
		th.native = native
		return nil
	}
}

func (th *State) index(o, k Value, pos, desc string) Value {
	for loop := 0; loop < 100; loop++ {
		var tm Value
		if o.t == TypeTable {
			t := o.tab()
			v := t.Get(k)
			if v.t != TypeNil || t.meta == nil {
				return v
			}
			tm = t.meta.getStrH(evIndex.name, evIndex.h)
			if tm.t == TypeNil {
				return Nil
			}
		} else {
			tm = th.metaOf(o, evIndex)
			if tm.t == TypeNil {
				if loop > 0 {
					desc = ""
				}
				if pos == "" {
					pos = th.where(1)
				}
				panic(typeError(pos, "index", desc, o))
			}
		}
		if tm.t == TypeFunction {
			th.markLine(pos)
			return first(th.callMeta2(tm, o, k))
		}
		o = tm
	}
	panic(th.errorAt(pos, "loop in gettable"))
}

func first(vs []Value) Value {
	if len(vs) > 0 {
		return vs[0]
	}
	return Nil
}

// markLine records the running Lua function's current line (taken from
// a site's "chunk:line:" prefix) before a metamethod call, so error
// levels inside the metamethod point at the right line.
func (th *State) markLine(pos string) {
	if pos == "" || th.native != nil || th.depth <= 0 {
		return
	}
	end := len(pos) - 1 // pos ends with ':'
	i := end
	for i > 0 && pos[i-1] >= '0' && pos[i-1] <= '9' {
		i--
	}
	n := 0
	for _, c := range []byte(pos[i:end]) {
		n = n*10 + int(c-'0')
	}
	th.frames[th.depth].line = n
}

func (th *State) callMeta2(tm, a, b Value) []Value {
	base := th.top
	th.push(a)
	th.push(b)
	r := th.callNestedFrom(tm, base, 2, th.native != nil)
	th.top = base
	return r
}

func (th *State) callMeta3(tm, a, b, c Value) {
	base := th.top
	th.push(a)
	th.push(b)
	th.push(c)
	th.callNestedFrom(tm, base, 3, th.native != nil)
	th.top = base
}

// readonlyError raises Redis's read-only table error. pos is "" when a
// native (rawset, setmetatable, table.insert) found the table read-only:
// like luaG_runerror inside a C function, the message then has no
// position.
func (th *State) readonlyError(pos string) {
	panic(th.errorAt(pos, "Attempt to modify a readonly table"))
}

func (th *State) setIndex(o, k, v Value, pos, desc string) {
	for loop := 0; loop < 100; loop++ {
		var tm Value
		if o.t == TypeTable {
			t := o.tab()
			if t.readonly {
				th.readonlyError(pos)
			}
			p := t.slot(k)
			if p == nil {
				th.checkKey(k, pos)
				if k.t == TypeNumber && k.n == 0 {
					k.n = 0
				}
				p = t.newKey(k)
			}
			if p.t != TypeNil || t.meta == nil {
				*p = v
				return
			}
			tm = t.meta.getStrH(evNewindex.name, evNewindex.h)
			if tm.t == TypeNil {
				*p = v
				return
			}
		} else {
			tm = th.metaOf(o, evNewindex)
			if tm.t == TypeNil {
				if loop > 0 {
					desc = ""
				}
				panic(typeError(pos, "index", desc, o))
			}
		}
		if tm.t == TypeFunction {
			th.markLine(pos)
			th.callMeta3(tm, o, k, v)
			return
		}
		o = tm
	}
	panic(th.errorAt(pos, "loop in settable"))
}

func (th *State) checkKey(k Value, pos string) {
	if k.t == TypeNil {
		if pos == "" {
			pos = th.where(1)
		}
		panic(th.errorAt(pos, "table index is nil"))
	}
	if k.t == TypeNumber && k.n != k.n {
		if pos == "" {
			pos = th.where(1)
		}
		panic(th.errorAt(pos, "table index is NaN"))
	}
}

// rawSetChecked is rawset with Lua's key checks and error positions.
func (th *State) rawSetChecked(t *Table, k, v Value, pos string) {
	if t.readonly {
		th.readonlyError(pos)
	}
	th.checkKey(k, pos)
	t.Set(k, v)
}

func (th *State) setGlobal(fr *frame, name string, h uint32, v Value, pos string) {
	env := fr.fn.env
	if !env.readonly && env.meta == nil {
		env.setStrH(name, h, v)
		return
	}
	th.setIndex(TableValue(env), String(name), v, pos, "")
}

// opUnm is unary minus in arith's operator space.
const opUnm = 20

func arithOp(op int, a, b float64) float64 {
	switch op {
	case opAdd:
		return a + b
	case opSub:
		return a - b
	case opMul:
		return a * b
	case opDiv:
		return a / b
	case opMod:
		return a - math.Floor(a/b)*b
	case opPow:
		return luaPow(a, b)
	case opUnm:
		return -a
	}
	return 0
}

// arith is the slow path of arithmetic: string coercion, metamethods
// and the error naming the first operand that is not a number.
func (th *State) arith(op int, a, b Value, pos, da, db string) Value {
	x, ok1 := toNumber(a)
	y, ok2 := toNumber(b)
	if ok1 && ok2 {
		return Number(arithOp(op, x, y))
	}
	var e event
	if op == opUnm {
		e = evUnm
	} else {
		e = arithEv[op]
	}
	tm := th.metaOf(a, e)
	if tm.t == TypeNil {
		tm = th.metaOf(b, e)
	}
	if tm.t != TypeNil {
		th.markLine(pos)
		return first(th.callMeta2(tm, a, b))
	}
	if !ok1 {
		panic(typeError(pos, "perform arithmetic on", da, a))
	}
	panic(typeError(pos, "perform arithmetic on", db, b))
}

func (th *State) length(x Value, pos, desc string) Value {
	switch x.t {
	case TypeString:
		return Number(float64(x.strLen()))
	case TypeTable:
		return Number(float64(x.tab().Len()))
	}
	tm := th.metaOf(x, evLen)
	if tm.t == TypeNil {
		panic(typeError(pos, "get length of", desc, x))
	}
	th.markLine(pos)
	return first(th.callMeta2(tm, x, Nil))
}

func isStrNum(v Value) bool { return v.t == TypeString || v.t == TypeNumber }

// concatN concatenates the n values at stack[base:], right to left in
// maximal runs of strings and numbers, using __concat otherwise.
func (th *State) concatN(base, n int, pos string, descs []string) Value {
	for n > 1 {
		a, b := th.stack[base+n-2], th.stack[base+n-1]
		if !isStrNum(a) || !isStrNum(b) {
			tm := th.metaOf(a, evConcat)
			if tm.t == TypeNil {
				tm = th.metaOf(b, evConcat)
			}
			if tm.t == TypeNil {
				i := n - 2
				bad := a
				if isStrNum(a) {
					i, bad = n-1, b
				}
				d := ""
				if i < len(descs) {
					d = descs[i]
				}
				panic(typeError(pos, "concatenate", d, bad))
			}
			th.markLine(pos)
			r := first(th.callMeta2(tm, a, b))
			th.stack[base+n-2] = r
			n--
			continue
		}
		// Collect the longest run of strings/numbers ending at the top.
		k := n - 2
		for k > 0 && isStrNum(th.stack[base+k-1]) {
			k--
		}
		total := 0
		for i := k; i < n; i++ {
			v := th.stack[base+i]
			if v.t == TypeNumber {
				v = String(formatNumber(v.n))
				th.stack[base+i] = v
			}
			total += v.strLen()
		}
		th.g.charge(int64(total))
		buf := make([]byte, 0, total)
		for i := k; i < n; i++ {
			buf = append(buf, th.stack[base+i].str()...)
		}
		th.stack[base+k] = String(unsafe.String(unsafe.SliceData(buf), len(buf)))
		n = k + 1
	}
	v := th.stack[base]
	if v.t == TypeNumber {
		v = String(formatNumber(v.n))
	}
	return v
}

func (th *State) equals(a, b Value) bool {
	if a.t != b.t {
		return false
	}
	switch a.t {
	case TypeTable, TypeUserdata:
		if a.p == b.p {
			return true
		}
		tm := th.compTM(a, b, evEq)
		if tm.t == TypeNil {
			return false
		}
		return !first(th.callMeta2(tm, a, b)).isFalse()
	}
	return rawEqual(a, b)
}

// compTM is get_compTM: both operands must share the metamethod.
func (th *State) compTM(a, b Value, e event) Value {
	m1 := th.metatable(a)
	if m1 == nil {
		return Nil
	}
	tm1 := m1.getStrH(e.name, e.h)
	if tm1.t == TypeNil {
		return Nil
	}
	m2 := th.metatable(b)
	if m1 == m2 {
		return tm1
	}
	if m2 == nil {
		return Nil
	}
	tm2 := m2.getStrH(e.name, e.h)
	if !rawEqual(tm1, tm2) {
		return Nil
	}
	return tm1
}

// orderError raises a comparison error. pos is "" for comparisons made
// by natives (table.sort): C Lua's luaG_ordererror adds no position
// inside a C function.
func (th *State) orderError(pos string, a, b Value) {
	t1, t2 := a.t.String(), b.t.String()
	if t1[2] == t2[2] {
		panic(th.errorAt(pos, "attempt to compare two "+t1+" values"))
	}
	panic(th.errorAt(pos, "attempt to compare "+t1+" with "+t2))
}

// orderTM calls an order metamethod; ok is false when there is none.
func (th *State) orderTM(a, b Value, e event) (res, ok bool) {
	tm1 := th.metaOf(a, e)
	if tm1.t == TypeNil {
		return false, false
	}
	tm2 := th.metaOf(b, e)
	if !rawEqual(tm1, tm2) {
		return false, false
	}
	return !first(th.callMeta2(tm1, a, b)).isFalse(), true
}

func (th *State) lessThan(a, b Value, pos string) bool {
	th.markLine(pos)
	if a.t != b.t {
		th.orderError(pos, a, b)
	}
	switch a.t {
	case TypeNumber:
		return a.n < b.n
	case TypeString:
		return a.str() < b.str()
	}
	if r, ok := th.orderTM(a, b, evLt); ok {
		return r
	}
	th.orderError(pos, a, b)
	return false
}

func (th *State) lessEqual(a, b Value, pos string) bool {
	th.markLine(pos)
	if a.t != b.t {
		th.orderError(pos, a, b)
	}
	switch a.t {
	case TypeNumber:
		return a.n <= b.n
	case TypeString:
		return a.str() <= b.str()
	}
	if r, ok := th.orderTM(a, b, evLe); ok {
		return r
	}
	if r, ok := th.orderTM(b, a, evLt); ok {
		return !r
	}
	th.orderError(pos, a, b)
	return false
}

// ToString converts v like tostring(), honouring __tostring.
func (L *State) ToString(v Value) string {
	if tm := L.metaOf(v, evTostring); tm.t != TypeNil {
		r := first(L.callMeta2(tm, v, Nil))
		if s, ok := toStringCoerce(r); ok {
			return s
		}
		L.Errorf("'tostring' must return a string to 'print'")
	}
	return v.String()
}
