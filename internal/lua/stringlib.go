package lua

import (
	"strconv"
	"strings"
)

func openString(L *State) {
	t := L.RegisterLib("string", map[string]GoFunction{
		"byte": strByte, "char": strChar, "find": strFind, "format": strFormat,
		"gmatch": strGmatch, "gsub": strGsub, "len": strLen, "lower": strLower,
		"upper": strUpper, "match": strMatch, "rep": strRep, "reverse": strReverse,
		"sub": strSub,
	})
	t.SetStr("gfind", t.GetStr("gmatch"))
	meta := NewTable(0, 1)
	meta.SetStr("__index", TableValue(t))
	L.g.stringMeta = meta
}

func posrelat(pos, n int) int {
	if pos < 0 {
		return n + pos + 1
	}
	return pos
}

func (L *State) newString(s string) Value {
	L.g.charge(int64(len(s)))
	return String(s)
}

func strLen(L *State, args []Value) []Value {
	return L.Ret1(Number(float64(len(L.CheckString(args, 1)))))
}

func strSub(L *State, args []Value) []Value {
	s := L.CheckString(args, 1)
	i := posrelat(L.CheckInt(args, 2), len(s))
	j := posrelat(L.OptInt(args, 3, -1), len(s))
	if i < 1 {
		i = 1
	}
	if j > len(s) {
		j = len(s)
	}
	if i > j {
		return L.Ret1(String(""))
	}
	return L.Ret1(String(s[i-1 : j]))
}

func strLower(L *State, args []Value) []Value {
	s := L.CheckString(args, 1)
	b := []byte(s)
	for i, c := range b {
		if isUpper(c) {
			b[i] = c + 32
		}
	}
	return L.Ret1(L.newString(string(b)))
}

func strUpper(L *State, args []Value) []Value {
	s := L.CheckString(args, 1)
	b := []byte(s)
	for i, c := range b {
		if isLower(c) {
			b[i] = c - 32
		}
	}
	return L.Ret1(L.newString(string(b)))
}

func strReverse(L *State, args []Value) []Value {
	s := L.CheckString(args, 1)
	b := make([]byte, len(s))
	for i := range s {
		b[len(s)-1-i] = s[i]
	}
	return L.Ret1(L.newString(string(b)))
}

func strRep(L *State, args []Value) []Value {
	s := L.CheckString(args, 1)
	n := L.checkCInt(args, 2) // luaL_checkint: 2^32+1 is 1
	if n <= 0 || s == "" {
		return L.Ret1(String(""))
	}
	if int64(len(s))*int64(n) > 1<<30 {
		panic(&Error{Value: String("not enough memory"), fatal: true})
	}
	L.g.charge(int64(len(s) * n))
	return L.Ret1(String(strings.Repeat(s, n)))
}

func strByte(L *State, args []Value) []Value {
	s := L.CheckString(args, 1)
	i := posrelat(L.OptInt(args, 2, 1), len(s))
	j := posrelat(L.OptInt(args, 3, i), len(s))
	if i <= 0 {
		i = 1
	}
	if j > len(s) {
		j = len(s)
	}
	if i > j {
		return nil
	}
	n := j - i + 1
	out := L.retBuf[:0]
	if n > len(L.retBuf) {
		out = make([]Value, 0, n)
	}
	for k := 0; k < n; k++ {
		out = append(out, Number(float64(s[i-1+k])))
	}
	return out
}

func strChar(L *State, args []Value) []Value {
	b := make([]byte, len(args))
	for i := range args {
		c := L.CheckInt(args, i+1)
		if c < 0 || c > 255 {
			L.ArgError(i+1, "invalid value")
		}
		b[i] = byte(c)
	}
	return L.Ret1(L.newString(string(b)))
}

const patternSpecials = "^$*+?.([%-"

func strFind(L *State, args []Value) []Value  { return strFindAux(L, args, true) }
func strMatch(L *State, args []Value) []Value { return strFindAux(L, args, false) }

