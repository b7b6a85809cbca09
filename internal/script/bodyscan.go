package script

import (
	"github.com/moonkv/moonkv/internal/server"
)

// The load-time scan is a small Lua lexer, not a parser: it skips
// comments and strings, finds redis.call( and redis.pcall(, and reads the
// call's arguments as far as they are single string literals. Where the
// command's key specs put a key on a literal argument, the body names a
// key it does not take from KEYS. A call through an alias (local c =
// redis.call) or with a computed name is not seen: the run-time check
// catches those.

type bodyKey struct {
	cmd, key string
	line     int
}

// litArg is one argument of a scanned call: a string literal's value, or
// an expression the scan does not evaluate.
type litArg struct {
	lit bool
	val string
}

// dynArg stands for a computed argument: Spec.Keys sees an argument that
// is neither a number nor a keyword, and no key is reported on it.
var dynArg = []byte("\x00")

type lexer struct {
	src  []byte
	i    int
	line int
}

// scanBodyKeys counts the literal key arguments of the body's redis.call
// and redis.pcall calls and returns the first one.
func scanBodyKeys(body []byte, skip int, reg *server.Registry) (n int, first bodyKey) {
	lx := &lexer{src: body, i: skip, line: 1}
	var args []litArg
	var argv [][]byte
	for lx.i < len(lx.src) {
		if !lx.findCall() {
			break
		}
		line := lx.line
		args = lx.callArgs(args[:0])
		if len(args) == 0 || !args[0].lit {
			continue
		}
		argv = argv[:0]
		for _, a := range args {
			if a.lit {
				argv = append(argv, []byte(a.val))
			} else {
				argv = append(argv, dynArg)
			}
		}
		spec := reg.LookupArgs(argv)
		if spec == nil || (spec.Subs != nil && len(argv) >= 2) {
			continue
		}
		idx, ok := spec.Keys(argv)
		if !ok {
			continue
		}
		for _, j := range idx {
			if j < len(args) && args[j].lit {
				if n == 0 {
					first = bodyKey{cmd: spec.Name, key: args[j].val, line: line}
				}
				n++
			}
		}
	}
	return n, first
}

