package glob

// text is what the matcher walks: patterns and subjects arrive as strings
// (dictionary keys) or as byte slices (command arguments), and neither
// should be converted just to be matched.
type text interface{ ~string | ~[]byte }

// maxNesting bounds the recursion one star per level costs, as Redis does
// against abusive patterns such as "*a*a*a*...".
const maxNesting = 1000

// Match reports whether s matches pattern.
func Match(pattern, s string, nocase bool) bool {
	skip := false
	return match(pattern, s, nocase, &skip, 0)
}

// MatchBytes is Match for byte slices.
func MatchBytes(pattern, s []byte, nocase bool) bool {
	skip := false
	return match(pattern, s, nocase, &skip, 0)
}

// at reads the pattern as the C matcher does, with a NUL past its end.
func at[T text](p T, i int) byte {
	if i < len(p) {
		return p[i]
	}
	return 0
}

// lower is C's tolower in the C locale: ASCII letters only.
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

// lowerInt is lower for a char promoted to int (possibly negative).
func lowerInt(c int) int {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

func eq(a, b byte, nocase bool) bool {
	if nocase {
		return lower(a) == lower(b)
	}
	return a == b
}

// match is the general matcher. skip is shared by the whole match: once
// the rest of the pattern after some star failed to match at every
// position, no earlier star can help by matching more, so the caller
// stops trying (Redis's skipLongerMatches).
func match[P, S text](p P, s S, nocase bool, skip *bool, nesting int) bool {
	if nesting > maxNesting {
		return false
	}
	pi, si := 0, 0
	for pi < len(p) && si < len(s) {
		switch p[pi] {
		case '*':
			for at(p, pi+1) == '*' {
				pi++
			}
			if len(p)-pi == 1 {
				return true
			}
			for si < len(s) {
				if match(p[pi+1:], s[si:], nocase, skip, nesting+1) {
					return true
				}
				if *skip {
					return false
				}
				si++
			}
			*skip = true
			return false
		case '?':
			si++
		case '[':
			pi++
			not := at(p, pi) == '^'
			if not {
				pi++
			}
			matched := false
			for {
				rest := len(p) - pi
				c := at(p, pi)
				if c == '\\' && rest >= 2 {
					pi++
					if p[pi] == s[si] {
						matched = true
					}
				} else if c == ']' {
					break
				} else if rest == 0 {
					// An unclosed class ends with the pattern.
					pi--
					break
				} else if rest >= 3 && p[pi+1] == '-' {
					// Range ends are chars, signed as C's are.
					start, end, ch := int(int8(p[pi])), int(int8(p[pi+2])), int(int8(s[si]))
					if start > end {
						start, end = end, start
					}
					if nocase {
						start, end, ch = lowerInt(start), lowerInt(end), lowerInt(ch)
					}
					pi += 2
					if ch >= start && ch <= end {
						matched = true
					}
				} else if eq(c, s[si], nocase) {
					matched = true
				}
				pi++
			}
			if not {
				matched = !matched
			}
			if !matched {
				return false
			}
			si++
		case '\\':
			if len(p)-pi >= 2 {
				pi++
			}
			if !eq(p[pi], s[si], nocase) {
				return false
			}
			si++
		default:
			if !eq(p[pi], s[si], nocase) {
				return false
			}
			si++
		}
		pi++
		if si == len(s) {
			for at(p, pi) == '*' {
				pi++
			}
			break
		}
	}
	return pi == len(p) && si == len(s)
}

type kind uint8

const (
	general  kind = iota
	exact         // no special characters: equality
	prefix        // literal then stars
	suffix        // stars then literal
	contains      // stars, literal, stars
	nonEmpty      // only stars: anything but the empty string
)

// Pattern is a compiled pattern. Compiling only picks a strategy; the
// general case runs the same matcher as Match.
type Pattern struct {
	pat    string
	lit    string
	kind   kind
	nocase bool
}

// Compile prepares pattern for repeated matching.
func Compile(pattern string, nocase bool) *Pattern {
	p := &Pattern{pat: pattern, nocase: nocase}
	lead := 0
	for lead < len(pattern) && pattern[lead] == '*' {
		lead++
	}
	trail := len(pattern)
	for trail > lead && pattern[trail-1] == '*' {
		trail--
	}
	mid := pattern[lead:trail]
	for i := 0; i < len(mid); i++ {
		switch mid[i] {
		case '*', '?', '[', '\\':
			return p
		}
	}
	p.lit = mid
	switch {
	case lead == 0 && trail == len(pattern):
		p.kind = exact
	case mid == "":
		p.kind = nonEmpty
	case lead == 0:
		p.kind = prefix
	case trail == len(pattern):
		p.kind = suffix
	default:
		p.kind = contains
	}
	return p
}

// String returns the pattern as given.
func (p *Pattern) String() string { return p.pat }

// MatchAll reports whether the pattern is "*", which callers such as KEYS
// and SCAN treat as "no filter" (so that even the empty key is listed).
func (p *Pattern) MatchAll() bool { return p.pat == "*" }

// Match reports whether s matches the pattern.
func (p *Pattern) Match(s string) bool { return matchKind(p, s) }

// MatchBytes is Match for a byte slice.
func (p *Pattern) MatchBytes(s []byte) bool { return matchKind(p, s) }

func matchKind[S text](p *Pattern, s S) bool {
	switch p.kind {
	case exact:
		return len(s) == len(p.lit) && hasPrefix(s, p.lit, p.nocase)
	case prefix:
		return hasPrefix(s, p.lit, p.nocase)
	case suffix:
		return len(s) >= len(p.lit) && hasPrefix(s[len(s)-len(p.lit):], p.lit, p.nocase)
	case contains:
		if !p.nocase {
			first := p.lit[0]
			for i := 0; i+len(p.lit) <= len(s); i++ {
				if s[i] == first && string(s[i:i+len(p.lit)]) == p.lit {
					return true
				}
			}
			return false
		}
		for i := 0; i+len(p.lit) <= len(s); i++ {
			if hasPrefix(s[i:], p.lit, true) {
				return true
			}
		}
		return false
	case nonEmpty:
		return len(s) > 0
	}
	skip := false
	return match(p.pat, s, p.nocase, &skip, 0)
}

func hasPrefix[S text](s S, lit string, nocase bool) bool {
	if len(s) < len(lit) {
		return false
	}
	if !nocase {
		return string(s[:len(lit)]) == lit
	}
	for i := 0; i < len(lit); i++ {
		if lower(s[i]) != lower(lit[i]) {
			return false
		}
	}
	return true
}