func strFindAux(L *State, args []Value, find bool) []Value {
	s := L.CheckString(args, 1)
	p := L.CheckString(args, 2)
	init := posrelat(L.OptInt(args, 3, 1), len(s)) - 1
	if init < 0 {
		init = 0
	} else if init > len(s) {
		init = len(s)
	}
	if find && (!arg(args, 4).isFalse() || !strings.ContainsAny(cstr(p), patternSpecials)) {
		if i := strings.Index(s[init:], p); i >= 0 {
			return L.Ret(Number(float64(init+i+1)), Number(float64(init+i+len(p))))
		}
		return L.Ret1(Nil)
	}
	m := &matcher{L: L, src: s, pat: p}
	pi := 0
	anchor := len(p) > 0 && p[0] == '^'
	if anchor {
		pi = 1
	}
	si := init
	for {
		m.level = 0
		if e := m.match(si, pi); e != -1 {
			if find {
				caps := m.captures(si, e, false)
				out := make([]Value, 2+len(caps))
				out[0] = Number(float64(si + 1))
				out[1] = Number(float64(e))
				copy(out[2:], caps)
				return out
			}
			return m.captures(si, e, true)
		}
		si++
		if anchor || si > len(s) {
			break
		}
	}
	return L.Ret1(Nil)
}

