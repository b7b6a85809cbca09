package luabridge

import (
	"strings"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
)

// gopher-lua's concatenation formats numbers its own way (Go's shortest
// representation); C Lua uses "%.14g". Scripts are compiled with every
// a..b..c rewritten into a call of concatName, which concatenates as C
// Lua does (numbers as tostring prints them, __concat metamethods, the
// same errors, naming the operand).
const concatName = "__moonkv_concat"

func rewriteConcat(stmts []ast.Stmt) {
	for _, s := range stmts {
		rewriteStmt(s)
	}
}

func rewriteStmt(s ast.Stmt) {
	switch st := s.(type) {
	case *ast.AssignStmt:
		rewriteExprs(st.Lhs)
		rewriteExprs(st.Rhs)
	case *ast.LocalAssignStmt:
		rewriteExprs(st.Exprs)
	case *ast.FuncCallStmt:
		st.Expr = rewriteExpr(st.Expr)
	case *ast.DoBlockStmt:
		rewriteConcat(st.Stmts)
	case *ast.WhileStmt:
		st.Condition = rewriteExpr(st.Condition)
		rewriteConcat(st.Stmts)
	case *ast.RepeatStmt:
		st.Condition = rewriteExpr(st.Condition)
		rewriteConcat(st.Stmts)
	case *ast.IfStmt:
		st.Condition = rewriteExpr(st.Condition)
		rewriteConcat(st.Then)
		rewriteConcat(st.Else)
	case *ast.NumberForStmt:
		st.Init = rewriteExpr(st.Init)
		st.Limit = rewriteExpr(st.Limit)
		st.Step = rewriteExpr(st.Step)
		rewriteConcat(st.Stmts)
	case *ast.GenericForStmt:
		rewriteExprs(st.Exprs)
		rewriteConcat(st.Stmts)
	case *ast.FuncDefStmt:
		if st.Name != nil {
			st.Name.Func = rewriteExpr(st.Name.Func)
			st.Name.Receiver = rewriteExpr(st.Name.Receiver)
		}
		rewriteExpr(st.Func)
	case *ast.ReturnStmt:
		rewriteExprs(st.Exprs)
	}
}

func rewriteExprs(es []ast.Expr) {
	for i, e := range es {
		es[i] = rewriteExpr(e)
	}
}

func rewriteExpr(e ast.Expr) ast.Expr {
	switch ex := e.(type) {
	case nil:
		return nil
	case *ast.StringConcatOpExpr:
		var args []ast.Expr
		var flatten func(x ast.Expr)
		flatten = func(x ast.Expr) {
			if c, ok := x.(*ast.StringConcatOpExpr); ok {
				flatten(c.Lhs)
				flatten(c.Rhs)
				return
			}
			args = append(args, rewriteExpr(x))
		}
		flatten(ex)
		fn := &ast.IdentExpr{Value: concatName}
		fn.SetLine(ex.Line())
		fn.SetLastLine(ex.LastLine())
		call := &ast.FuncCallExpr{Func: fn, Args: args, AdjustRet: true}
		call.SetLine(ex.Line())
		call.SetLastLine(ex.LastLine())
		return call
	case *ast.AttrGetExpr:
		ex.Object = rewriteExpr(ex.Object)
		ex.Key = rewriteExpr(ex.Key)
	case *ast.TableExpr:
		for _, f := range ex.Fields {
			f.Key = rewriteExpr(f.Key)
			f.Value = rewriteExpr(f.Value)
		}
	case *ast.FuncCallExpr:
		ex.Func = rewriteExpr(ex.Func)
		ex.Receiver = rewriteExpr(ex.Receiver)
		rewriteExprs(ex.Args)
	case *ast.LogicalOpExpr:
		ex.Lhs = rewriteExpr(ex.Lhs)
		ex.Rhs = rewriteExpr(ex.Rhs)
	case *ast.RelationalOpExpr:
		ex.Lhs = rewriteExpr(ex.Lhs)
		ex.Rhs = rewriteExpr(ex.Rhs)
	case *ast.ArithmeticOpExpr:
		ex.Lhs = rewriteExpr(ex.Lhs)
		ex.Rhs = rewriteExpr(ex.Rhs)
	case *ast.UnaryMinusOpExpr:
		ex.Expr = rewriteExpr(ex.Expr)
	case *ast.UnaryNotOpExpr:
		ex.Expr = rewriteExpr(ex.Expr)
	case *ast.UnaryLenOpExpr:
		ex.Expr = rewriteExpr(ex.Expr)
	case *ast.FunctionExpr:
		rewriteConcat(ex.Stmts)
	}
	return e
}

func concatable(v lua.LValue) bool {
	t := v.Type()
	return t == lua.LTString || t == lua.LTNumber
}

func appendConcat(b *strings.Builder, v lua.LValue) {
	if n, ok := v.(lua.LNumber); ok {
		b.WriteString(fmtNumber(float64(n)))
		return
	}
	b.WriteString(string(v.(lua.LString)))
}

// concat is the function concatenations are compiled into.
func (v *VM) concat(L *lua.LState) int {
	n := L.GetTop()
	all := true
	for i := 1; i <= n; i++ {
		if !concatable(L.Get(i)) {
			all = false
			break
		}
	}
	if all {
		var b strings.Builder
		for i := 1; i <= n; i++ {
			appendConcat(&b, L.Get(i))
		}
		L.Push(lua.LString(b.String()))
		return 1
	}
	// From the right, as luaV_concat does, with __concat metamethods.
	acc := L.Get(n)
	accArg := n
	for i := n - 1; i >= 1; i-- {
		lhs := L.Get(i)
		if concatable(lhs) && concatable(acc) {
			var b strings.Builder
			appendConcat(&b, lhs)
			appendConcat(&b, acc)
			acc, accArg = lua.LString(b.String()), 0
			continue
		}
		mm := L.GetMetaField(lhs, "__concat")
		if mm == lua.LNil {
			mm = L.GetMetaField(acc, "__concat")
		}
		if mm == lua.LNil {
			culprit, val := i, lhs
			if concatable(lhs) {
				culprit, val = accArg, acc
			}
			L.RaiseError("%s", concatError(L, culprit, val))
		}
		L.Push(mm)
		L.Push(lhs)
		L.Push(acc)
		L.Call(2, 1)
		acc, accArg = L.Get(-1), 0
		L.Pop(1)
	}
	L.Push(acc)
	return 1
}

// concatError words the error C Lua gives, naming the argument's
// variable from the calling instruction when arg is one (> 0).
func concatError(L *lua.LState, arg int, val lua.LValue) string {
	typ := val.Type().String()
	if arg > 0 {
		if _, p, pc, ok := failing(L, 1); ok {
			in := p.Code[pc]
			if op := opOf(in); op == lua.OP_CALL || op == lua.OP_TAILCALL {
				if kind, name := objName(p, pc, opA(in)+arg, 0); kind != "" {
					return "attempt to concatenate " + kind + " '" + name + "' (a " + typ + " value)"
				}
			}
		}
	}
	return "attempt to concatenate a " + typ + " value"
}
