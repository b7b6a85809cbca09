package hashes

import (
	"math/big"
	"strings"
)

// Redis does HINCRBYFLOAT in C's long double (x87 extended precision: a
// 64-bit mantissa, 15-bit exponent) and prints the result with "%.17Lf"
// stripped of trailing zeros. float64 arithmetic would print 10.5+0.1 as
// 10.59999999999999964, so the sum is computed in a big.Float of the same
// precision and range instead.

const (
	ldPrec   = 64
	ldMaxExp = 16384  // values at or above 2^16384 overflow to infinity
	ldMinExp = -16444 // below the smallest subnormal strtold gives 0 (ERANGE)
)

// parseLD parses a float as Redis's string2ld does (strtold over the whole
// argument, no leading blank, NaN refused, overflow and underflow refused).
// inf reports an infinity, which string2ld accepts when spelled out.
func parseLD(b []byte) (f *big.Float, inf int, ok bool) {
	if len(b) == 0 || len(b) >= 5*1024 || isSpace(b[0]) {
		return nil, 0, false
	}
	s := string(b)
	body, sign := s, 1
	if body[0] == '+' || body[0] == '-' {
		if body[0] == '-' {
			sign = -1
		}
		body = body[1:]
	}
	switch strings.ToLower(body) {
	case "inf", "infinity":
		return nil, sign, true
	}
	if strings.ContainsAny(body, "_ \t\n\r\v\f+-") && !validExpSign(body) {
		return nil, 0, false
	}
	if len(body) == 0 || body[0] == '+' || body[0] == '-' {
		return nil, 0, false
	}
	f, _, err := big.ParseFloat(s, 0, ldPrec, big.ToNearestEven)
	if err != nil || strings.ContainsRune(s, '_') {
		return nil, 0, false
	}
	if f.Sign() != 0 {
		e := f.MantExp(nil)
		if e > ldMaxExp {
			return nil, 0, false
		}
		if e < ldMinExp {
			return nil, 0, false
		}
	}
	return f, 0, true
}

// validExpSign allows a sign only right after an exponent marker.
func validExpSign(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '_', ' ', '\t', '\n', '\r', '\v', '\f':
			return false
		case '+', '-':
			if i == 0 {
				return false
			}
			p := s[i-1] | 0x20
			hex := len(s) > 1 && s[0] == '0' && s[1]|0x20 == 'x'
			if !(p == 'e' && !hex) && !(p == 'p' && hex) {
				return false
			}
		}
	}
	return true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// addLD returns a+b rounded to long double, and false when the result is
// not finite.
func addLD(a, b *big.Float) (*big.Float, bool) {
	r := new(big.Float).SetPrec(ldPrec).SetMode(big.ToNearestEven)
	r.Add(a, b)
	if r.Sign() != 0 && r.MantExp(nil) > ldMaxExp {
		return nil, false
	}
	return r, true
}

// formatLD prints like Redis's ld2string in human mode: "%.17Lf" without
// trailing zeros or a trailing point, and "-0" as "0".
func formatLD(f *big.Float) []byte {
	s := f.Text('f', 17)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	return []byte(s)
}
