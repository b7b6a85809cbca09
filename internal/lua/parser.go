package lua

import "fmt"

// parser is a recursive-descent parser for Lua 5.1 that resolves scopes
// while parsing.
type parser struct {
	lx    *lexer
	fs    *funcInfo
	depth int // nesting of calls, bounded like LUAI_MAXCCALLS
}

// maxParseDepth matches where lua5.1 (LUAI_MAXCCALLS 200, less the C
// levels of the load itself) reports "chunk has too many syntax levels";
// it also bounds the Go recursion of the compiler and the VM.
const maxParseDepth = 198

// maxChain bounds left-associative chains (a+b+c..., t.a.b.c..., f()()...)
// that C Lua compiles iteratively but that become deep trees here; the
// bound keeps the compiler's and VM's Go recursion far from the stack
// limit while being far beyond any real script.
const maxChain = 200000

// parseChunk parses a main chunk; it panics with *syntaxError.
func parseChunk(src, chunk string) *funcInfo {
	lx := &lexer{src: src, line: 1, chunk: chunk}
	p := &parser{lx: lx}
	fs := &funcInfo{name: "main chunk", vararg: true, line: 0}
	p.fs = fs
	lx.next()
	fs.body = p.block()
	if lx.tok.kind != tkEOF {
		p.errorExpected("<eof>")
	}
	return fs
}

func (p *parser) tok() token { return p.lx.tok }

func (p *parser) errNear(msg string) {
	p.lx.errorf(p.lx.tokenText(p.lx.tok), "%s", msg)
}

func (p *parser) errorExpected(what string) {
	p.errNear(fmt.Sprintf("'%s' expected", what))
}

func (p *parser) check(k tokenKind) {
	if p.lx.tok.kind != k {
		p.errorExpected(tokenNames[k])
	}
}

func (p *parser) checkChar(c byte) {
	if p.lx.tok.kind != tkChar || p.lx.tok.ch != c {
		p.errorExpected(string(c))
	}
	p.lx.next()
}

func (p *parser) testChar(c byte) bool {
	if p.lx.tok.kind == tkChar && p.lx.tok.ch == c {
		p.lx.next()
		return true
	}
	return false
}

func (p *parser) isChar(c byte) bool { return p.lx.tok.kind == tkChar && p.lx.tok.ch == c }

func (p *parser) checkMatch(what tokenKind, who tokenKind, line int) {
	if p.lx.tok.kind != what {
		if line == p.lx.line {
			p.errorExpected(tokenNames[what])
		}
		p.errNear(fmt.Sprintf("'%s' expected (to close '%s' at line %d)", tokenNames[what], tokenNames[who], line))
	}
	p.lx.next()
}

func (p *parser) checkName() string {
	p.check(tkName)
	s := p.lx.tok.s
	p.lx.next()
	return s
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxParseDepth {
		p.lx.errorf("", "chunk has too many syntax levels")
	}
}

func (p *parser) leave() { p.depth-- }

// Scopes.

func (p *parser) declare(name string) *localInfo {
	fs := p.fs
	if fs.freeReg >= 200 {
		p.lx.errorLimit(fs, 200, "local variables")
	}
	v := &localInfo{name: name, reg: fs.freeReg}
	fs.freeReg++
	if fs.freeReg > fs.nregs {
		fs.nregs = fs.freeReg
	}
	return v
}

func (p *parser) activate(vs ...*localInfo) { p.fs.actives = append(p.fs.actives, vs...) }

func (p *parser) openScope() (int, int) { return len(p.fs.actives), p.fs.freeReg }

func (p *parser) closeScope(n, reg int) {
	p.fs.actives = p.fs.actives[:n]
	p.fs.freeReg = reg
}

func findLocal(fs *funcInfo, name string) *localInfo {
	for i := len(fs.actives) - 1; i >= 0; i-- {
		if fs.actives[i].name == name {
			return fs.actives[i]
		}
	}
	return nil
}

// findUpval returns fs's upvalue index for name, creating it, or -1.
func findUpval(lx *lexer, fs *funcInfo, name string) int {
	for i, u := range fs.upvals {
		if u.name == name {
			return i
		}
	}
	if fs.parent == nil {
		return -1
	}
	if v := findLocal(fs.parent, name); v != nil {
		v.captured = true
		lx.checkUpvals(fs)
		fs.upvals = append(fs.upvals, upvalDesc{name: name, fromLocal: v})
		return len(fs.upvals) - 1
	}
	idx := findUpval(lx, fs.parent, name)
	if idx < 0 {
		return -1
	}
	lx.checkUpvals(fs)
	fs.upvals = append(fs.upvals, upvalDesc{name: name, parentIdx: idx})
	return len(fs.upvals) - 1
}

