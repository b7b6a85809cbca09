package lua

import "fmt"

func (c *compiler) expr(e expr) exprFn {
	switch e := e.(type) {
	case *exprConst:
		v := e.v
		if v.t == TypeNumber && v.n == 0 {
			v = c.constZero(v)
		}
		return func(fr *frame) Value { return v }
	case *exprVararg:
		return func(fr *frame) Value {
			if len(fr.varargs) > 0 {
				return fr.varargs[0]
			}
			return Nil
		}
	case *exprLocal:
		r := e.v.reg
		if e.v.captured {
			return func(fr *frame) Value { return *fr.regs[r].box() }
		}
		return func(fr *frame) Value { return fr.regs[r] }
	case *exprUpval:
		i := e.idx
		return func(fr *frame) Value { return *fr.fn.upvals[i] }
	case *exprGlobal:
		name := e.name
		h := strHash(name)
		pos := c.pos(e.line)
		return func(fr *frame) Value {
			env := fr.fn.env
			v := env.getStrH(name, h)
			if v.t == TypeNil && env.meta != nil {
				return fr.th.index(TableValue(env), String(name), pos, "")
			}
			return v
		}
	case *exprIndex:
		return c.index(e)
	case *exprCall, *exprMethod:
		if call, ok := e.(*exprCall); ok && len(call.args) <= 2 && (len(call.args) == 0 || !isMulti(call.args[len(call.args)-1])) {
			return c.callValue(call)
		}
		m := c.multi(e)
		return func(fr *frame) Value {
			vs := m(fr)
			if len(vs) > 0 {
				return vs[0]
			}
			return Nil
		}
	case *exprFunc:
		return c.closure(e.f)
	case *exprParen:
		return c.expr(e.e)
	case *exprAnd:
		a, b := c.expr(e.a), c.expr(e.b)
		return func(fr *frame) Value {
			x := a(fr)
			if x.isFalse() {
				return x
			}
			return b(fr)
		}
	case *exprOr:
		a, b := c.expr(e.a), c.expr(e.b)
		return func(fr *frame) Value {
			x := a(fr)
			if !x.isFalse() {
				return x
			}
			return b(fr)
		}
	case *exprUn:
		return c.unary(e)
	case *exprBin:
		return c.binary(e)
	case *exprTable:
		return c.table(e)
	}
	panic(fmt.Sprintf("unknown expression %T", e))
}

func (c *compiler) index(e *exprIndex) exprFn {
	obj := c.expr(e.obj)
	pos := c.pos(e.line)
	desc := describe(e.obj)
	if k, ok := e.key.(*exprConst); ok && k.v.t == TypeString {
		key := k.v
		ks := key.str()
		h := strHash(ks)
		return func(fr *frame) Value {
			o := obj(fr)
			if o.t == TypeTable {
				t := o.tab()
				v := t.getStrH(ks, h)
				if v.t != TypeNil || t.meta == nil {
					return v
				}
			}
			return fr.th.index(o, key, pos, desc)
		}
	}
	key := c.expr(e.key)
	return func(fr *frame) Value {
		o := obj(fr)
		k := key(fr)
		if o.t == TypeTable {
			t := o.tab()
			var v Value
			if k.t == TypeNumber {
				if idx := int(k.n); float64(idx) == k.n && uint(idx-1) < uint(len(t.array)) {
					v = t.array[idx-1]
				} else {
					v = t.getNumHash(k.n)
				}
			} else {
				v = t.Get(k)
			}
			if v.t != TypeNil || t.meta == nil {
				return v
			}
		}
		return fr.th.index(o, k, pos, desc)
	}
}

// multi compiles a call or '...' for contexts that take all results.
func (c *compiler) multi(e expr) multiFn {
	switch e := e.(type) {
	case *exprVararg:
		return func(fr *frame) []Value { return fr.varargs }
	case *exprCall:
		return c.call(e)
	case *exprMethod:
		return c.method(e)
	}
	ev := c.expr(e)
	return func(fr *frame) []Value {
		v := ev(fr)
		fr.th.retBuf[0] = v
		return fr.th.retBuf[:1]
	}
}

