package luabridge

import (
	"strconv"
	"strings"
)

// gopher-lua's parser only says "syntax error". When a script ends too
// early, C Lua says what it expected ("'end' expected (to close 'if' at
// line 1) near '<eof>'"). eofHint finds that from the tokens: the
// innermost block left open, or the keyword or name the last token calls
// for. It returns "" when it cannot tell.

type luaToken struct {
	text string
	line int
	kind byte // 'n' name or keyword, 'v' value (number, string), 'p' punctuation
	end  int  // byte offset just past the token
}

// luaTokens splits source into tokens, skipping comments and whitespace.
// ok is false for source it cannot tokenize (left to gopher-lua's words).
func luaTokens(src string) (toks []luaToken, lines int, ok bool) {
	line := 1
	i := 0
	longBracket := func(j int) (level int, ok bool) {
		if j >= len(src) || src[j] != '[' {
			return 0, false
		}
		k := j + 1
		for k < len(src) && src[k] == '=' {
			k++
		}
		if k < len(src) && src[k] == '[' {
			return k - j - 1, true
		}
		return 0, false
	}
	skipLong := func(j, level int) (int, bool) {
		closer := "]" + strings.Repeat("=", level) + "]"
		end := strings.Index(src[j:], closer)
		if end < 0 {
			return 0, false
		}
		line += strings.Count(src[j:j+end], "\n")
		return j + end + len(closer), true
	}
	for i < len(src) {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			if lvl, ok := longBracket(i + 2); ok {
				j, ok := skipLong(i+2+lvl+2, lvl)
				if !ok {
					return nil, 0, false
				}
				i = j
				continue
			}
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '"' || c == '\'':
			start, l0 := i, line
			i++
			for i < len(src) && src[i] != c {
				if src[i] == '\\' {
					i++
				}
				if i < len(src) && src[i] == '\n' {
					line++
				}
				i++
			}
			if i >= len(src) {
				return nil, 0, false
			}
			i++
			toks = append(toks, luaToken{src[start:i], l0, 'v', i})
		case c == '[':
			if lvl, ok := longBracket(i); ok {
				l0 := line
				j, ok := skipLong(i+lvl+2, lvl)
				if !ok {
					return nil, 0, false
				}
				toks = append(toks, luaToken{src[i:j], l0, 'v', j})
				i = j
				continue
			}
			toks = append(toks, luaToken{"[", line, 'p', i + 1})
			i++
		case c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z'):
			start := i
			for i < len(src) && (src[i] == '_' || isAlnum(src[i])) {
				i++
			}
			toks = append(toks, luaToken{src[start:i], line, 'n', i})
		case isDigit(c) || (c == '.' && i+1 < len(src) && isDigit(src[i+1])):
			start := i
			for i < len(src) && (isAlnum(src[i]) || src[i] == '.' ||
				((src[i] == '+' || src[i] == '-') && (src[i-1] == 'e' || src[i-1] == 'E'))) {
				i++
			}
			toks = append(toks, luaToken{src[start:i], line, 'v', i})
		default:
			n := 1
			for _, op := range []string{"...", "..", "==", "~=", "<=", ">="} {
				if strings.HasPrefix(src[i:], op) {
					n = len(op)
					break
				}
			}
			toks = append(toks, luaToken{src[i : i+n], line, 'p', i + n})
			i += n
		}
	}
	return toks, line, true
}

var valueKeywords = map[string]bool{"true": true, "false": true, "nil": true, "end": true, "break": true}

// endsExpression reports whether an expression or statement may end with t.
func endsExpression(t luaToken) bool {
	switch t.kind {
	case 'v':
		return true
	case 'n':
		return !luaKeywords[t.text] || valueKeywords[t.text]
	}
	return t.text == ")" || t.text == "]" || t.text == "}" || t.text == "..."
}

var luaKeywords = map[string]bool{"and": true, "break": true, "do": true, "else": true, "elseif": true,
	"end": true, "false": true, "for": true, "function": true, "if": true, "in": true, "local": true,
	"nil": true, "not": true, "or": true, "repeat": true, "return": true, "then": true, "true": true,
	"until": true, "while": true}

func eofHint(src string) string {
	toks, lines, ok := luaTokens(src)
	if !ok || len(toks) == 0 {
		return ""
	}
	return hint(toks, lines, "")
}

// midHint is eofHint for an error at the token ending at line:column
// (gopher-lua's position): the tokens before it are analysed the same
// way, with near the token found there.
func midHint(src string, line, col int, near string) string {
	toks, _, ok := luaTokens(src)
	if !ok {
		return ""
	}
	lineStart := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(src[lineStart:], '\n')
		if i < 0 {
			return ""
		}
		lineStart += i + 1
	}
	end := lineStart + col
	for i, t := range toks {
		if t.end == end && t.text == near {
			if i == 0 {
				return ""
			}
			return hint(toks[:i], line, near)
		}
	}
	return ""
}