func isIdentStart(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isIdent(c byte) bool { return isIdentStart(c) || ('0' <= c && c <= '9') }

// findCall advances past the next "redis.call(" or "redis.pcall(" outside
// strings and comments, leaving the lexer on the first argument. It
// returns false at the end of the source.
func (lx *lexer) findCall() bool {
	prevDot := false
	for lx.i < len(lx.src) {
		c := lx.src[lx.i]
		switch {
		case c == '\n':
			lx.line++
			lx.i++
		case c == '-' && lx.peek(1) == '-':
			lx.comment()
		case c == '"' || c == '\'':
			lx.shortString(false)
			prevDot = false
			continue
		case c == '[' && lx.longLevel() >= 0:
			lx.longString(false)
			prevDot = false
			continue
		case isIdentStart(c):
			id := lx.ident()
			if string(id) == "redis" && !prevDot && lx.callAfterRedis() {
				return true
			}
			prevDot = false
			continue
		case '0' <= c && c <= '9':
			// a number: skip it whole (1e5, 0x1F) so its letters are not names
			for lx.i < len(lx.src) && (isIdent(lx.src[lx.i]) || lx.src[lx.i] == '.') {
				lx.i++
			}
		default:
			// a field (x.redis, x:redis), but not a concatenation (x..redis)
			prevDot = c == ':' || (c == '.' && (lx.i == 0 || lx.src[lx.i-1] != '.'))
			lx.i++
			continue
		}
		prevDot = false
	}
	return false
}

// callAfterRedis reads ".call(" or ".pcall(" after the name redis.
func (lx *lexer) callAfterRedis() bool {
	save, saveLine := lx.i, lx.line
	lx.space()
	if lx.peek(0) == '.' {
		lx.i++
		lx.space()
		if isIdentStart(lx.peek(0)) {
			if id := lx.ident(); string(id) == "call" || string(id) == "pcall" {
				lx.space()
				if lx.peek(0) == '(' {
					lx.i++
					return true
				}
			}
		}
	}
	lx.i, lx.line = save, saveLine
	return false
}

// callArgs reads a call's arguments up to its closing parenthesis.
func (lx *lexer) callArgs(args []litArg) []litArg {
	for {
		lx.space()
		if lx.i >= len(lx.src) {
			return args
		}
		if lx.src[lx.i] == ')' {
			lx.i++
			return args
		}
		a := litArg{}
		if c := lx.src[lx.i]; c == '"' || c == '\'' || (c == '[' && lx.longLevel() >= 0) {
			var v string
			if c == '[' {
				v = lx.longString(true)
			} else {
				v = lx.shortString(true)
			}
			lx.space()
			if c := lx.peek(0); c == ',' || c == ')' {
				a = litArg{lit: true, val: v}
			}
		} else if '0' <= c && c <= '9' {
			// a decimal integer (a key count, say) passes as its digits
			start := lx.i
			for lx.i < len(lx.src) && '0' <= lx.src[lx.i] && lx.src[lx.i] <= '9' {
				lx.i++
			}
			v := string(lx.src[start:lx.i])
			lx.space()
			if c := lx.peek(0); c == ',' || c == ')' {
				a = litArg{lit: true, val: v}
			}
		}
		if !a.lit {
			lx.expression()
		}
		args = append(args, a)
		switch lx.peek(0) {
		case ',':
			lx.i++
		case ')':
		default:
			// a stray ']' or '}', or the end: not a call Lua compiles
			return args
		}
	}
}

// expression skips to the ',' or ')' that ends an argument, across
// nested brackets, strings and comments.
func (lx *lexer) expression() {
	depth := 0
	for lx.i < len(lx.src) {
		c := lx.src[lx.i]
		switch {
		case c == '\n':
			lx.line++
		case c == '-' && lx.peek(1) == '-':
			lx.comment()
			continue
		case c == '"' || c == '\'':
			lx.shortString(false)
			continue
		case c == '[' && lx.longLevel() >= 0:
			lx.longString(false)
			continue
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			if depth == 0 {
				return
			}
			depth--
		case c == ',' && depth == 0:
			return
		}
		lx.i++
	}
}

func (lx *lexer) peek(k int) byte {
	if lx.i+k < len(lx.src) {
		return lx.src[lx.i+k]
	}
	return 0
}

// ident reads a name; the slice points into the source (comparing it with
// a string does not allocate).
func (lx *lexer) ident() []byte {
	start := lx.i
	for lx.i < len(lx.src) && isIdent(lx.src[lx.i]) {
		lx.i++
	}
	return lx.src[start:lx.i]
}

// space skips white space and comments.
func (lx *lexer) space() {
	for lx.i < len(lx.src) {
		switch c := lx.src[lx.i]; {
		case c == '\n':
			lx.line++
			lx.i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			lx.i++
		case c == '-' && lx.peek(1) == '-':
			lx.comment()
		default:
			return
		}
	}
}

// comment skips a "--" comment, short or long.
func (lx *lexer) comment() {
	lx.i += 2
	if lx.peek(0) == '[' && lx.longLevel() >= 0 {
		lx.longString(false)
		return
	}
	for lx.i < len(lx.src) && lx.src[lx.i] != '\n' {
		lx.i++
	}
}

// longLevel is the level of a long bracket opening at the lexer ("[[" is
// 0, "[==[" is 2), or -1.
func (lx *lexer) longLevel() int {
	j := lx.i + 1
	for j < len(lx.src) && lx.src[j] == '=' {
		j++
	}
	if j < len(lx.src) && lx.src[j] == '[' {
		return j - lx.i - 1
	}
	return -1
}

// longString reads a long bracket string and, with value, returns its
// contents (a first newline is dropped, as Lua does).
func (lx *lexer) longString(value bool) string {
	level := lx.longLevel()
	lx.i += level + 2
	if lx.peek(0) == '\r' || lx.peek(0) == '\n' {
		if lx.peek(0) == '\n' {
			lx.line++
		}
		lx.i++
	}
	start := lx.i
	for lx.i < len(lx.src) {
		c := lx.src[lx.i]
		if c == '\n' {
			lx.line++
		}
		if c == ']' {
			j := lx.i + 1
			for j < len(lx.src) && lx.src[j] == '=' {
				j++
			}
			if j < len(lx.src) && lx.src[j] == ']' && j-lx.i-1 == level {
				end := lx.i
				lx.i = j + 1
				if !value {
					return ""
				}
				return string(lx.src[start:end])
			}
		}
		lx.i++
	}
	if !value {
		return ""
	}
	return string(lx.src[start:])
}

// shortString reads a quoted string and, with value, returns its value,
// escapes decoded as Lua 5.1 decodes them.
func (lx *lexer) shortString(value bool) string {
	q := lx.src[lx.i]
	lx.i++
	var b []byte
	for lx.i < len(lx.src) {
		if !value {
			// only find the end: skip escaped characters
			switch c := lx.src[lx.i]; {
			case c == q:
				lx.i++
				return ""
			case c == '\n':
				return ""
			case c == '\\' && lx.i+1 < len(lx.src):
				if lx.src[lx.i+1] == '\n' {
					lx.line++
				}
				lx.i += 2
			default:
				lx.i++
			}
			continue
		}
		c := lx.src[lx.i]
		switch {
		case c == q:
			lx.i++
			return string(b)
		case c == '\n':
			// an unfinished string: Lua would not compile it
			return string(b)
		case c == '\\' && lx.i+1 < len(lx.src):
			lx.i++
			e := lx.src[lx.i]
			lx.i++
			switch e {
			case 'n':
				b = append(b, '\n')
			case 't':
				b = append(b, '\t')
			case 'r':
				b = append(b, '\r')
			case 'a':
				b = append(b, '\a')
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'v':
				b = append(b, '\v')
			case '\n':
				lx.line++
				b = append(b, '\n')
			default:
				if '0' <= e && e <= '9' {
					n := int(e - '0')
					for k := 0; k < 2 && lx.i < len(lx.src) && '0' <= lx.src[lx.i] && lx.src[lx.i] <= '9'; k++ {
						n = n*10 + int(lx.src[lx.i]-'0')
						lx.i++
					}
					b = append(b, byte(n))
				} else {
					b = append(b, e)
				}
			}
			continue
		default:
			b = append(b, c)
		}
		lx.i++
	}
	return string(b)
}
