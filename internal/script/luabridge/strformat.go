package luabridge

import (
	"fmt"
	"math"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// strFormat is C Lua 5.1's string.format (lstrlib.c's str_format): the
// same conversions, argument checks and errors, with C's printf output
// (numbers for %s as tostring prints them, "inf"/"nan", %x of negative
// numbers as 64-bit unsigned, %q's escapes).
func strFormat(L *lua.LState) int {
	top := L.GetTop()
	f := checkString(L, 1)
	arg := 1
	var b strings.Builder
	for i := 0; i < len(f); {
		c := f[i]
		if c != '%' {
			b.WriteByte(c)
			i++
			continue
		}
		i++
		if i < len(f) && f[i] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		arg++
		if arg > top {
			L.ArgError(arg, "no value")
		}
		// flags, width (2 digits at most), precision (2 digits at most)
		start := i
		for i < len(f) && strings.IndexByte("-+ #0", f[i]) >= 0 {
			i++
		}
		if i-start >= len("-+ #0")+1 {
			L.RaiseError("invalid format (repeated flags)")
		}
		for n := 0; n < 2 && i < len(f) && isDigit(f[i]); n++ {
			i++
		}
		hasPrec := false
		if i < len(f) && f[i] == '.' {
			hasPrec = true
			i++
			for n := 0; n < 2 && i < len(f) && isDigit(f[i]); n++ {
				i++
			}
		}
		if i < len(f) && isDigit(f[i]) {
			L.RaiseError("invalid format (width or precision too long)")
		}
		spec := f[start:i]
		conv := byte(0)
		if i < len(f) {
			conv = f[i]
			i++
		}
		switch conv {
		case 'c':
			ch := byte(int32(checkNumber(L, arg)))
			if ch != 0 {
				b.WriteString(fmt.Sprintf("%"+spec+"c", rune(ch)))
			}
		case 'd', 'i':
			b.WriteString(fmt.Sprintf("%"+spec+"d", cInt64(checkNumber(L, arg))))
		case 'o', 'u', 'x', 'X':
			verb := string(conv)
			if conv == 'u' {
				verb = "d"
			}
			b.WriteString(fmt.Sprintf("%"+spec+verb, uint64(cInt64(checkNumber(L, arg)))))
		case 'e', 'E', 'f', 'g', 'G':
			n := checkNumber(L, arg)
			if math.IsInf(n, 0) || math.IsNaN(n) {
				s := fmtNumber(n)
				if strings.ContainsRune(spec, '+') && s[0] != '-' {
					s = "+" + s
				} else if strings.ContainsRune(spec, ' ') && s[0] != '-' {
					s = " " + s
				}
				if conv == 'E' || conv == 'G' {
					s = strings.ToUpper(s)
				}
				w := strings.TrimLeft(spec, "-+ #0")
				if k := strings.IndexByte(w, '.'); k >= 0 {
					w = w[:k]
				}
				pad := "%" + w + "s"
				if strings.ContainsRune(spec, '-') {
					pad = "%-" + w + "s"
				}
				b.WriteString(fmt.Sprintf(pad, s))
				continue
			}
			if !hasPrec {
				spec += ".6"
			}
			// With a precision, Go's %e, %f and %g print as C's do.
			b.WriteString(fmt.Sprintf("%"+spec+string(conv), n))
		case 'q':
			s := checkString(L, arg)
			b.WriteByte('"')
			for j := 0; j < len(s); j++ {
				switch ch := s[j]; ch {
				case '"', '\\', '\n':
					b.WriteByte('\\')
					b.WriteByte(ch)
				case '\r':
					b.WriteString(`\r`)
				case 0:
					b.WriteString(`\000`)
				default:
					b.WriteByte(ch)
				}
			}
			b.WriteByte('"')
		case 's':
			s := checkString(L, arg)
			if !hasPrec && len(s) >= 100 {
				b.WriteString(s)
				continue
			}
			if k := strings.IndexByte(s, 0); k >= 0 {
				s = s[:k] // sprintf stops at NUL
			}
			// C pads strings with spaces even with the 0 flag.
			fl := len(spec) - len(strings.TrimLeft(spec, "-+ #0"))
			b.WriteString(fmt.Sprintf("%"+strings.ReplaceAll(spec[:fl], "0", "")+spec[fl:]+"s", s))
		default:
			L.RaiseError("invalid option '%%%c' to 'format'", conv)
		}
	}
	L.Push(lua.LString(b.String()))
	return 1
}

// cInt64 is C's (long long) cast of a double on x86-64.
func cInt64(f float64) int64 {
	if math.IsNaN(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0 {
		return math.MinInt64
	}
	return int64(f)
}