func (c *compiler) call(e *exprCall) multiFn {
	fn := c.expr(e.fn)
	cl := c.callee(e.fn, fn)
	pos := c.pos(e.line)
	desc := describe(e.fn)
	line := e.line
	// Specialise small fixed argument lists to avoid the loop.
	if len(e.args) <= 3 && (len(e.args) == 0 || !isMulti(e.args[len(e.args)-1])) {
		args := make([]exprFn, len(e.args))
		for i, a := range e.args {
			args[i] = c.expr(a)
		}
		switch len(args) {
		case 0:
			return func(fr *frame) []Value {
				f := cl.load(fr)
				th := fr.th
				base := th.top
				fr.line = line
				if f.t != TypeFunction {
					f = th.callMeta(f, base, pos, desc)
				}
				r := th.call(f, base, th.top-base)
				th.top = base
				return r
			}
		case 1:
			a0 := args[0]
			return func(fr *frame) []Value {
				f := cl.load(fr)
				th := fr.th
				base := th.top
				v := a0(fr)
				th.push(v)
				fr.line = line
				if f.t != TypeFunction {
					f = th.callMeta(f, base, pos, desc)
				}
				r := th.call(f, base, th.top-base)
				th.top = base
				return r
			}
		case 2:
			a0, a1 := args[0], args[1]
			return func(fr *frame) []Value {
				f := cl.load(fr)
				th := fr.th
				base := th.top
				v := a0(fr)
				th.push(v)
				v = a1(fr)
				th.push(v)
				fr.line = line
				if f.t != TypeFunction {
					f = th.callMeta(f, base, pos, desc)
				}
				r := th.call(f, base, th.top-base)
				th.top = base
				return r
			}
		case 3:
			a0, a1, a2 := args[0], args[1], args[2]
			return func(fr *frame) []Value {
				f := cl.load(fr)
				th := fr.th
				base := th.top
				v := a0(fr)
				th.push(v)
				v = a1(fr)
				th.push(v)
				v = a2(fr)
				th.push(v)
				fr.line = line
				if f.t != TypeFunction {
					f = th.callMeta(f, base, pos, desc)
				}
				r := th.call(f, base, th.top-base)
				th.top = base
				return r
			}
		}
	}
	args := c.exprListPush(e.args)
	return func(fr *frame) []Value {
		f := cl.load(fr)
		th := fr.th
		base := th.top
		args(fr)
		fr.line = line
		if f.t != TypeFunction {
			f = th.callMeta(f, base, pos, desc)
		}
		r := th.call(f, base, th.top-base)
		th.top = base
		return r
	}
}

func (c *compiler) method(e *exprMethod) multiFn {
	obj := c.expr(e.obj)
	name := String(e.name)
	h := strHash(e.name)
	ipos := c.pos(e.line)
	idesc := describe(e.obj)
	desc := "method '" + e.name + "'"
	args := c.exprListPush(e.args)
	line := e.line
	return func(fr *frame) []Value {
		o := obj(fr)
		th := fr.th
		var f Value
		if o.t == TypeTable {
			f = o.tab().getStrH(e.name, h)
			if f.t == TypeNil && o.tab().meta != nil {
				f = th.index(o, name, ipos, idesc)
			}
		} else {
			f = th.index(o, name, ipos, idesc)
		}
		base := th.top
		th.push(o)
		args(fr)
		fr.line = -line // negative marks a method call for argument errors
		if f.t != TypeFunction {
			f = th.callMeta(f, base, ipos, desc)
		}
		r := th.call(f, base, th.top-base)
		th.top = base
		return r
	}
}

// calleeLoader reads a call's function value without a closure call for
// the usual shapes: an uncaptured local, an upvalue or a global name.
type calleeLoader struct {
	kind  int // 0 local, 1 upvalue, 2 global, 3 other
	idx   int
	gname string
	gh    uint32
	fn    exprFn
}

