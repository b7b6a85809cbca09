package lua

//go:generate go run gen_ops.go

import (
	"fmt"
)

// The compiler turns the resolved syntax tree into a tree of Go
// closures ("closure compilation"). Each expression becomes a func that
// returns a Value in registers and each statement a func returning a
// control code. Compared with a bytecode switch loop this removes
// instruction decoding and operand fetching from the hot path, lets
// common shapes (local+constant, t.name, numeric for) get specialised
// code, and keeps every site's source position and variable name at
// hand for error messages without a debug-info side table.

type frame struct {
	regs    []Value
	varargs []Value
	fn      *Function
	th      *State
	ret     []Value
	retBuf  []Value
	line    int // line of the call this frame is making (error levels)
	// nativeCaller is set when a native called this function, so error
	// levels count that native as a stack level like C Lua does.
	nativeCaller bool
	tailFn       Value
	tailBase     int
}

type exprFn func(fr *frame) Value
type multiFn func(fr *frame) []Value
type stmtFn func(fr *frame) int
type condFn func(fr *frame) bool

const (
	ctlNone = iota
	ctlBreak
	ctlReturn
	ctlTail
)

type proto struct {
	name        string
	chunk       string
	line        int
	nparams     int
	vararg      bool
	nregs       int
	boxedParams []int
	body        stmtFn
	upvals      []upvalDesc
	size        int64 // a chunk's main function: its estimated compiled size
}

type compiler struct {
	chunk string
	fi    *funcInfo
	// C Lua keeps one constant per distinct number in a function, and
	// 0 == -0, so the first zero constant's sign wins for all of them.
	zero    Value
	hasZero bool
}

func compileFunction(fi *funcInfo, chunk string) *proto {
	c := &compiler{chunk: chunk, fi: fi}
	p := &proto{name: fi.name, chunk: chunk, line: fi.line, nparams: len(fi.params),
		vararg: fi.vararg, nregs: fi.nregs, upvals: fi.upvals}
	for _, v := range fi.params {
		if v.captured {
			p.boxedParams = append(p.boxedParams, v.reg)
		}
	}
	if p.nregs == 0 {
		p.nregs = 1
	}
	p.body = c.block(fi.body)
	return p
}

func (c *compiler) pos(line int) string { return fmt.Sprintf("%s:%d:", c.chunk, line) }

// describe names an operand for error messages the way C Lua's
// getobjname does: local, global, upvalue, field or method.
func describe(e expr) string {
	for {
		p, ok := e.(*exprParen)
		if !ok {
			break
		}
		e = p.e
	}
	switch e := e.(type) {
	case *exprLocal:
		return "local '" + e.v.name + "'"
	case *exprUpval:
		return "upvalue '" + e.name + "'"
	case *exprGlobal:
		return "global '" + e.name + "'"
	case *exprIndex:
		if k, ok := e.key.(*exprConst); ok && k.v.t == TypeString {
			return "field '" + k.v.str() + "'"
		}
		return "field '?'"
	}
	return ""
}

func nop(fr *frame) int { return ctlNone }

func seq(stmts []stmtFn) stmtFn {
	switch len(stmts) {
	case 0:
		return nop
	case 1:
		return stmts[0]
	case 2:
		a, b := stmts[0], stmts[1]
		return func(fr *frame) int {
			if r := a(fr); r != 0 {
				return r
			}
			return b(fr)
		}
	case 3:
		a, b, d := stmts[0], stmts[1], stmts[2]
		return func(fr *frame) int {
			if r := a(fr); r != 0 {
				return r
			}
			if r := b(fr); r != 0 {
				return r
			}
			return d(fr)
		}
	}
	return func(fr *frame) int {
		for _, s := range stmts {
			if r := s(fr); r != 0 {
				return r
			}
		}
		return ctlNone
	}
}

func (c *compiler) block(body []stmt) stmtFn {
	out := make([]stmtFn, 0, len(body))
	for _, s := range body {
		out = append(out, c.stmt(s))
	}
	return seq(out)
}

// Variable access.

func (c *compiler) setLocal(v *localInfo) func(fr *frame, x Value) {
	r := v.reg
	if v.captured {
		return func(fr *frame, x Value) { *fr.regs[r].box() = x }
	}
	return func(fr *frame, x Value) { fr.regs[r] = x }
}

