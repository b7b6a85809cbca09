package lua

// Lua 5.1 pattern matching, written against the reference manual's
// description (§5.4.1) and checked against lua5.1.

const (
	capUnfinished = -1
	capPosition   = -2
	maxCaptures   = 32
	maxMatchDepth = 5000
)

type capture struct {
	init, len int
}

type matcher struct {
	L     *State
	src   string
	pat   string
	level int
	depth int
	caps  [maxCaptures]capture
}

func (m *matcher) classEnd(pi int) int {
	p := m.pat
	c := p[pi]
	pi++
	if c == '%' {
		if pi >= len(p) {
			m.L.Errorf("malformed pattern (ends with '%%')")
		}
		return pi + 1
	}
	if c == '[' {
		if pi < len(p) && p[pi] == '^' {
			pi++
		}
		for {
			if pi >= len(p) {
				m.L.Errorf("malformed pattern (missing ']')")
			}
			c := p[pi]
			pi++
			if c == '%' && pi < len(p) {
				pi++
			}
			if pi >= len(p) {
				m.L.Errorf("malformed pattern (missing ']')")
			}
			if p[pi] == ']' {
				break
			}
		}
		return pi + 1
	}
	return pi
}

func isLower(c byte) bool  { return c >= 'a' && c <= 'z' }
func isUpper(c byte) bool  { return c >= 'A' && c <= 'Z' }
func isAlphaC(c byte) bool { return isLower(c) || isUpper(c) }
func isSpace(c byte) bool  { return c == ' ' || (c >= '\t' && c <= '\r') }
func isCntrl(c byte) bool  { return c < 32 || c == 127 }
func isPunct(c byte) bool  { return c > 32 && c < 127 && !isAlphaC(c) && !isDigit(c) }
func isXdigit(c byte) bool { return isDigit(c) || (c|0x20) >= 'a' && (c|0x20) <= 'f' }

func matchClass(c, cl byte) bool {
	var res bool
	switch cl | 0x20 {
	case 'a':
		res = isAlphaC(c)
	case 'c':
		res = isCntrl(c)
	case 'd':
		res = isDigit(c)
	case 'l':
		res = isLower(c)
	case 'p':
		res = isPunct(c)
	case 's':
		res = isSpace(c)
	case 'u':
		res = isUpper(c)
	case 'w':
		res = isAlphaC(c) || isDigit(c)
	case 'x':
		res = isXdigit(c)
	case 'z':
		res = c == 0
	default:
		return cl == c
	}
	if isUpper(cl) {
		return !res
	}
	return res
}

// matchBracket tests c against the set p[pi] == '[' .. p[ec] == ']'.
func (m *matcher) matchBracket(c byte, pi, ec int) bool {
	p := m.pat
	sig := true
	if p[pi+1] == '^' {
		sig = false
		pi++
	}
	for pi++; pi < ec; pi++ {
		if p[pi] == '%' {
			pi++
			if matchClass(c, p[pi]) {
				return sig
			}
		} else if p[pi+1] == '-' && pi+2 < ec {
			pi += 2
			if p[pi-2] <= c && c <= p[pi] {
				return sig
			}
		} else if p[pi] == c {
			return sig
		}
	}
	return !sig
}

func (m *matcher) singleMatch(c byte, pi, ep int) bool {
	switch m.pat[pi] {
	case '.':
		return true
	case '%':
		return matchClass(c, m.pat[pi+1])
	case '[':
		return m.matchBracket(c, pi, ep-1)
	}
	return m.pat[pi] == c
}

// match returns the end of the match of pat[pi:] at src[si:], or -1.
func (m *matcher) match(si, pi int) int {
	m.depth++
	if m.depth > maxMatchDepth {
		m.L.Errorf("pattern too complex")
	}
	// Backtracking can be exponential; count match steps against the
	// instruction budget so the hook can stop a runaway pattern.
	if m.L.steps--; m.L.steps <= 0 {
		m.L.hook()
	}
	r := m.doMatch(si, pi)
	m.depth--
	return r
}