func (c *compiler) callee(e expr, fn exprFn) *calleeLoader {
	cl := &calleeLoader{kind: 3, fn: fn}
	switch x := e.(type) {
	case *exprLocal:
		if !x.v.captured {
			cl.kind, cl.idx = 0, x.v.reg
		}
	case *exprUpval:
		cl.kind, cl.idx = 1, x.idx
	case *exprGlobal:
		cl.kind, cl.gname, cl.gh = 2, x.name, strHash(x.name)
	}
	return cl
}

func (cl *calleeLoader) load(fr *frame) Value {
	switch cl.kind {
	case 0:
		return fr.regs[cl.idx]
	case 1:
		return *fr.fn.upvals[cl.idx]
	case 2:
		if f := fr.fn.env.getStrH(cl.gname, cl.gh); f.t != TypeNil {
			return f
		}
	}
	return cl.fn(fr)
}

// callValue compiles a call with up to two plain arguments whose first
// result is wanted, saving the wrapper closure on the hottest path.
func (c *compiler) callValue(e *exprCall) exprFn {
	fn := c.expr(e.fn)
	pos := c.pos(e.line)
	desc := describe(e.fn)
	line := e.line
	args := make([]exprFn, len(e.args))
	for i, a := range e.args {
		args[i] = c.expr(a)
	}
	finish := func(fr *frame, th *State, f Value, base int) Value {
		fr.line = line
		if f.t != TypeFunction {
			f = th.callMeta(f, base, pos, desc)
		}
		r := th.call(f, base, th.top-base)
		th.top = base
		if len(r) > 0 {
			return r[0]
		}
		return Nil
	}
	switch len(args) {
	case 0:
		cl := c.callee(e.fn, fn)
		return func(fr *frame) Value {
			f := cl.load(fr)
			th := fr.th
			return finish(fr, th, f, th.top)
		}
	case 1:
		a0 := args[0]
		cl := c.callee(e.fn, fn)
		return func(fr *frame) Value {
			f := cl.load(fr)
			th := fr.th
			base := th.top
			v := a0(fr)
			if th.top >= len(th.stack) {
				th.growStack(th.top + 1)
			}
			th.stack[th.top] = v
			th.top++
			fr.line = line
			if f.t == TypeFunction {
				if g := f.fn(); g.native == nil {
					r := th.callLua(g, base, 1)
					th.top = base
					if len(r) > 0 {
						return r[0]
					}
					return Nil
				}
			}
			return finish(fr, th, f, base)
		}
	}
	a0, a1 := args[0], args[1]
	cl := c.callee(e.fn, fn)
	return func(fr *frame) Value {
		f := cl.load(fr)
		th := fr.th
		base := th.top
		v := a0(fr)
		th.push(v)
		v = a1(fr)
		th.push(v)
		return finish(fr, th, f, base)
	}
}

// closure compiles a function expression into a constructor.
func (c *compiler) closure(fi *funcInfo) exprFn {
	p := compileFunction(fi, c.chunk)
	ups := p.upvals
	return func(fr *frame) Value {
		f := &Function{proto: p, env: fr.fn.env}
		if len(ups) > 0 {
			f.upvals = make([]*Value, len(ups))
			for i, u := range ups {
				if u.fromLocal != nil {
					f.upvals[i] = fr.regs[u.fromLocal.reg].box()
				} else {
					f.upvals[i] = fr.fn.upvals[u.parentIdx]
				}
			}
		}
		// The closure (80 bytes with Go's size classes), its upvalue
		// slice and the boxes of the locals it captures.
		fr.th.g.charge(int64(80 + 40*len(ups)))
		return FunctionValue(f)
	}
}

func (c *compiler) unary(e *exprUn) exprFn {
	a := c.expr(e.a)
	pos := c.pos(e.line)
	desc := describe(e.a)
	switch e.op {
	case opNot:
		return func(fr *frame) Value { return Bool(a(fr).isFalse()) }
	case opNeg:
		return func(fr *frame) Value {
			x := a(fr)
			if x.t == TypeNumber {
				return Number(-x.n)
			}
			return fr.th.arith(opUnm, x, x, pos, desc, desc)
		}
	default:
		return func(fr *frame) Value {
			x := a(fr)
			switch x.t {
			case TypeString:
				return Number(float64(x.strLen()))
			case TypeTable:
				return Number(float64(x.tab().Len()))
			}
			return fr.th.length(x, pos, desc)
		}
	}
}