// declLocal initialises a fresh local: captured ones get a new box so
// each loop iteration's closures see their own variable.
func declLocal(fr *frame, v *localInfo, x Value) {
	if v.captured {
		b := new(Value)
		*b = x
		fr.regs[v.reg] = boxValue(b)
	} else {
		fr.regs[v.reg] = x
	}
}

func (c *compiler) stmt(s stmt) stmtFn {
	switch s := s.(type) {
	case *stLocal:
		return c.localStmt(s)
	case *stAssign:
		return c.assign(s)
	case *stCall:
		m := c.multi(s.call)
		return func(fr *frame) int { m(fr); return ctlNone }
	case *stDo:
		return c.block(s.body)
	case *stWhile:
		cond := c.cond(s.cond)
		body := c.block(s.body)
		line := s.line
		return func(fr *frame) int {
			th := fr.th
			for cond(fr) {
				if r := body(fr); r != 0 {
					if r == ctlBreak {
						break
					}
					return r
				}
				if th.steps--; th.steps <= 0 {
					th.hookAt(fr, line)
				}
			}
			return ctlNone
		}
	case *stRepeat:
		cond := c.cond(s.cond)
		body := c.block(s.body)
		line := s.line
		return func(fr *frame) int {
			th := fr.th
			for {
				if r := body(fr); r != 0 {
					if r == ctlBreak {
						break
					}
					return r
				}
				if cond(fr) {
					break
				}
				if th.steps--; th.steps <= 0 {
					th.hookAt(fr, line)
				}
			}
			return ctlNone
		}
	case *stIf:
		return c.ifStmt(s)
	case *stNumFor:
		return c.numFor(s)
	case *stGenFor:
		return c.genFor(s)
	case *stLocalFunc:
		v := s.v
		mk := c.closure(s.f)
		return func(fr *frame) int {
			// Declare first so the function can refer to itself.
			declLocal(fr, v, Nil)
			f := mk(fr)
			if v.captured {
				*fr.regs[v.reg].box() = f
			} else {
				fr.regs[v.reg] = f
			}
			return ctlNone
		}
	case *stReturn:
		return c.ret(s)
	case *stBreak:
		return func(fr *frame) int { return ctlBreak }
	}
	panic(fmt.Sprintf("unknown statement %T", s))
}

func (c *compiler) ifStmt(s *stIf) stmtFn {
	conds := make([]condFn, len(s.conds))
	blocks := make([]stmtFn, len(s.blocks))
	for i := range s.conds {
		conds[i] = c.cond(s.conds[i])
		blocks[i] = c.block(s.blocks[i])
	}
	var els stmtFn
	if s.els != nil {
		els = c.block(s.els)
	}
	if len(conds) == 1 {
		cd, b := conds[0], blocks[0]
		if els == nil {
			return func(fr *frame) int {
				if cd(fr) {
					return b(fr)
				}
				return ctlNone
			}
		}
		return func(fr *frame) int {
			if cd(fr) {
				return b(fr)
			}
			return els(fr)
		}
	}
	return func(fr *frame) int {
		for i, cd := range conds {
			if cd(fr) {
				return blocks[i](fr)
			}
		}
		if els != nil {
			return els(fr)
		}
		return ctlNone
	}
}

func (c *compiler) localStmt(s *stLocal) stmtFn {
	vars := s.vars
	if len(vars) == 1 && len(s.exprs) == 1 {
		// One value is wanted, so a call or '...' is just truncated.
		v := vars[0]
		e := c.expr(s.exprs[0])
		r := v.reg
		if !v.captured {
			return func(fr *frame) int { fr.regs[r] = e(fr); return ctlNone }
		}
		return func(fr *frame) int { declLocal(fr, v, e(fr)); return ctlNone }
	}
	if len(s.exprs) == 0 {
		return func(fr *frame) int {
			for _, v := range vars {
				declLocal(fr, v, Nil)
			}
			return ctlNone
		}
	}
	load := c.exprListTo(s.exprs, len(vars))
	return func(fr *frame) int {
		th := fr.th
		base := th.top
		load(fr)
		for i, v := range vars {
			declLocal(fr, v, th.stack[base+i])
		}
		th.top = base
		return ctlNone
	}
}

func isMulti(e expr) bool {
	switch e.(type) {
	case *exprCall, *exprMethod, *exprVararg:
		return true
	}
	return false
}

// exprListTo evaluates exprs and pushes exactly want values (adjusting
// with nils or truncating) onto the thread stack.
func (c *compiler) exprListTo(exprs []expr, want int) func(fr *frame) {
	push := c.exprListPush(exprs)
	return func(fr *frame) {
		th := fr.th
		base := th.top
		push(fr)
		n := th.top - base
		for n < want {
			th.push(Nil)
			n++
		}
		th.top = base + want
	}
}

