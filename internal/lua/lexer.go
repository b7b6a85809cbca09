package lua

import (
	"fmt"
	"strings"
)

type tokenKind int

const (
	tkEOF tokenKind = iota
	tkName
	tkNumber
	tkString
	// reserved words
	tkAnd
	tkBreak
	tkDo
	tkElse
	tkElseif
	tkEnd
	tkFalse
	tkFor
	tkFunction
	tkIf
	tkIn
	tkLocal
	tkNil
	tkNot
	tkOr
	tkRepeat
	tkReturn
	tkThen
	tkTrue
	tkUntil
	tkWhile
	// multi-char symbols
	tkConcat
	tkDots
	tkEq
	tkGe
	tkLe
	tkNe
	tkChar // single-character token, in tok.ch
)

var reserved = map[string]tokenKind{
	"and": tkAnd, "break": tkBreak, "do": tkDo, "else": tkElse, "elseif": tkElseif,
	"end": tkEnd, "false": tkFalse, "for": tkFor, "function": tkFunction, "if": tkIf,
	"in": tkIn, "local": tkLocal, "nil": tkNil, "not": tkNot, "or": tkOr,
	"repeat": tkRepeat, "return": tkReturn, "then": tkThen, "true": tkTrue,
	"until": tkUntil, "while": tkWhile,
}

var tokenNames = map[tokenKind]string{
	tkEOF: "<eof>", tkConcat: "..", tkDots: "...", tkEq: "==", tkGe: ">=", tkLe: "<=", tkNe: "~=",
	tkName: "<name>", tkNumber: "<number>", tkString: "<string>",
}

func init() {
	for k, v := range reserved {
		tokenNames[v] = k
	}
}

type token struct {
	kind tokenKind
	ch   byte
	s    string  // name or string contents; raw text for numbers
	n    float64 // number value
	line int
}

// syntaxError is a compile error; its message already carries the
// "chunk:line:" prefix.
type syntaxError struct{ msg string }

func (e *syntaxError) Error() string { return e.msg }

type lexer struct {
	src   string
	pos   int
	line  int
	chunk string // display name for messages
	tok   token
	ahead token
	hasAh bool
	last  int // line of the previous token
	buf   strings.Builder
}

func (lx *lexer) lastLine() int { return lx.last }

func (lx *lexer) errorf(near string, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if near != "" {
		msg += " near '" + near + "'"
	}
	panic(&syntaxError{fmt.Sprintf("%s:%d: %s", lx.chunk, lx.line, msg)})
}

func (lx *lexer) tokenText(t token) string {
	switch t.kind {
	case tkName, tkString, tkNumber:
		return t.s
	case tkChar:
		return string(t.ch)
	}
	return tokenNames[t.kind]
}

func (lx *lexer) next() {
	lx.last = lx.tok.line
	if lx.hasAh {
		lx.tok = lx.ahead
		lx.hasAh = false
		return
	}
	lx.tok = lx.scan()
}

func (lx *lexer) peek() token {
	if !lx.hasAh {
		lx.ahead = lx.scan()
		lx.hasAh = true
	}
	return lx.ahead
}

func isAlpha(c byte) bool { return c == '_' || (c|0x20) >= 'a' && (c|0x20) <= 'z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool { return isAlpha(c) || isDigit(c) }

func (lx *lexer) cur() byte {
	if lx.pos < len(lx.src) {
		return lx.src[lx.pos]
	}
	return 0
}

func (lx *lexer) at(i int) byte {
	if lx.pos+i < len(lx.src) {
		return lx.src[lx.pos+i]
	}
	return 0
}

// newline consumes \n, \r, \n\r or \r\n as one line break.
func (lx *lexer) newline() {
	c := lx.src[lx.pos]
	lx.pos++
	if lx.pos < len(lx.src) && (lx.src[lx.pos] == '\n' || lx.src[lx.pos] == '\r') && lx.src[lx.pos] != c {
		lx.pos++
	}
	lx.line++
}

func (lx *lexer) scan() token {
	for {
		if lx.pos >= len(lx.src) {
			return token{kind: tkEOF, line: lx.line}
		}
		c := lx.src[lx.pos]
		switch c {
		case '\n', '\r':
			lx.newline()
			continue
		case ' ', '\t', '\f', '\v':
			lx.pos++
			continue
		case '-':
			if lx.at(1) != '-' {
				lx.pos++
				return token{kind: tkChar, ch: '-', line: lx.line}
			}
			lx.pos += 2
			if lx.cur() == '[' {
				if sep := lx.longBracketLevel(); sep >= 0 {
					lx.longString(sep, true)
					continue
				}
			}
			for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' && lx.src[lx.pos] != '\r' {
				lx.pos++
			}
			continue
		case '[':
			sep := lx.longBracketLevel()
			if sep >= 0 {
				line := lx.line
				s := lx.longString(sep, false)
				return token{kind: tkString, s: s, line: line}
			}
			if sep != -1 {
				lx.errorf("[", "invalid long string delimiter")
			}
			lx.pos++
			return token{kind: tkChar, ch: '[', line: lx.line}
		case '=':
			return lx.two('=', tkEq, '=')
		case '<':
			return lx.two('=', tkLe, '<')
		case '>':
			return lx.two('=', tkGe, '>')
		case '~':
			return lx.two('=', tkNe, '~')
		case '"', '\'':
			return lx.readString(c)
		case '.':
			if lx.at(1) == '.' {
				if lx.at(2) == '.' {
					lx.pos += 3
					return token{kind: tkDots, line: lx.line}
				}
				lx.pos += 2
				return token{kind: tkConcat, line: lx.line}
			}
			if isDigit(lx.at(1)) {
				return lx.readNumber()
			}
			lx.pos++
			return token{kind: tkChar, ch: '.', line: lx.line}
		}
		if isDigit(c) {
			return lx.readNumber()
		}
		if isAlpha(c) {
			start := lx.pos
			for lx.pos < len(lx.src) && isAlnum(lx.src[lx.pos]) {
				lx.pos++
			}
			word := lx.src[start:lx.pos]
			if k, ok := reserved[word]; ok {
				return token{kind: k, line: lx.line}
			}
			return token{kind: tkName, s: word, line: lx.line}
		}
		lx.pos++
		return token{kind: tkChar, ch: c, line: lx.line}
	}
}