// hint analyses the tokens before an error, which happened on line
// errLine at the token near ("" for the end of the script).
func hint(toks []luaToken, errLine int, near string) string {
	lines := errLine
	type block struct {
		kind      string
		line      int
		head      string // "then" or "do" still expected
		eq, comma bool   // a for loop's "=" and "," seen
		ret       bool   // a return statement ended the block's body
		params    bool   // a function's parameter list
	}
	var stack []block
	topRet := false
	for idx, t := range toks {
		if t.kind == 'p' {
			if n := len(stack); n > 0 && stack[n-1].kind == "for" && stack[n-1].head == "do" {
				stack[n-1].eq = stack[n-1].eq || t.text == "="
				stack[n-1].comma = stack[n-1].comma || t.text == ","
			}
			switch t.text {
			case "(", "{", "[":
				b := block{kind: t.text, line: t.line}
				if t.text == "(" {
					// function (, function f(, function a.b:c(
					j := idx - 1
					for j >= 1 && toks[j].kind == 'n' && !luaKeywords[toks[j].text] &&
						(toks[j-1].text == "." || toks[j-1].text == ":") && j >= 2 {
						j -= 2
					}
					if j >= 0 && toks[j].kind == 'n' && !luaKeywords[toks[j].text] && j >= 1 && toks[j-1].text == "function" {
						j--
					}
					b.params = j >= 0 && toks[j].text == "function"
				}
				stack = append(stack, b)
			case ")", "}", "]":
				if n := len(stack); n > 0 {
					stack = stack[:n-1]
				}
			}
			continue
		}
		if t.kind != 'n' {
			continue
		}
		switch t.text {
		case "function", "repeat":
			stack = append(stack, block{kind: t.text, line: t.line})
		case "if":
			stack = append(stack, block{kind: "if", line: t.line, head: "then"})
		case "while", "for":
			stack = append(stack, block{kind: t.text, line: t.line, head: "do"})
		case "then", "do":
			if n := len(stack); n > 0 && stack[n-1].head == t.text {
				stack[n-1].head = ""
			} else if t.text == "do" {
				stack = append(stack, block{kind: "do", line: t.line})
			}
		case "elseif":
			if n := len(stack); n > 0 {
				stack[n-1].head = "then"
			}
		case "end", "until":
			if n := len(stack); n > 0 {
				stack = stack[:n-1]
			}
		case "return", "break":
			if n := len(stack); n > 0 {
				stack[n-1].ret = true
			} else {
				topRet = true
			}
		case "else":
			if n := len(stack); n > 0 {
				stack[n-1].ret = false
			}
		}
	}
	last := toks[len(toks)-1]
	prev := ""
	if len(toks) > 1 {
		prev = toks[len(toks)-2].text
	}
	switch {
	case last.text == "local" || last.text == "." || last.text == ":" ||
		(last.text == "function" && (prev == "local" || len(toks) == 1 || !endsExpression(toks[len(toks)-2]) && prev != "=" && prev != "(" && prev != ",")):
		return "'<name>' expected"
	}
	if last.text == "," || last.text == "(" {
		if n := len(stack); n > 0 && stack[n-1].params {
			return "<name> or '...' expected"
		}
	}
	if last.text == "," {
		// local a, b, = ...
		j := len(toks) - 1
		for j >= 1 && toks[j].text == "," && toks[j-1].kind == 'n' && !luaKeywords[toks[j-1].text] {
			j -= 2
		}
		if j >= 0 && toks[j].text == "local" {
			return "'<name>' expected"
		}
	}
	if len(stack) == 0 {
		if near != "" && topRet && (endsExpression(last) || last.text == "break") {
			return "'<eof>' expected"
		}
		return ""
	}
	top := stack[len(stack)-1]
	if top.head != "" {
		if top.kind == "for" && top.eq && !top.comma && endsExpression(last) {
			return "',' expected"
		}
		if endsExpression(last) && last.text != top.kind {
			return "'" + top.head + "' expected"
		}
		return ""
	}
	if near != "" {
		// Inside a block, only a token that ends blocks, or anything
		// after a return, makes C Lua expect the block's end.
		isBracket := top.kind == "(" || top.kind == "{" || top.kind == "["
		closing := near == "else" || near == "elseif" || near == "end" || near == "until"
		afterLast := endsExpression(last) || last.text == "break"
		if !isBracket && !closing && !(top.ret && afterLast) {
			return ""
		}
		if top.kind == "if" && (near == "else" || near == "elseif") && !top.ret {
			// else after else: the first else's block ends there.
		}
	}
	if !endsExpression(last) && !luaKeywords[last.text] {
		return ""
	}
	switch last.text {
	case "local", "function", "not", "and", "or", "in", "if", "while", "for", "until", "elseif":
		return ""
	}
	closer := "'end'"
	switch top.kind {
	case "repeat":
		closer = "'until'"
	case "(", "{", "[":
		if !endsExpression(last) {
			return ""
		}
		closer = map[string]string{"(": "')'", "{": "'}'", "[": "']'"}[top.kind]
		if top.kind == "[" {
			return closer + " expected"
		}
	}
	if top.line == lines {
		return closer + " expected"
	}
	return closer + " expected (to close '" + top.kind + "' at line " + strconv.Itoa(top.line) + ")"
}