// exprListPush evaluates exprs, pushing all values (the last one
// expanded if it is a call or '...').
func (c *compiler) exprListPush(exprs []expr) func(fr *frame) {
	if len(exprs) == 0 {
		return func(fr *frame) {}
	}
	n := len(exprs)
	singles := make([]exprFn, 0, n)
	var last multiFn
	for i, e := range exprs {
		if i == n-1 && isMulti(e) {
			last = c.multi(e)
		} else {
			singles = append(singles, c.expr(e))
		}
	}
	return func(fr *frame) {
		th := fr.th
		for _, s := range singles {
			v := s(fr)
			th.push(v)
		}
		if last != nil {
			vs := last(fr)
			for _, v := range vs {
				th.push(v)
			}
		}
	}
}

func (c *compiler) assign(s *stAssign) stmtFn {
	if len(s.targets) == 1 && len(s.exprs) == 1 {
		return c.assignOne(s.targets[0], s.exprs[0], s.line)
	}
	// General case: evaluate table/key operands of all targets, then
	// all right-hand values, then assign.
	type target struct {
		local  func(*frame, Value)
		upval  int
		global string
		gh     uint32
		obj    exprFn
		key    exprFn
		kind   int
		pos    string
		desc   string
	}
	ts := make([]target, len(s.targets))
	for i, t := range s.targets {
		switch t := t.(type) {
		case *exprLocal:
			ts[i] = target{kind: 0, local: c.setLocal(t.v)}
		case *exprUpval:
			ts[i] = target{kind: 1, upval: t.idx}
		case *exprGlobal:
			ts[i] = target{kind: 2, global: t.name, gh: strHash(t.name), pos: c.pos(s.line)}
		case *exprIndex:
			ts[i] = target{kind: 3, obj: c.expr(t.obj), key: c.expr(t.key), pos: c.pos(t.line), desc: describe(t.obj)}
		}
	}
	load := c.exprListTo(s.exprs, len(ts))
	return func(fr *frame) int {
		th := fr.th
		base := th.top
		// Evaluate object and key operands first.
		for i := range ts {
			if ts[i].kind == 3 {
				th.push(ts[i].obj(fr))
				th.push(ts[i].key(fr))
			}
		}
		vbase := th.top
		load(fr)
		// Lua 5.1 assigns right to left.
		k := vbase
		for i := len(ts) - 1; i >= 0; i-- {
			v := th.stack[vbase+i]
			t := &ts[i]
			switch t.kind {
			case 0:
				t.local(fr, v)
			case 1:
				*fr.fn.upvals[t.upval] = v
			case 2:
				th.setGlobal(fr, t.global, t.gh, v, t.pos)
			case 3:
				k -= 2
				th.setIndex(th.stack[k], th.stack[k+1], v, t.pos, t.desc)
			}
		}
		th.top = base
		return ctlNone
	}
}