func (c *compiler) binary(e *exprBin) exprFn {
	switch e.op {
	case opEq, opNe, opLt, opLe, opGt, opGe:
		cd := c.cond(e)
		return func(fr *frame) Value { return Bool(cd(fr)) }
	case opConcat:
		return c.concat(e)
	}
	a, b := c.expr(e.a), c.expr(e.b)
	pos := c.pos(e.line)
	da, db := describe(e.a), describe(e.b)
	sh, ra, rb, kn, kv := c.shape(e.a, e.b)
	return arithShaped(e.op, sh, ra, rb, kn, kv, a, b, pos, da, db)
}

// shape classifies a binary operation's operands for the specialised
// closures in ops_gen.go: L = uncaptured local, K = numeric constant,
// X = anything else.
func (c *compiler) shape(ea, eb expr) (sh string, ra, rb int, kn float64, kv Value) {
	la, aLocal := localReg(ea)
	lb, bLocal := localReg(eb)
	k, bConst := eb.(*exprConst)
	switch {
	case aLocal && bLocal:
		return "LL", la, lb, 0, Nil
	case bConst && k.v.t == TypeNumber:
		kv = k.v
		if kv.n == 0 {
			kv = c.constZero(kv)
		}
		if aLocal {
			return "LK", la, 0, kv.n, kv
		}
		return "XK", 0, 0, kv.n, kv
	case aLocal:
		return "LX", la, 0, 0, Nil
	}
	return "XX", 0, 0, 0, Nil
}

func (c *compiler) constZero(v Value) Value {
	if !c.hasZero {
		c.zero, c.hasZero = v, true
	}
	return c.zero
}

func localReg(e expr) (int, bool) {
	if l, ok := e.(*exprLocal); ok && !l.v.captured {
		return l.v.reg, true
	}
	return 0, false
}

// concat flattens a..b..c chains into one n-ary operation, as C Lua's
// OP_CONCAT does, so building a string allocates once.
func (c *compiler) concat(e *exprBin) exprFn {
	var parts []expr
	var lines []int
	var walk func(x expr)
	walk = func(x expr) {
		if b, ok := x.(*exprBin); ok && b.op == opConcat {
			walk(b.a)
			lines = append(lines, b.line)
			walk(b.b)
			return
		}
		parts = append(parts, x)
	}
	walk(e)
	fns := make([]exprFn, len(parts))
	descs := make([]string, len(parts))
	for i, p := range parts {
		fns[i] = c.expr(p)
		descs[i] = describe(p)
	}
	pos := c.pos(e.line)
	if len(fns) == 2 {
		a, b := fns[0], fns[1]
		return func(fr *frame) Value {
			x, y := a(fr), b(fr)
			if x.t == TypeString && y.t == TypeString {
				fr.th.g.charge(int64(x.strLen() + y.strLen()))
				return String(x.str() + y.str())
			}
			th := fr.th
			base := th.top
			th.push(x)
			th.push(y)
			r := th.concatN(base, 2, pos, descs)
			th.top = base
			return r
		}
	}
	return func(fr *frame) Value {
		th := fr.th
		base := th.top
		for _, f := range fns {
			v := f(fr)
			th.push(v)
		}
		r := th.concatN(base, len(fns), pos, descs)
		th.top = base
		return r
	}
}