func (p *parser) singleVar(name string) expr {
	if v := findLocal(p.fs, name); v != nil {
		return &exprLocal{v}
	}
	if idx := findUpval(p.lx, p.fs, name); idx >= 0 {
		return &exprUpval{idx: idx, name: name}
	}
	return &exprGlobal{name: name, line: p.lx.lastLine()}
}

// Statements.

func blockFollow(t token) bool {
	switch t.kind {
	case tkElse, tkElseif, tkEnd, tkUntil, tkEOF:
		return true
	}
	return false
}

func (p *parser) block() []stmt {
	n, reg := p.openScope()
	body := p.statements()
	p.closeScope(n, reg)
	return body
}

func (p *parser) statements() []stmt {
	p.enter()
	defer p.leave()
	var out []stmt
	for !blockFollow(p.lx.tok) {
		if p.lx.tok.kind == tkReturn {
			out = append(out, p.retStat())
			break
		}
		if p.lx.tok.kind == tkBreak {
			p.lx.next()
			if p.fs.loops == 0 {
				p.errNear("no loop to break")
			}
			out = append(out, &stBreak{})
			p.testChar(';')
			break
		}
		out = append(out, p.statement())
		p.testChar(';')
	}
	return out
}

func (p *parser) retStat() stmt {
	line := p.lx.tok.line
	p.lx.next()
	r := &stReturn{line: line}
	if !blockFollow(p.lx.tok) && !p.isChar(';') {
		r.exprs = p.exprList()
	}
	p.testChar(';')
	// A return ends its block: whatever follows is reported by the
	// construct the block belongs to ("'end' expected", "'<eof>'
	// expected"...), as Lua 5.1's chunk() leaves it to them.
	return r
}

func (p *parser) statement() stmt {
	line := p.lx.tok.line
	switch p.lx.tok.kind {
	case tkIf:
		return p.ifStat(line)
	case tkWhile:
		p.lx.next()
		cond := p.expr()
		p.check(tkDo)
		p.lx.next()
		p.fs.loops++
		body := p.block()
		p.fs.loops--
		p.checkMatch(tkEnd, tkWhile, line)
		return &stWhile{cond: cond, body: body, line: line}
	case tkDo:
		p.lx.next()
		body := p.block()
		p.checkMatch(tkEnd, tkDo, line)
		return &stDo{body: body}
	case tkFor:
		return p.forStat(line)
	case tkRepeat:
		p.lx.next()
		n, reg := p.openScope()
		p.fs.loops++
		body := p.statements()
		p.fs.loops--
		p.checkMatch(tkUntil, tkRepeat, line)
		cond := p.expr()
		p.closeScope(n, reg)
		return &stRepeat{body: body, cond: cond, line: line}
	case tkFunction:
		p.lx.next()
		// funcname: Name {'.' Name} [':' Name]
		name := p.checkName()
		var target expr = p.singleVar(name)
		full := name
		method := false
		for p.isChar('.') || p.isChar(':') {
			isColon := p.lx.tok.ch == ':'
			p.lx.next()
			key := p.checkName()
			full += string(map[bool]byte{true: ':', false: '.'}[isColon]) + key
			target = &exprIndex{obj: target, key: &exprConst{String(key)}, line: p.lx.line}
			if isColon {
				method = true
				break
			}
		}
		f := p.funcBody(method, line, full)
		return &stAssign{targets: []expr{target}, exprs: []expr{&exprFunc{f}}, line: line}
	case tkLocal:
		p.lx.next()
		if p.lx.tok.kind == tkFunction {
			p.lx.next()
			name := p.checkName()
			v := p.declare(name)
			p.activate(v)
			f := p.funcBody(false, line, name)
			return &stLocalFunc{v: v, f: f}
		}
		var names []string
		for {
			names = append(names, p.checkName())
			if !p.testChar(',') {
				break
			}
		}
		var exprs []expr
		if p.testChar('=') {
			exprs = p.exprList()
		}
		vars := make([]*localInfo, len(names))
		for i, n := range names {
			vars[i] = p.declare(n)
		}
		p.activate(vars...)
		return &stLocal{vars: vars, exprs: exprs}
	}
	return p.exprStat()
}