// cstr cuts s at the first NUL, as C string functions would see it.
func cstr(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

func strGmatch(L *State, args []Value) []Value {
	s := L.CheckString(args, 1)
	p := L.CheckString(args, 2)
	pos := 0
	it := L.NewFunction("gmatch_aux", func(L *State, _ []Value) []Value {
		m := &matcher{L: L, src: s, pat: p}
		for si := pos; si <= len(s); si++ {
			m.level = 0
			if e := m.match(si, 0); e != -1 {
				pos = e
				if e == si {
					pos++
				}
				return m.captures(si, e, true)
			}
		}
		return nil
	})
	return L.Ret1(FunctionValue(it))
}

func strGsub(L *State, args []Value) []Value {
	s := L.CheckString(args, 1)
	p := L.CheckString(args, 2)
	repl := arg(args, 3)
	switch repl.t {
	case TypeNumber, TypeString, TypeTable, TypeFunction:
	default:
		L.ArgError(3, "string/function/table expected")
	}
	maxN := L.OptInt(args, 4, len(s)+1)
	anchor := len(p) > 0 && p[0] == '^'
	pi := 0
	if anchor {
		pi = 1
	}
	m := &matcher{L: L, src: s, pat: p}
	var b strings.Builder
	si, n := 0, 0
	for n < maxN {
		m.level = 0
		e := m.match(si, pi)
		if e != -1 {
			n++
			gsubAdd(L, m, &b, si, e, repl)
			// The builder doubles when it grows: count the next size.
			L.g.reserve(2 * int64(b.Cap()))
		}
		if e != -1 && e > si {
			si = e
		} else if si < len(s) {
			b.WriteByte(s[si])
			si++
		} else {
			break
		}
		if anchor {
			break
		}
	}
	b.WriteString(s[si:])
	return L.Ret(L.newString(b.String()), Number(float64(n)))
}

func gsubAdd(L *State, m *matcher, b *strings.Builder, s, e int, repl Value) {
	var v Value
	switch repl.t {
	case TypeString, TypeNumber:
		r, _ := toStringCoerce(repl)
		for i := 0; i < len(r); i++ {
			c := r[i]
			if c != '%' {
				// Copy the run up to the next '%' at once.
				j := strings.IndexByte(r[i:], '%')
				if j < 0 {
					j = len(r) - i
				}
				b.WriteString(r[i : i+j])
				i += j - 1
				continue
			}
			i++
			var d byte
			if i < len(r) {
				d = r[i]
			}
			switch {
			case !isDigit(d):
				b.WriteByte(d)
			case d == '0':
				b.WriteString(m.src[s:e])
			default:
				cv := m.capture(int(d-'1'), s, e)
				cs, _ := toStringCoerce(cv)
				b.WriteString(cs)
			}
		}
		return
	case TypeTable:
		v = L.index(repl, m.capture(0, s, e), "", "")
	case TypeFunction:
		caps := m.captures(s, e, true)
		base := L.top
		for _, c := range caps {
			L.push(c)
		}
		v = first(L.callNested(repl, base, len(caps)))
		L.top = base
	}
	if v.isFalse() {
		b.WriteString(m.src[s:e])
		return
	}
	vs, ok := toStringCoerce(v)
	if !ok {
		L.Errorf("invalid replacement value (a %s)", v.t)
	}
	b.WriteString(vs)
}

// strFormat implements string.format with C printf semantics.
func strFormat(L *State, args []Value) []Value {
	f := L.CheckString(args, 1)
	var b strings.Builder
	argi := 1
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		i++
		if i < len(f) && f[i] == '%' {
			b.WriteByte('%')
			continue
		}
		argi++
		if argi > len(args) {
			L.ArgError(argi, "no value")
		}
		// Parse flags, width and precision with Lua 5.1's limits.
		start := i
		for i < len(f) && strings.IndexByte("-+ #0", f[i]) >= 0 {
			i++
		}
		if i-start >= 6 {
			L.Errorf("invalid format (repeated flags)")
		}
		flags := f[start:i]
		width, prec := -1, -1
		ws := i
		for i < len(f) && isDigit(f[i]) {
			i++
		}
		if i-ws > 2 {
			L.Errorf("invalid format (width or precision too long)")
		}
		if i > ws {
			width, _ = strconv.Atoi(f[ws:i])
		}
		if i < len(f) && f[i] == '.' {
			i++
			ps := i
			for i < len(f) && isDigit(f[i]) {
				i++
			}
			if i-ps > 2 {
				L.Errorf("invalid format (width or precision too long)")
			}
			prec, _ = strconv.Atoi("0" + f[ps:i])
		}
		if i < len(f) && isDigit(f[i]) {
			L.Errorf("invalid format (width or precision too long)")
		}
		if i >= len(f) {
			L.Errorf("invalid option '%%' to 'format'")
		}
		conv := f[i]
		spec := fmtSpec{flags: flags, width: width, prec: prec}
		switch conv {
		case 'c':
			spec.prec = -1
			// C Lua appends the sprintf result up to its first NUL, so
			// %c of 0 (or 256) adds nothing but the padding before it.
			b.WriteString(cstr(spec.pad(string([]byte{byte(L.CheckInt(args, argi))}), false)))
		case 'd', 'i':
			n := L.CheckNumber(args, argi)
			b.WriteString(spec.formatInt(int64(numToInt(n)), false, 10, false))
		case 'o', 'u', 'x', 'X':
			n := int64(toUint64x86(L.CheckNumber(args, argi)))
			base := map[byte]int{'o': 8, 'u': 10, 'x': 16, 'X': 16}[conv]
			b.WriteString(spec.formatInt(n, true, base, conv == 'X'))
		case 'e', 'E', 'f', 'g', 'G':
			n := L.CheckNumber(args, argi)
			b.WriteString(spec.formatFloat(n, conv))
		case 'q':
			s := L.CheckString(args, argi)
			b.WriteByte('"')
			for j := 0; j < len(s); j++ {
				switch c := s[j]; c {
				case '"', '\\', '\n':
					b.WriteByte('\\')
					b.WriteByte(c)
				case '\r':
					b.WriteString("\\r")
				case 0:
					b.WriteString("\\000")
				default:
					b.WriteByte(c)
				}
			}
			b.WriteByte('"')
		case 's':
			s := L.CheckString(args, argi)
			if prec < 0 && len(s) >= 100 {
				b.WriteString(s)
			} else {
				s = cstr(s)
				if prec >= 0 && len(s) > prec {
					s = s[:prec]
				}
				b.WriteString(spec.pad(s, false))
			}
		default:
			L.Errorf("invalid option '%%%c' to 'format'", conv)
		}
	}
	return L.Ret1(L.newString(b.String()))
}