func (c *compiler) assignOne(t expr, e expr, line int) stmtFn {
	switch t := t.(type) {
	case *exprLocal:
		r := t.v.reg
		if !t.v.captured {
			// Specialise x = x <op> const, the loop-counter shape.
			if b, ok := e.(*exprBin); ok {
				if l, ok := b.a.(*exprLocal); ok && l.v == t.v {
					if k, ok := b.b.(*exprConst); ok && k.v.t == TypeNumber {
						kn := k.v.n
						slow := c.expr(e)
						switch b.op {
						case opAdd:
							return func(fr *frame) int {
								x := &fr.regs[r]
								if x.t == TypeNumber {
									x.n += kn
								} else {
									*x = slow(fr)
								}
								return ctlNone
							}
						case opSub:
							return func(fr *frame) int {
								x := &fr.regs[r]
								if x.t == TypeNumber {
									x.n -= kn
								} else {
									*x = slow(fr)
								}
								return ctlNone
							}
						}
					}
				}
				// x = y <op> z with uncaptured locals y and z: the
				// accumulator shape (s = s + i) in one closure.
				la, okA := localReg(b.a)
				lb, okB := localReg(b.b)
				if okA && okB && (b.op == opAdd || b.op == opSub || b.op == opMul) {
					slow := c.expr(e)
					op := b.op
					return func(fr *frame) int {
						x, y := fr.regs[la], fr.regs[lb]
						if x.t == TypeNumber && y.t == TypeNumber {
							switch op {
							case opAdd:
								fr.regs[r] = Number(x.n + y.n)
							case opSub:
								fr.regs[r] = Number(x.n - y.n)
							default:
								fr.regs[r] = Number(x.n * y.n)
							}
							return ctlNone
						}
						fr.regs[r] = slow(fr)
						return ctlNone
					}
				}
			}
			ev := c.expr(e)
			return func(fr *frame) int { fr.regs[r] = ev(fr); return ctlNone }
		}
		ev := c.expr(e)
		return func(fr *frame) int { *fr.regs[r].box() = ev(fr); return ctlNone }
	case *exprUpval:
		ev := c.expr(e)
		i := t.idx
		return func(fr *frame) int { *fr.fn.upvals[i] = ev(fr); return ctlNone }
	case *exprGlobal:
		ev := c.expr(e)
		name := t.name
		h := strHash(name)
		pos := c.pos(line)
		return func(fr *frame) int {
			fr.th.setGlobal(fr, name, h, ev(fr), pos)
			return ctlNone
		}
	case *exprIndex:
		obj := c.expr(t.obj)
		pos := c.pos(t.line)
		desc := describe(t.obj)
		ev := c.expr(e)
		if k, ok := t.key.(*exprConst); ok && k.v.t == TypeString {
			key := k.v
			ks := key.str()
			h := strHash(ks)
			return func(fr *frame) int {
				o := obj(fr)
				v := ev(fr)
				if o.t == TypeTable {
					tb := o.tab()
					if !tb.readonly {
						if p := tb.slotStrH(ks, h); p != nil && p.t != TypeNil {
							*p = v
							return ctlNone
						}
						if tb.meta == nil {
							tb.setStrH(ks, h, v)
							return ctlNone
						}
					}
				}
				fr.th.setIndex(o, key, v, pos, desc)
				return ctlNone
			}
		}
		key := c.expr(t.key)
		return func(fr *frame) int {
			o := obj(fr)
			k := key(fr)
			v := ev(fr)
			if o.t == TypeTable && k.t == TypeNumber {
				tb := o.tab()
				if idx := int(k.n); float64(idx) == k.n && uint(idx-1) < uint(len(tb.array)) && !tb.readonly &&
					(tb.meta == nil || tb.array[idx-1].t != TypeNil) {
					tb.array[idx-1] = v
					return ctlNone
				}
			}
			fr.th.setIndex(o, k, v, pos, desc)
			return ctlNone
		}
	}
	panic("bad assignment target")
}

func (c *compiler) ret(s *stReturn) stmtFn {
	if len(s.exprs) == 1 {
		switch e := s.exprs[0].(type) {
		case *exprCall:
			return c.tailCall(e)
		case *exprVararg:
			return func(fr *frame) int { fr.ret = fr.varargs; return ctlReturn }
		case *exprMethod:
			m := c.multi(e)
			return func(fr *frame) int {
				vs := m(fr)
				fr.ret = append(fr.retBuf[:0], vs...)
				fr.retBuf = fr.ret
				return ctlReturn
			}
		}
		e := c.expr(s.exprs[0])
		return func(fr *frame) int {
			v := e(fr)
			if cap(fr.retBuf) == 0 {
				fr.retBuf = make([]Value, 1, 4)
			}
			fr.ret = fr.retBuf[:1]
			fr.ret[0] = v
			return ctlReturn
		}
	}
	if len(s.exprs) == 0 {
		return func(fr *frame) int { fr.ret = nil; return ctlReturn }
	}
	push := c.exprListPush(s.exprs)
	return func(fr *frame) int {
		th := fr.th
		base := th.top
		push(fr)
		fr.ret = append(fr.retBuf[:0], th.stack[base:th.top]...)
		fr.retBuf = fr.ret
		th.top = base
		return ctlReturn
	}
}

// tailCall evaluates the callee and arguments and hands them to the
// call loop, which reuses the current frame.
func (c *compiler) tailCall(e *exprCall) stmtFn {
	fn := c.expr(e.fn)
	args := c.exprListPush(e.args)
	pos := c.pos(e.line)
	desc := describe(e.fn)
	line := e.line
	return func(fr *frame) int {
		f := fn(fr)
		th := fr.th
		base := th.top
		args(fr)
		fr.line = line
		if f.t != TypeFunction {
			f = th.callMeta(f, base, pos, desc)
		}
		fr.tailFn = f
		fr.tailBase = base
		return ctlTail
	}
}

