package luabridge

import (
	"regexp"
	"strconv"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/moonkv/moonkv/internal/script"
)

// errorHandler is the message handler of a script's protected call (Redis's
// __redis__err__handler): it turns any error into an {err=...} table and
// notes where the script was when it failed.
func (v *VM) errorHandler(L *lua.LState) int {
	obj := L.Get(1)
	var t *lua.LTable
	switch {
	case v.run != nil && v.run.Killed():
		t = errTable(L, script.KilledError())
	default:
		if tb, ok := obj.(*lua.LTable); ok {
			t = tb
		} else {
			var s string
			switch x := obj.(type) {
			case lua.LString:
				s = nameRuntimeError(L, 1, string(x))
				if strings.Contains(s, "attempt to compare") && raisedInGo(L) {
					// C Lua's VM reports errors inside C functions
					// (table.sort's comparisons) without a position.
					if m := whereRe.FindStringIndex(s); m != nil {
						s = s[m[1]:]
					}
				}
			case lua.LNumber:
				s = fmtNumber(float64(x))
			default:
				s = lua.LVAsString(L.ToStringMeta(obj))
			}
			t = L.CreateTable(0, 3)
			t.RawSetString("err", lua.LString("ERR "+unrenameGoto(s)))
		}
	}
	// Level 1 is the function that raised; when it is a Go function
	// (error, redis.call...), the script's line is one level up.
	for level := 1; level <= 2; level++ {
		dbg, ok := L.GetStack(level)
		if !ok {
			break
		}
		if _, err := L.GetInfo("Sl", dbg, lua.LNil); err != nil {
			break
		}
		if dbg.What == "G" {
			continue
		}
		if dbg.CurrentLine > 0 {
			t.RawSetString("source", lua.LString(v.sourceOf(dbg.Source)))
			t.RawSetString("line", lua.LNumber(dbg.CurrentLine))
		}
		break
	}
	L.Push(t)
	return 1
}

// replyError replies with the error a script failed with, as Redis
// prints it: "<err> script: <sha>, on @user_script:<line>."
func (v *VM) replyError(run *script.Run, err error) {
	var msg, source string
	line := 0
	if ae, ok := err.(*lua.ApiError); ok {
		if t, ok := ae.Object.(*lua.LTable); ok {
			if s, ok := t.RawGetString("err").(lua.LString); ok {
				msg = string(s)
			} else {
				msg = "ERR unknown error"
			}
			if s, ok := t.RawGetString("source").(lua.LString); ok {
				source = string(s)
			}
			if n, ok := t.RawGetString("line").(lua.LNumber); ok {
				line = int(n)
			}
		} else if str, ok := ae.Object.(lua.LString); ok {
			// The handler could not run (the call stack was full): the
			// message still says where the script failed.
			msg = "ERR " + translateRuntimeError(string(str))
			if m := whereRe.FindStringSubmatch(string(str)); m != nil {
				source = v.sourceOf(m[1])
				line, _ = strconv.Atoi(m[2])
			}
		} else {
			msg = "ERR Error running script " + run.Script.SHA + ", " + lua.LVAsString(ae.Object)
		}
	} else {
		msg = "ERR " + err.Error()
	}
	if run.Killed() {
		msg = script.KilledError()
	}
	var b strings.Builder
	b.WriteString(msg)
	if source != "" && line > 0 {
		b.WriteString(" script: ")
		b.WriteString(run.Script.SHA)
		b.WriteString(", on ")
		b.WriteString(source)
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(line))
		b.WriteByte('.')
	}
	run.Ctx.ErrText(oneLine(b.String()))
}

// Runtime errors whose gopher-lua wording differs from C Lua's, rewritten
// to what Redis users see. C Lua also names the variable ("local 'a'",
// "global 'x'", "field 'f'"); gopher-lua does not know it.
var runtimeRewrites = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`attempt to index a non-table object\((\w+)\) with key '[^']*'`), "attempt to index a $1 value"},
	{regexp.MustCompile(`attempt to index a non-table object\((\w+)\)`), "attempt to index a $1 value"},
	{regexp.MustCompile(`attempt to call a non-function object`), "attempt to call a nil value"},
	{regexp.MustCompile(`__len undefined`), "attempt to get length of a nil value"},
	{regexp.MustCompile(`__unm undefined`), "attempt to perform arithmetic on a nil value"},
	{regexp.MustCompile(`bad argument #(\d+) to ([\w.:]+) \(`), "bad argument #$1 to '$2' ("},
	{regexp.MustCompile(`in table for concat$`), "in table for 'concat'"},
	{regexp.MustCompile(`for statement init must be a number`), "'for' initial value must be a number"},
	{regexp.MustCompile(`for statement limit must be a number`), "'for' limit must be a number"},
	{regexp.MustCompile(`for statement step must be a number`), "'for' step must be a number"},
	{regexp.MustCompile(`attempt to compare (\w+) with (\w+)`), "attempt to compare $1 with $2"},
}