func (m *matcher) doMatch(si, pi int) int {
	s, p := m.src, m.pat
	for {
		if pi >= len(p) {
			return si
		}
		switch p[pi] {
		case '(':
			if pi+1 < len(p) && p[pi+1] == ')' {
				return m.startCapture(si, pi+2, capPosition)
			}
			return m.startCapture(si, pi+1, capUnfinished)
		case ')':
			return m.endCapture(si, pi+1)
		case '%':
			if pi+1 < len(p) {
				switch c := p[pi+1]; {
				case c == 'b':
					si = m.matchBalance(si, pi+2)
					if si == -1 {
						return -1
					}
					pi += 4
					continue
				case c == 'f':
					pi += 2
					if pi >= len(p) || p[pi] != '[' {
						m.L.Errorf("missing '[' after '%%f' in pattern")
					}
					ep := m.classEnd(pi)
					var prev, cur byte
					if si > 0 {
						prev = s[si-1]
					}
					if si < len(s) {
						cur = s[si]
					}
					if !m.matchBracket(prev, pi, ep-1) && m.matchBracket(cur, pi, ep-1) {
						pi = ep
						continue
					}
					return -1
				case isDigit(c):
					si = m.matchCapture(si, c)
					if si == -1 {
						return -1
					}
					pi += 2
					continue
				}
			}
		case '$':
			if pi+1 == len(p) {
				if si == len(s) {
					return si
				}
				return -1
			}
		}
		ep := m.classEnd(pi)
		ok := si < len(s) && m.singleMatch(s[si], pi, ep)
		if ep < len(p) {
			switch p[ep] {
			case '?':
				if ok {
					if r := m.match(si+1, ep+1); r != -1 {
						return r
					}
				}
				pi = ep + 1
				continue
			case '*':
				return m.maxExpand(si, pi, ep)
			case '+':
				if ok {
					return m.maxExpand(si+1, pi, ep)
				}
				return -1
			case '-':
				return m.minExpand(si, pi, ep)
			}
		}
		if !ok {
			return -1
		}
		si++
		pi = ep
	}
}

func (m *matcher) maxExpand(si, pi, ep int) int {
	i := 0
	for si+i < len(m.src) && m.singleMatch(m.src[si+i], pi, ep) {
		i++
	}
	for i >= 0 {
		if r := m.match(si+i, ep+1); r != -1 {
			return r
		}
		i--
	}
	return -1
}

func (m *matcher) minExpand(si, pi, ep int) int {
	for {
		if r := m.match(si, ep+1); r != -1 {
			return r
		}
		if si < len(m.src) && m.singleMatch(m.src[si], pi, ep) {
			si++
		} else {
			return -1
		}
	}
}

func (m *matcher) startCapture(si, pi, what int) int {
	if m.level >= maxCaptures {
		m.L.Errorf("too many captures")
	}
	m.caps[m.level] = capture{si, what}
	m.level++
	r := m.match(si, pi)
	if r == -1 {
		m.level--
	}
	return r
}

func (m *matcher) endCapture(si, pi int) int {
	l := -1
	for i := m.level - 1; i >= 0; i-- {
		if m.caps[i].len == capUnfinished {
			l = i
			break
		}
	}
	if l < 0 {
		m.L.Errorf("invalid pattern capture")
	}
	m.caps[l].len = si - m.caps[l].init
	r := m.match(si, pi)
	if r == -1 {
		m.caps[l].len = capUnfinished
	}
	return r
}

func (m *matcher) matchBalance(si, pi int) int {
	if pi+1 >= len(m.pat) {
		m.L.Errorf("unbalanced pattern")
	}
	s := m.src
	if si >= len(s) || s[si] != m.pat[pi] {
		return -1
	}
	b, e := m.pat[pi], m.pat[pi+1]
	cont := 1
	for si++; si < len(s); si++ {
		c := s[si]
		if c == e {
			cont--
			if cont == 0 {
				return si + 1
			}
		} else if c == b {
			cont++
		}
	}
	return -1
}

func (m *matcher) matchCapture(si int, c byte) int {
	l := int(c - '1')
	if l < 0 || l >= m.level || m.caps[l].len == capUnfinished {
		m.L.Errorf("invalid capture index")
	}
	n := m.caps[l].len
	init := m.caps[l].init
	if len(m.src)-si >= n && m.src[init:init+n] == m.src[si:si+n] {
		return si + n
	}
	return -1
}

func (m *matcher) capture(i, s, e int) Value {
	if i >= m.level {
		if i == 0 {
			return String(m.src[s:e])
		}
		m.L.Errorf("invalid capture index")
	}
	c := m.caps[i]
	if c.len == capUnfinished {
		m.L.Errorf("unfinished capture")
	}
	if c.len == capPosition {
		return Number(float64(c.init + 1))
	}
	return String(m.src[c.init : c.init+c.len])
}

// captures returns all captures (or the whole match when there are
// none and wholeIfNone).
func (m *matcher) captures(s, e int, wholeIfNone bool) []Value {
	n := m.level
	if n == 0 && wholeIfNone {
		n = 1
	}
	out := make([]Value, n)
	for i := 0; i < n; i++ {
		out[i] = m.capture(i, s, e)
	}
	return out
}