func (p *parser) ifStat(line int) stmt {
	s := &stIf{}
	p.lx.next()
	s.conds = append(s.conds, p.expr())
	p.check(tkThen)
	p.lx.next()
	s.blocks = append(s.blocks, p.block())
	for p.lx.tok.kind == tkElseif {
		p.lx.next()
		s.conds = append(s.conds, p.expr())
		p.check(tkThen)
		p.lx.next()
		s.blocks = append(s.blocks, p.block())
	}
	if p.lx.tok.kind == tkElse {
		p.lx.next()
		s.els = p.block()
	}
	p.checkMatch(tkEnd, tkIf, line)
	return s
}

func (p *parser) forStat(line int) stmt {
	p.lx.next()
	n1 := p.checkName()
	n, reg := p.openScope()
	if p.isChar('=') {
		p.lx.next()
		start := p.expr()
		p.checkChar(',')
		limit := p.expr()
		var step expr
		if p.testChar(',') {
			step = p.expr()
		}
		p.check(tkDo)
		p.lx.next()
		v := p.declare(n1)
		p.activate(v)
		p.fs.loops++
		body := p.block()
		p.fs.loops--
		p.checkMatch(tkEnd, tkFor, line)
		p.closeScope(n, reg)
		return &stNumFor{v: v, start: start, limit: limit, step: step, body: body, line: line}
	}
	if !p.isChar(',') && p.lx.tok.kind != tkIn {
		p.errorExpected("=")
	}
	names := []string{n1}
	for p.testChar(',') {
		names = append(names, p.checkName())
	}
	p.check(tkIn)
	p.lx.next()
	exprs := p.exprList()
	p.check(tkDo)
	p.lx.next()
	vars := make([]*localInfo, len(names))
	for i, nm := range names {
		vars[i] = p.declare(nm)
	}
	p.activate(vars...)
	p.fs.loops++
	body := p.block()
	p.fs.loops--
	p.checkMatch(tkEnd, tkFor, line)
	p.closeScope(n, reg)
	return &stGenFor{vars: vars, exprs: exprs, body: body, line: line}
}

func (p *parser) exprStat() stmt {
	line := p.lx.tok.line
	e := p.suffixedExpr()
	if p.isChar('=') || p.isChar(',') {
		targets := []expr{p.checkTarget(e)}
		for p.testChar(',') {
			targets = append(targets, p.checkTarget(p.suffixedExpr()))
		}
		p.checkChar('=')
		exprs := p.exprList()
		return &stAssign{targets: targets, exprs: exprs, line: line}
	}
	switch e.(type) {
	case *exprCall, *exprMethod:
		return &stCall{call: e}
	}
	// Lua 5.1 takes anything that is not a call for an assignment: a
	// valid target must then be followed by '='.
	p.checkTarget(e)
	p.checkChar('=')
	return nil
}

func (p *parser) funcBody(method bool, line int, name string) *funcInfo {
	fs := &funcInfo{parent: p.fs, line: line, name: name}
	p.fs = fs
	if method {
		v := p.declare("self")
		fs.params = append(fs.params, v)
		p.activate(v)
	}
	p.checkChar('(')
	if !p.isChar(')') {
		for {
			if p.lx.tok.kind == tkDots {
				p.lx.next()
				fs.vararg = true
				break
			}
			if p.lx.tok.kind != tkName {
				p.errNear("<name> or '...' expected")
			}
			v := p.declare(p.checkName())
			fs.params = append(fs.params, v)
			p.activate(v)
			if !p.testChar(',') {
				break
			}
		}
	}
	p.checkChar(')')
	fs.body = p.statements()
	p.checkMatch(tkEnd, tkFunction, line)
	p.fs = fs.parent
	return fs
}

// Expressions.

func (p *parser) exprList() []expr {
	list := []expr{p.expr()}
	for p.testChar(',') {
		list = append(list, p.expr())
	}
	return list
}