type fmtSpec struct {
	flags       string
	width, prec int
}

func (s fmtSpec) has(c byte) bool { return strings.IndexByte(s.flags, c) >= 0 }

// pad applies width; zero padding goes after any sign or 0x prefix.
func (s fmtSpec) pad(body string, zeroOK bool) string {
	if len(body) >= s.width {
		return body
	}
	n := s.width - len(body)
	if s.has('-') {
		return body + strings.Repeat(" ", n)
	}
	if zeroOK && s.has('0') {
		i := 0
		if i < len(body) && (body[i] == '-' || body[i] == '+' || body[i] == ' ') {
			i++
		}
		if i+1 < len(body) && body[i] == '0' && (body[i+1] == 'x' || body[i+1] == 'X') {
			i += 2
		}
		return body[:i] + strings.Repeat("0", n) + body[i:]
	}
	return strings.Repeat(" ", n) + body
}

func (s fmtSpec) formatInt(n int64, unsigned bool, base int, upper bool) string {
	neg := false
	var u uint64
	if unsigned {
		u = uint64(n)
	} else if n < 0 {
		neg = true
		u = uint64(-n)
	} else {
		u = uint64(n)
	}
	digits := strconv.FormatUint(u, base)
	if upper {
		digits = strings.ToUpper(digits)
	}
	if s.prec >= 0 {
		if s.prec == 0 && u == 0 {
			digits = ""
		}
		for len(digits) < s.prec {
			digits = "0" + digits
		}
	}
	prefix := ""
	if s.has('#') {
		if base == 8 && !strings.HasPrefix(digits, "0") {
			digits = "0" + digits
		} else if base == 16 && u != 0 {
			prefix = "0x"
			if upper {
				prefix = "0X"
			}
		}
	}
	sign := ""
	if neg {
		sign = "-"
	} else if !unsigned && s.has('+') {
		sign = "+"
	} else if !unsigned && s.has(' ') {
		sign = " "
	}
	return s.pad(sign+prefix+digits, s.prec < 0)
}

func (s fmtSpec) formatFloat(n float64, conv byte) string {
	prec := s.prec
	if prec < 0 {
		prec = 6
	}
	upper := conv == 'E' || conv == 'G'
	neg := n < 0 || (n == 0 && 1/n < 0) || (n != n && signbit(n))
	a := n
	if neg {
		a = -n
	}
	var body string
	finite := a-a == 0
	if !finite {
		body = fmtNonFinite(a, upper)
		if a != a {
			body = "nan"
			if upper {
				body = "NAN"
			}
		}
	} else {
		switch conv {
		case 'f':
			body = strconv.FormatFloat(a, 'f', prec, 64)
			if s.has('#') && prec == 0 {
				body += "."
			}
		case 'e', 'E':
			body = strconv.FormatFloat(a, 'e', prec, 64)
			if s.has('#') && prec == 0 {
				i := strings.IndexByte(body, 'e')
				body = body[:i] + "." + body[i:]
			}
			if upper {
				body = strings.ToUpper(body)
			}
		default:
			body = fmtG(a, prec, upper, s.has('#'))
		}
	}
	sign := ""
	if neg {
		sign = "-"
	} else if s.has('+') {
		sign = "+"
	} else if s.has(' ') {
		sign = " "
	}
	return s.pad(sign+body, finite)
}

// toUint64x86 converts like gcc's double to unsigned long on amd64
// (what lua5.1's %x/%o/%u see), including its out-of-range results.
func toUint64x86(f float64) uint64 {
	const two63 = 9223372036854775808.0
	if f < two63 {
		return uint64(cvttsd2si(f))
	}
	return uint64(cvttsd2si(f-two63)) ^ (1 << 63)
}

// cvttsd2si is the amd64 truncating conversion: NaN and out-of-range
// values become math.MinInt64.
func cvttsd2si(f float64) int64 {
	if f != f || f >= 9223372036854775808.0 || f < -9223372036854775808.0 {
		return -1 << 63
	}
	return int64(f)
}
