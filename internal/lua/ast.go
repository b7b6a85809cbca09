package lua

// The parser produces this tree with every name already resolved to a
// local register, an upvalue slot or a global, so the compiler never
// looks names up.

type expr interface{}
type stmt interface{}

type localInfo struct {
	name     string
	reg      int
	captured bool // referenced by an inner function: lives in a heap box
}

type upvalDesc struct {
	name      string
	fromLocal *localInfo // captured from the enclosing function's local
	parentIdx int        // else: the enclosing function's upvalue index
}

type funcInfo struct {
	parent  *funcInfo
	name    string
	line    int
	params  []*localInfo
	vararg  bool
	body    []stmt
	nregs   int
	upvals  []upvalDesc
	actives []*localInfo
	freeReg int
	loops   int // enclosing loops, for "no loop to break"
}

type (
	exprConst  struct{ v Value }
	exprVararg struct{}
	exprLocal  struct{ v *localInfo }
	exprUpval  struct {
		idx  int
		name string
	}
	exprGlobal struct {
		name string
		line int
	}
	exprIndex struct {
		obj, key expr
		line     int
	}
	exprCall struct {
		fn   expr
		args []expr
		line int
	}
	exprMethod struct {
		obj  expr
		name string
		args []expr
		line int
	}
	exprFunc struct{ f *funcInfo }
	exprBin  struct {
		op   int
		a, b expr
		line int
	}
	exprAnd struct{ a, b expr }
	exprOr  struct{ a, b expr }
	exprUn  struct {
		op   int
		a    expr
		line int
	}
	exprParen struct{ e expr }
	exprTable struct {
		items []tableItem
		line  int
	}
)

type tableItem struct {
	key expr // nil for positional items
	val expr
}

type (
	stLocal struct {
		vars  []*localInfo
		exprs []expr
	}
	stAssign struct {
		targets []expr
		exprs   []expr
		line    int
	}
	stCall  struct{ call expr }
	stDo    struct{ body []stmt }
	stWhile struct {
		cond expr
		body []stmt
		line int
	}
	stRepeat struct {
		body []stmt
		cond expr
		line int
	}
	stIf struct {
		conds  []expr
		blocks [][]stmt
		els    []stmt
	}
	stNumFor struct {
		v                  *localInfo
		start, limit, step expr
		body               []stmt
		line               int
	}
	stGenFor struct {
		vars  []*localInfo
		exprs []expr
		body  []stmt
		line  int
	}
	stLocalFunc struct {
		v *localInfo
		f *funcInfo
	}
	stReturn struct {
		exprs []expr
		line  int
	}
	stBreak struct{}
)

// Binary operators.
const (
	opAdd = iota
	opSub
	opMul
	opDiv
	opMod
	opPow
	opConcat
	opEq
	opNe
	opLt
	opLe
	opGt
	opGe
	opAnd
	opOr
)

// Unary operators.
const (
	opNeg = iota
	opNot
	opLen
)
