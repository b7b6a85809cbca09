package luabridge

import "strings"

// In Lua 5.1 "goto" is an ordinary name; gopher-lua reserves it. Scripts
// that use it are compiled with the name renamed (a field t.goto or a
// table key {goto = 1} becomes ["goto"]), and messages show "goto" again.
const gotoName = "__moonkv_goto"

func renameGoto(src string) string {
	if !strings.Contains(src, "goto") {
		return src
	}
	toks, _, ok := luaTokens(src)
	if !ok {
		return src
	}
	var b strings.Builder
	last := 0
	var brackets []string
	for i, t := range toks {
		switch t.text {
		case "(", "{", "[":
			brackets = append(brackets, t.text)
		case ")", "}", "]":
			if n := len(brackets); n > 0 {
				brackets = brackets[:n-1]
			}
		}
		if t.kind != 'n' || t.text != "goto" {
			continue
		}
		start := t.end - len(t.text)
		prev, next := "", ""
		if i > 0 {
			prev = toks[i-1].text
		}
		if i+1 < len(toks) {
			next = toks[i+1].text
		}
		switch {
		case prev == ".":
			// t.goto -> t["goto"]
			dot := toks[i-1].end - 1
			b.WriteString(src[last:dot])
			b.WriteString(`["goto"]`)
		case next == "=" && len(brackets) > 0 && brackets[len(brackets)-1] == "{" &&
			(prev == "{" || prev == "," || prev == ";"):
			b.WriteString(src[last:start])
			b.WriteString(`["goto"]`)
		default:
			b.WriteString(src[last:start])
			b.WriteString(gotoName)
		}
		last = t.end
	}
	b.WriteString(src[last:])
	return b.String()
}

// unrenameGoto shows the name as the script wrote it.
func unrenameGoto(s string) string {
	if !strings.Contains(s, gotoName) {
		return s
	}
	return strings.ReplaceAll(s, gotoName, "goto")
}