func (c *compiler) table(e *exprTable) exprFn {
	na, nh := 0, 0
	for i, it := range e.items {
		if it.key != nil {
			nh++
		} else if !(i == len(e.items)-1 && isMulti(it.val)) {
			na++
		}
	}
	sa, sh := fb2int(int2fb(na)), fb2int(int2fb(nh))
	type item struct {
		key, val exprFn
		multi    multiFn
		pos      string
		skey     string // constant string key, stored with a known hash
		sh       uint32
		isStr    bool
	}
	items := make([]item, len(e.items))
	for i, it := range e.items {
		if k, ok := it.key.(*exprConst); ok && k.v.t == TypeString {
			ks := k.v.str()
			items[i] = item{key: c.expr(it.key), val: c.expr(it.val), skey: ks, sh: strHash(ks), isStr: true}
		} else if it.key != nil {
			items[i] = item{key: c.expr(it.key), val: c.expr(it.val), pos: c.pos(e.line)}
		} else if i == len(e.items)-1 && isMulti(it.val) {
			items[i] = item{multi: c.multi(it.val)}
		} else {
			items[i] = item{val: c.expr(it.val)}
		}
	}
	if len(items) == 0 {
		return func(fr *frame) Value {
			return TableValue(fr.th.NewTable(sa, sh))
		}
	}
	return func(fr *frame) Value {
		th := fr.th
		t := th.NewTable(sa, sh)
		base := th.top
		n := 0       // positional items stored so far
		pending := 0 // positional values waiting on the stack
		for i := range items {
			it := &items[i]
			if pending == 50 { // LFIELDS_PER_FLUSH: store like SETLIST
				for j := 0; j < pending; j++ {
					n++
					t.SetInt(n, th.stack[base+j])
				}
				pending = 0
				th.top = base
			}
			switch {
			case it.isStr:
				t.setStrH(it.skey, it.sh, it.val(fr))
			case it.key != nil:
				k := it.key(fr)
				v := it.val(fr)
				th.rawSetChecked(t, k, v, it.pos)
			case it.multi != nil:
				vs := it.multi(fr)
				for _, v := range vs {
					th.push(v)
					pending++
				}
				if last := n + pending; last > len(t.array) {
					t.resizeArray(last)
				}
			default:
				v := it.val(fr)
				th.push(v)
				pending++
			}
		}
		for j := 0; j < pending; j++ {
			n++
			t.SetInt(n, th.stack[base+j])
		}
		th.top = base
		return TableValue(t)
	}
}

func int2fb(x int) int {
	e := 0
	for x >= 16 {
		x = (x + 1) >> 1
		e++
	}
	if x < 8 {
		return x
	}
	return ((e + 1) << 3) | (x - 8)
}

func fb2int(x int) int {
	e := (x >> 3) & 31
	if e == 0 {
		return x
	}
	return ((x & 7) + 8) << (e - 1)
}

// cond compiles an expression used as a condition, avoiding boolean
// boxing for comparisons.
func (c *compiler) cond(e expr) condFn {
	switch e := e.(type) {
	case *exprConst:
		b := !e.v.isFalse()
		return func(fr *frame) bool { return b }
	case *exprParen:
		return c.cond(e.e)
	case *exprUn:
		if e.op == opNot {
			a := c.cond(e.a)
			return func(fr *frame) bool { return !a(fr) }
		}
	case *exprAnd:
		a, b := c.cond(e.a), c.cond(e.b)
		return func(fr *frame) bool { return a(fr) && b(fr) }
	case *exprOr:
		a, b := c.cond(e.a), c.cond(e.b)
		return func(fr *frame) bool { return a(fr) || b(fr) }
	case *exprBin:
		if cd := c.compare(e); cd != nil {
			return cd
		}
	}
	ev := c.expr(e)
	return func(fr *frame) bool { return !ev(fr).isFalse() }
}

func (c *compiler) compare(e *exprBin) condFn {
	name := map[int]string{opEq: "Eq", opNe: "Ne", opLt: "Lt", opLe: "Le", opGt: "Gt", opGe: "Ge"}[e.op]
	if name == "" {
		return nil
	}
	pos := c.pos(e.line)
	a, b := c.expr(e.a), c.expr(e.b)
	sh, ra, rb, kn, kv := c.shape(e.a, e.b)
	return compareShaped(name, sh, ra, rb, kn, kv, a, b, pos)
}