func (lx *lexer) two(second byte, k tokenKind, single byte) token {
	if lx.at(1) == second {
		lx.pos += 2
		return token{kind: k, line: lx.line}
	}
	lx.pos++
	return token{kind: tkChar, ch: single, line: lx.line}
}

// longBracketLevel checks for [=*[ at pos; returns the level, or -1 when
// it is a lone '[', or -2-level for a malformed opener.
func (lx *lexer) longBracketLevel() int {
	i := lx.pos + 1
	lvl := 0
	for i < len(lx.src) && lx.src[i] == '=' {
		i++
		lvl++
	}
	if i < len(lx.src) && lx.src[i] == '[' {
		return lvl
	}
	if lvl == 0 {
		return -1
	}
	return -2 - lvl
}

func (lx *lexer) longString(lvl int, comment bool) string {
	lx.pos += lvl + 2
	if lx.pos < len(lx.src) && (lx.src[lx.pos] == '\n' || lx.src[lx.pos] == '\r') {
		lx.newline()
	}
	lx.buf.Reset()
	for {
		if lx.pos >= len(lx.src) {
			if comment {
				lx.errorf("<eof>", "unfinished long comment")
			}
			lx.errorf("<eof>", "unfinished long string")
		}
		c := lx.src[lx.pos]
		switch c {
		case ']':
			j := lx.pos + 1
			l := 0
			for j < len(lx.src) && lx.src[j] == '=' {
				j++
				l++
			}
			if l == lvl && j < len(lx.src) && lx.src[j] == ']' {
				lx.pos = j + 1
				return lx.buf.String()
			}
			lx.buf.WriteByte(c)
			lx.pos++
		case '\n', '\r':
			lx.buf.WriteByte('\n')
			lx.newline()
		default:
			lx.buf.WriteByte(c)
			lx.pos++
		}
	}
}

func (lx *lexer) readString(q byte) token {
	line := lx.line
	lx.pos++
	lx.buf.Reset()
	for {
		if lx.pos >= len(lx.src) {
			lx.errorf("<eof>", "unfinished string")
		}
		c := lx.src[lx.pos]
		if c == q {
			lx.pos++
			break
		}
		switch c {
		case '\n', '\r':
			lx.errorf(string(q)+lx.buf.String(), "unfinished string")
		case '\\':
			lx.pos++
			if lx.pos >= len(lx.src) {
				lx.errorf("<eof>", "unfinished string")
			}
			e := lx.src[lx.pos]
			switch e {
			case 'a':
				lx.buf.WriteByte('\a')
			case 'b':
				lx.buf.WriteByte('\b')
			case 'f':
				lx.buf.WriteByte('\f')
			case 'n':
				lx.buf.WriteByte('\n')
			case 'r':
				lx.buf.WriteByte('\r')
			case 't':
				lx.buf.WriteByte('\t')
			case 'v':
				lx.buf.WriteByte('\v')
			case '\n', '\r':
				lx.buf.WriteByte('\n')
				lx.newline()
				continue
			default:
				if isDigit(e) {
					v := 0
					for i := 0; i < 3 && lx.pos < len(lx.src) && isDigit(lx.src[lx.pos]); i++ {
						v = v*10 + int(lx.src[lx.pos]-'0')
						lx.pos++
					}
					if v > 255 {
						lx.errorf(string(q)+lx.buf.String(), "escape sequence too large")
					}
					lx.buf.WriteByte(byte(v))
					continue
				}
				lx.buf.WriteByte(e)
			}
			lx.pos++
		default:
			lx.buf.WriteByte(c)
			lx.pos++
		}
	}
	return token{kind: tkString, s: lx.buf.String(), line: line}
}

func (lx *lexer) readNumber() token {
	start := lx.pos
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if isDigit(c) || c == '.' {
			lx.pos++
		} else if c == 'e' || c == 'E' {
			lx.pos++
			if lx.pos < len(lx.src) && (lx.src[lx.pos] == '+' || lx.src[lx.pos] == '-') {
				lx.pos++
			}
		} else {
			break
		}
	}
	for lx.pos < len(lx.src) && isAlnum(lx.src[lx.pos]) {
		lx.pos++
	}
	text := lx.src[start:lx.pos]
	n, ok := str2number(text)
	if !ok {
		lx.errorf(text, "malformed number")
	}
	return token{kind: tkNumber, s: text, n: n, line: lx.line}
}
