package luabridge

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// C Lua names the value an operation failed on ("attempt to index local
// 'a' (a nil value)"); gopher-lua only says what kind of value it was.
// nameRuntimeError rebuilds C Lua's message from the failing instruction,
// found while the stack is still intact (in the error handlers).

var (
	indexErrRe = regexp.MustCompile(`^(.*?)attempt to index a non-table object\((\w+)\)(?: with key '[^']*')?$`)
	callErrRe  = regexp.MustCompile(`^(.*?)attempt to call a non-function object$`)
	lenErrRe   = regexp.MustCompile(`^(.*?)__len undefined$`)
	unmErrRe   = regexp.MustCompile(`^(.*?)__unm undefined$`)
	arithErrRe = regexp.MustCompile(`^(.*?)cannot perform (\w+) operation between (\w+) and (\w+)$`)
)

// failing returns the proto and instruction index a Lua frame stopped at.
func failing(L *lua.LState, level int) (*lua.Debug, *lua.FunctionProto, int, bool) {
	dbg, ok := L.GetStack(level)
	if !ok {
		return nil, nil, 0, false
	}
	fv, err := L.GetInfo("fSl", dbg, lua.LNil)
	if err != nil || dbg.What == "G" {
		return nil, nil, 0, false
	}
	fn, ok := fv.(*lua.LFunction)
	if !ok || fn.IsG || fn.Proto == nil {
		return nil, nil, 0, false
	}
	// gopher-lua does not export the frame's pc: read it.
	frame := reflect.ValueOf(dbg).Elem().FieldByName("frame")
	if !frame.IsValid() || frame.IsNil() {
		return nil, nil, 0, false
	}
	pcField := frame.Elem().FieldByName("Pc")
	if !pcField.IsValid() {
		return nil, nil, 0, false
	}
	pc := int(pcField.Int()) - 1
	if pc < 0 || pc >= len(fn.Proto.Code) {
		return nil, nil, 0, false
	}
	return dbg, fn.Proto, pc, true
}

func opA(i uint32) int  { return int(i>>18) & 0xff }
func opB(i uint32) int  { return int(i & 0x1ff) }
func opC(i uint32) int  { return int(i>>9) & 0x1ff }
func opBx(i uint32) int { return int(i & 0x3ffff) }
func opOf(i uint32) int { return int(i >> 26) }

const rkBit = 1 << 8

// objName is C Lua's getobjname: what register reg held at instruction
// pc ("local", "global", "field", "upvalue", "method"), if known.
func objName(p *lua.FunctionProto, pc, reg int, depth int) (kind, name string) {
	if n, ok := localName(p, reg, pc); ok {
		return "local", n
	}
	if depth > 8 {
		return "", ""
	}
	for i := pc - 1; i >= 0; i-- {
		in := p.Code[i]
		op, a := opOf(in), opA(in)
		switch op {
		case lua.OP_JMP, lua.OP_EQ, lua.OP_LT, lua.OP_LE, lua.OP_TEST, lua.OP_SETGLOBAL,
			lua.OP_SETUPVAL, lua.OP_SETTABLE, lua.OP_SETTABLEKS, lua.OP_SETLIST, lua.OP_CLOSE,
			lua.OP_RETURN, lua.OP_NOP, lua.OP_FORPREP:
			continue
		case lua.OP_LOADNIL:
			if a <= reg && reg <= opB(in) {
				return "", ""
			}
			continue
		case lua.OP_CALL:
			if reg >= a {
				return "", ""
			}
			continue
		case lua.OP_TFORLOOP:
			if reg >= a+3 {
				return "", ""
			}
			continue
		case lua.OP_SELF:
			if reg == a+1 {
				return objName(p, i, opB(in), depth+1)
			}
		case lua.OP_MOVEN:
			if reg >= a && reg <= a+opC(in) {
				if reg == a {
					return objName(p, i, opB(in), depth+1)
				}
				return "", ""
			}
			continue
		}
		if a != reg {
			continue
		}
		switch op {
		case lua.OP_GETGLOBAL:
			if s, ok := p.Constants[opBx(in)].(lua.LString); ok {
				return "global", string(s)
			}
		case lua.OP_MOVE:
			if b := opB(in); b < a {
				return objName(p, i, b, depth+1)
			}
		case lua.OP_GETTABLE, lua.OP_GETTABLEKS:
			return "field", constName(p, opC(in))
		case lua.OP_GETUPVAL:
			if b := opB(in); b < len(p.DbgUpvalues) {
				return "upvalue", p.DbgUpvalues[b]
			}
		case lua.OP_SELF:
			return "method", constName(p, opC(in))
		}
		return "", ""
	}
	return "", ""
}

func constName(p *lua.FunctionProto, rk int) string {
	if rk&rkBit == 0 {
		return "?"
	}
	if k := rk &^ rkBit; k < len(p.Constants) {
		if s, ok := p.Constants[k].(lua.LString); ok {
			return string(s)
		}
	}
	return "?"
}

// localName is the name of the local variable in register reg at pc.
func localName(p *lua.FunctionProto, reg, pc int) (string, bool) {
	n := reg + 1
	for _, l := range p.DbgLocals {
		if l.StartPc > pc {
			break
		}
		if pc < l.EndPc {
			n--
			if n == 0 {
				if strings.HasPrefix(l.Name, "(") {
					return "", false
				}
				return l.Name, true
			}
		}
	}
	return "", false
}