func (p *parser) primaryExpr() expr {
	switch p.lx.tok.kind {
	case tkName:
		name := p.lx.tok.s
		p.lx.next()
		return p.singleVar(name)
	case tkChar:
		if p.lx.tok.ch == '(' {
			line := p.lx.tok.line
			p.lx.next()
			e := p.expr()
			p.checkMatchChar(')', '(', line)
			return &exprParen{e}
		}
	}
	p.errNear("unexpected symbol")
	return nil
}

func (p *parser) checkMatchChar(what, who byte, line int) {
	if !p.isChar(what) {
		if line == p.lx.line {
			p.errorExpected(string(what))
		}
		p.errNear(fmt.Sprintf("'%c' expected (to close '%c' at line %d)", what, who, line))
	}
	p.lx.next()
}

func (p *parser) suffixedExpr() expr {
	e := p.primaryExpr()
	for n := 0; ; n++ {
		if n > maxChain {
			p.lx.errorf("", "chunk has too many syntax levels")
		}
		t := p.lx.tok
		if t.kind == tkString {
			e = &exprCall{fn: e, args: []expr{&exprConst{String(t.s)}}, line: t.line}
			p.lx.next()
			continue
		}
		if t.kind != tkChar {
			return e
		}
		switch t.ch {
		case '.':
			p.lx.next()
			name := p.checkName()
			e = &exprIndex{obj: e, key: &exprConst{String(name)}, line: t.line}
		case '[':
			p.lx.next()
			k := p.expr()
			p.checkChar(']')
			e = &exprIndex{obj: e, key: k, line: t.line}
		case ':':
			p.lx.next()
			name := p.checkName()
			line := p.lx.line
			args := p.callArgs()
			e = &exprMethod{obj: e, name: name, args: args, line: line}
		case '(', '{':
			line := p.lx.line
			args := p.callArgs()
			e = &exprCall{fn: e, args: args, line: line}
		default:
			return e
		}
	}
}

func (p *parser) callArgs() []expr {
	t := p.lx.tok
	switch {
	case t.kind == tkString:
		p.lx.next()
		return []expr{&exprConst{String(t.s)}}
	case t.kind == tkChar && t.ch == '{':
		return []expr{p.tableCons()}
	case t.kind == tkChar && t.ch == '(':
		line := t.line
		if line != p.lx.lastLine() {
			p.lx.errorf("(", "ambiguous syntax (function call x new statement)")
		}
		p.lx.next()
		var args []expr
		if !p.isChar(')') {
			args = p.exprList()
		}
		p.checkMatchChar(')', '(', line)
		return args
	}
	p.errNear("function arguments expected")
	return nil
}

func (p *parser) tableCons() expr {
	line := p.lx.tok.line
	p.checkChar('{')
	tc := &exprTable{line: line}
	for !p.isChar('}') {
		if p.lx.tok.kind == tkName && p.lx.peek().kind == tkChar && p.lx.peek().ch == '=' {
			name := p.checkName()
			p.lx.next()
			tc.items = append(tc.items, tableItem{key: &exprConst{String(name)}, val: p.expr()})
		} else if p.isChar('[') {
			p.lx.next()
			k := p.expr()
			p.checkChar(']')
			p.checkChar('=')
			tc.items = append(tc.items, tableItem{key: k, val: p.expr()})
		} else {
			tc.items = append(tc.items, tableItem{val: p.expr()})
		}
		if !p.testChar(',') && !p.testChar(';') {
			break
		}
	}
	p.checkMatchChar('}', '{', line)
	return tc
}

func (p *parser) simpleExpr() expr {
	t := p.lx.tok
	switch t.kind {
	case tkNumber:
		p.lx.next()
		return &exprConst{Number(t.n)}
	case tkString:
		p.lx.next()
		return &exprConst{String(t.s)}
	case tkNil:
		p.lx.next()
		return &exprConst{Nil}
	case tkTrue:
		p.lx.next()
		return &exprConst{True}
	case tkFalse:
		p.lx.next()
		return &exprConst{False}
	case tkDots:
		if !p.fs.vararg {
			p.lx.errorf("...", "cannot use '...' outside a vararg function")
		}
		p.lx.next()
		return &exprVararg{}
	case tkFunction:
		p.lx.next()
		return &exprFunc{p.funcBody(false, t.line, "anonymous")}
	case tkChar:
		if t.ch == '{' {
			return p.tableCons()
		}
	}
	return p.suffixedExpr()
}

type binPrio struct{ left, right int }