func (c *compiler) numFor(s *stNumFor) stmtFn {
	start := c.expr(s.start)
	limit := c.expr(s.limit)
	var step exprFn
	if s.step != nil {
		step = c.expr(s.step)
	}
	body := c.block(s.body)
	v := s.v
	r := v.reg
	pos := c.pos(s.line)
	return func(fr *frame) int {
		th := fr.th
		a, ok1 := toNumber(start(fr))
		if !ok1 {
			panic(th.errorAt(pos, "'for' initial value must be a number"))
		}
		b, ok2 := toNumber(limit(fr))
		if !ok2 {
			panic(th.errorAt(pos, "'for' limit must be a number"))
		}
		st := 1.0
		if step != nil {
			var ok bool
			st, ok = toNumber(step(fr))
			if !ok {
				panic(th.errorAt(pos, "'for' step must be a number"))
			}
		}
		for i := a; (st > 0 && i <= b) || (st <= 0 && i >= b); i += st {
			if v.captured {
				declLocal(fr, v, Number(i))
			} else {
				fr.regs[r] = Number(i)
			}
			if rc := body(fr); rc != 0 {
				if rc == ctlBreak {
					break
				}
				return rc
			}
			if th.steps--; th.steps <= 0 {
				th.hookAt(fr, s.line)
			}
		}
		return ctlNone
	}
}

func (c *compiler) genFor(s *stGenFor) stmtFn {
	load := c.exprListTo(s.exprs, 3)
	body := c.block(s.body)
	vars := s.vars
	pos := c.pos(s.line)
	return func(fr *frame) int {
		th := fr.th
		base := th.top
		load(fr)
		f, st, ctl := th.stack[base], th.stack[base+1], th.stack[base+2]
		th.top = base
		// Fast path: pairs/next and ipairs over plain tables iterate
		// directly without calling the iterator function.
		if f.t == TypeFunction && st.t == TypeTable {
			switch f.fn() {
			case nextFn:
				return forNext(fr, st.tab(), ctl, vars, body, s.line)
			case ipairsIter:
				if ctl.t == TypeNumber && ctl.n == 0 {
					return forIpairs(fr, st.tab(), vars, body, s.line)
				}
			}
		}
		for {
			th.push(st)
			th.push(ctl)
			fr.line = s.line
			if f.t != TypeFunction {
				f = th.callMeta(f, base, pos, "")
			}
			rs := th.call(f, base, 2)
			th.top = base
			var first Value
			if len(rs) > 0 {
				first = rs[0]
			}
			if first.t == TypeNil {
				break
			}
			ctl = first
			for i, v := range vars {
				var x Value
				if i < len(rs) {
					x = rs[i]
				}
				declLocal(fr, v, x)
			}
			if rc := body(fr); rc != 0 {
				if rc == ctlBreak {
					break
				}
				return rc
			}
			if th.steps--; th.steps <= 0 {
				th.hookAt(fr, s.line)
			}
		}
		return ctlNone
	}
}

func forNext(fr *frame, t *Table, k Value, vars []*localInfo, body stmtFn, line int) int {
	th := fr.th
	for {
		nk, nv, ok := t.Next(k)
		if !ok {
			panic(th.errorAt(th.where(1), "invalid key to 'next'"))
		}
		if nk.t == TypeNil {
			return ctlNone
		}
		k = nk
		for i, v := range vars {
			x := Nil
			if i == 0 {
				x = nk
			} else if i == 1 {
				x = nv
			}
			declLocal(fr, v, x)
		}
		if rc := body(fr); rc != 0 {
			if rc == ctlBreak {
				return ctlNone
			}
			return rc
		}
		if th.steps--; th.steps <= 0 {
			th.hookAt(fr, line)
		}
	}
}

func forIpairs(fr *frame, t *Table, vars []*localInfo, body stmtFn, line int) int {
	th := fr.th
	for i := 1; ; i++ {
		v := t.GetInt(i)
		if v.t == TypeNil {
			return ctlNone
		}
		for j, lv := range vars {
			x := Nil
			if j == 0 {
				x = Number(float64(i))
			} else if j == 1 {
				x = v
			}
			declLocal(fr, lv, x)
		}
		if rc := body(fr); rc != 0 {
			if rc == ctlBreak {
				return ctlNone
			}
			return rc
		}
		if th.steps--; th.steps <= 0 {
			th.hookAt(fr, line)
		}
	}
}