// nameRuntimeError rewrites a gopher-lua runtime error raised by the Lua
// function at level into C Lua's words, naming the variable when it can.
func nameRuntimeError(L *lua.LState, level int, msg string) string {
	dbg, p, pc, ok := failing(L, level)
	if !ok {
		return fixArgError(L, translateRuntimeError(msg))
	}
	in := p.Code[pc]
	op := opOf(in)
	describe := func(reg int, typ string) string {
		kind, name := objName(p, pc, reg, 0)
		if kind == "" {
			return "a " + typ + " value"
		}
		return kind + " '" + name + "' (a " + typ + " value)"
	}
	localType := func(reg int) string {
		if name, v := L.GetLocal(dbg, reg+1); name != "" && v != nil {
			return v.Type().String()
		}
		return "nil"
	}
	if m := indexErrRe.FindStringSubmatch(msg); m != nil {
		reg := -1
		switch op {
		case lua.OP_GETTABLE, lua.OP_GETTABLEKS, lua.OP_SELF:
			reg = opB(in)
		case lua.OP_SETTABLE, lua.OP_SETTABLEKS:
			reg = opA(in)
		}
		if reg >= 0 {
			return m[1] + "attempt to index " + describe(reg, m[2])
		}
	}
	if m := callErrRe.FindStringSubmatch(msg); m != nil && (op == lua.OP_CALL || op == lua.OP_TAILCALL) {
		return m[1] + "attempt to call " + describe(opA(in), localType(opA(in)))
	}
	if m := lenErrRe.FindStringSubmatch(msg); m != nil && op == lua.OP_LEN {
		return m[1] + "attempt to get length of " + describe(opB(in), localType(opB(in)))
	}
	if m := unmErrRe.FindStringSubmatch(msg); m != nil && op == lua.OP_UNM {
		return m[1] + "attempt to perform arithmetic on " + describe(opB(in), localType(opB(in)))
	}
	if m := arithErrRe.FindStringSubmatch(msg); m != nil && m[2] == "concat" && op == lua.OP_CONCAT {
		// C Lua concatenates from the right and names the first operand
		// that is neither a string nor a number.
		value := func(reg int) lua.LValue {
			if name, v := L.GetLocal(dbg, reg+1); name != "" && v != nil {
				return v
			}
			return lua.LNil
		}
		ok := func(v lua.LValue) bool {
			t := v.Type()
			return t == lua.LTString || t == lua.LTNumber
		}
		b, c := opB(in), opC(in)
		culprit := -1
		if !ok(value(c)) {
			culprit = c
			if c-1 >= b && !ok(value(c-1)) {
				culprit = c - 1
			}
		} else {
			for k := c - 1; k >= b; k-- {
				if !ok(value(k)) {
					culprit = k
					break
				}
			}
		}
		if culprit >= 0 {
			return m[1] + "attempt to concatenate " + describe(culprit, value(culprit).Type().String())
		}
	}
	if m := arithErrRe.FindStringSubmatch(msg); m != nil && m[2] != "concat" && op >= lua.OP_ADD && op <= lua.OP_POW {
		rk, typ := opB(in), m[3]
		if m[3] == "number" {
			rk, typ = opC(in), m[4]
		}
		if rk&rkBit != 0 {
			return m[1] + "attempt to perform arithmetic on a " + typ + " value"
		}
		return m[1] + "attempt to perform arithmetic on " + describe(rk, typ)
	}
	return translateRuntimeError(msg)
}

var argErrRe = regexp.MustCompile(`^(.*?)bad argument #(\d+) to '?([\w.:?]+)'? \((.*)\)$`)

// fixArgError rewrites a Go library function's argument error as C Lua
// words it: "got no value" for a missing argument (gopher-lua says nil),
// and arguments counted without self for method calls.
func fixArgError(L *lua.LState, msg string) string {
	m := argErrRe.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	dbg, ok := L.GetStack(1)
	if !ok {
		return msg
	}
	if _, err := L.GetInfo("S", dbg, lua.LNil); err != nil || dbg.What != "G" {
		return msg
	}
	frame := reflect.ValueOf(dbg).Elem().FieldByName("frame")
	if !frame.IsValid() || frame.IsNil() {
		return msg
	}
	nargs := int(frame.Elem().FieldByName("NArgs").Int())
	n, _ := strconv.Atoi(m[2])
	detail := m[4]
	// (struct.pack really sees a nil past its arguments: C's version
	// pushes one.)
	if n > nargs && strings.HasSuffix(detail, ", got nil") && m[3] != "pack" {
		detail = strings.TrimSuffix(detail, "nil") + "no value"
	}
	// A method call (obj:f()) counts arguments from after self.
	if _, p, pc, ok := failing(L, 2); ok {
		in := p.Code[pc]
		if op := opOf(in); op == lua.OP_CALL || op == lua.OP_TAILCALL {
			if kind, _ := objName(p, pc, opA(in), 0); kind == "method" {
				n--
				if n == 0 {
					return m[1] + "calling '" + m[3] + "' on bad self (" + detail + ")"
				}
			}
		}
	}
	return m[1] + "bad argument #" + strconv.Itoa(n) + " to '" + m[3] + "' (" + detail + ")"
}