func binaryOp(t token) (int, binPrio, bool) {
	switch t.kind {
	case tkAnd:
		return opAnd, binPrio{2, 2}, true
	case tkOr:
		return opOr, binPrio{1, 1}, true
	case tkConcat:
		return opConcat, binPrio{5, 4}, true
	case tkEq:
		return opEq, binPrio{3, 3}, true
	case tkNe:
		return opNe, binPrio{3, 3}, true
	case tkLe:
		return opLe, binPrio{3, 3}, true
	case tkGe:
		return opGe, binPrio{3, 3}, true
	case tkChar:
		switch t.ch {
		case '+':
			return opAdd, binPrio{6, 6}, true
		case '-':
			return opSub, binPrio{6, 6}, true
		case '*':
			return opMul, binPrio{7, 7}, true
		case '/':
			return opDiv, binPrio{7, 7}, true
		case '%':
			return opMod, binPrio{7, 7}, true
		case '^':
			return opPow, binPrio{10, 9}, true
		case '<':
			return opLt, binPrio{3, 3}, true
		case '>':
			return opGt, binPrio{3, 3}, true
		}
	}
	return 0, binPrio{}, false
}

const unaryPrio = 8

func (p *parser) expr() expr { return p.subExpr(0) }

func (p *parser) subExpr(limit int) expr {
	p.enter()
	defer p.leave()
	var e expr
	t := p.lx.tok
	uop := -1
	switch {
	case t.kind == tkNot:
		uop = opNot
	case t.kind == tkChar && t.ch == '-':
		uop = opNeg
	case t.kind == tkChar && t.ch == '#':
		uop = opLen
	}
	if uop >= 0 {
		p.lx.next()
		a := p.subExpr(unaryPrio)
		// C Lua tags an instruction with the line of the last token read
		// when it is emitted, i.e. the operand's end.
		e = foldUnary(uop, a, p.lx.lastLine())
	} else {
		e = p.simpleExpr()
	}
	for n := 0; ; n++ {
		op, prio, ok := binaryOp(p.lx.tok)
		if !ok || prio.left <= limit {
			break
		}
		if n > maxChain {
			p.lx.errorf("", "chunk has too many syntax levels")
		}
		p.lx.next()
		b := p.subExpr(prio.right)
		line := p.lx.lastLine()
		switch op {
		case opAnd:
			e = &exprAnd{e, b}
		case opOr:
			e = &exprOr{e, b}
		default:
			e = foldBinary(op, e, b, line)
		}
	}
	return e
}

func foldUnary(op int, a expr, line int) expr {
	if c, ok := a.(*exprConst); ok && op == opNeg && c.v.t == TypeNumber {
		return &exprConst{Number(-c.v.n)}
	}
	return &exprUn{op: op, a: a, line: line}
}

func foldBinary(op int, a, b expr, line int) expr {
	ca, ok1 := a.(*exprConst)
	cb, ok2 := b.(*exprConst)
	if ok1 && ok2 && ca.v.t == TypeNumber && cb.v.t == TypeNumber {
		x, y := ca.v.n, cb.v.n
		switch op {
		case opAdd:
			return &exprConst{Number(x + y)}
		case opSub:
			return &exprConst{Number(x - y)}
		case opMul:
			return &exprConst{Number(x * y)}
		case opDiv:
			if y != 0 {
				return &exprConst{Number(x / y)}
			}
		}
	}
	return &exprBin{op: op, a: a, b: b, line: line}
}

func (p *parser) checkTarget(e expr) expr {
	switch e.(type) {
	case *exprLocal, *exprUpval, *exprGlobal, *exprIndex:
		return e
	}
	p.errNear("syntax error")
	return nil
}

// errorLimit is Lua 5.1's errorlimit: a function exceeded one of the
// compiler's fixed limits.
func (lx *lexer) errorLimit(fs *funcInfo, limit int, what string) {
	if fs.parent == nil {
		lx.errorf("", "main function has more than %d %s", limit, what)
	}
	lx.errorf("", "function at line %d has more than %d %s", fs.line, limit, what)
}

// checkUpvals enforces LUAI_MAXUPVALUES (60) before fs gets another
// upvalue.
func (lx *lexer) checkUpvals(fs *funcInfo) {
	if len(fs.upvals)+1 > 60 {
		lx.errorLimit(fs, 60, "upvalues")
	}
}