var binopRe = regexp.MustCompile(`cannot perform (\w+) operation between (\w+) and (\w+)`)

var sameCompareRe = regexp.MustCompile(`attempt to compare (\w+) with (\w+)`)

func translateRuntimeError(s string) string {
	if m := sameCompareRe.FindStringSubmatchIndex(s); m != nil && s[m[2]:m[3]] == s[m[4]:m[5]] {
		return s[:m[0]] + "attempt to compare two " + s[m[2]:m[3]] + " values" + s[m[1]:]
	}
	if m := binopRe.FindStringSubmatchIndex(s); m != nil {
		op, lhs, rhs := s[m[2]:m[3]], s[m[4]:m[5]], s[m[6]:m[7]]
		// C Lua names the first operand that is not a number (or, for
		// concatenation, not a string or number).
		bad := lhs
		if lhs == "number" || (lhs == "string" && op == "concat") {
			bad = rhs
		}
		what := "perform arithmetic on"
		if op == "concat" {
			what = "concatenate"
		}
		return s[:m[0]] + "attempt to " + what + " a " + bad + " value" + s[m[1]:]
	}
	for _, rw := range runtimeRewrites {
		if rw.re.MatchString(s) {
			return rw.re.ReplaceAllString(s, rw.repl)
		}
	}
	return s
}

var whereRe = regexp.MustCompile(`^(user_script|\[string "[^"]*"\]):(\d+): `)

var (
	compileRe    = regexp.MustCompile(`^(\S+) line:(\d+)\(column:(\d+)\) near '(.*)':\s+(.*)$`)
	compileEOFRe = regexp.MustCompile(`^(\S+) at EOF:\s+(.*)$`)
)

// translateCompileError rewrites gopher-lua's parse errors into C Lua's
// layout ("user_script:1: <message> near '<token>'").
func translateCompileError(s, src string) string {
	s = strings.TrimSpace(s)
	if m := compileEOFRe.FindStringSubmatch(s); m != nil {
		what := m[2]
		switch what {
		case "syntax error":
			what = "unexpected symbol"
			if hint := eofHint(src); hint != "" {
				what = hint
			}
		case "unterminated string":
			what = "unfinished string"
		}
		line := 1 + strings.Count(src, "\n")
		return m[1] + ":" + strconv.Itoa(line) + ": " + what + " near '<eof>'"
	}
	if m := compileRe.FindStringSubmatch(s); m != nil {
		line, near, what := m[2], m[4], m[5]
		switch what {
		case "parse error":
			// gopher-lua's word for a statement that is neither a call
			// nor an assignment: C Lua expects the assignment's '='.
			what = "'=' expected"
		case "syntax error":
			what = "unexpected symbol"
			if ln, err := strconv.Atoi(line); err == nil {
				if col, err := strconv.Atoi(m[3]); err == nil {
					if h := midHint(src, ln, col, near); h != "" {
						what = h
					}
				}
			}
		case "unterminated string":
			// C Lua shows the opening quote and the line the string
			// began on; gopher-lua has already counted the newline.
			what, near = "unfinished string", "'"+near
			if n, err := strconv.Atoi(line); err == nil && n > 1 {
				line = strconv.Itoa(n - 1)
			}
		}
		if near == "EOF" {
			near = "<eof>"
		}
		return m[1] + ":" + line + ": " + what + " near '" + near + "'"
	}
	return s
}

// sourceOf is the chunk name Redis's error handler reports for a
// gopher-lua source name: "@user_script" for scripts, the loaded string
// itself for loadstring chunks.
func (v *VM) sourceOf(name string) string {
	if name == "user_script" {
		return "@user_script"
	}
	if raw, ok := v.chunks[name]; ok {
		return raw
	}
	return name
}

// raisedInGo reports whether the error was raised while a Go library
// function (level 1) was running.
func raisedInGo(L *lua.LState) bool {
	dbg, ok := L.GetStack(1)
	if !ok {
		return false
	}
	if _, err := L.GetInfo("S", dbg, lua.LNil); err != nil {
		return false
	}
	return dbg.What == "G"
}
