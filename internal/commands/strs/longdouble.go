package strs

import (
	"bytes"
	"math/big"
)

// INCRBYFLOAT computes in C's long double, which on the x86-64 builds Redis
// ships is the x87 80-bit extended format: a 64-bit significand, exponents
// down to 2^-16382 (subnormals to 2^-16445), overflow at 2^16384. The
// digits a client reads back depend on that precision, so moonkv emulates
// it exactly with math/big: glibc's strtold (correctly rounded), one
// correctly rounded addition, and printf's "%.17Lf" (exact decimal
// expansion, rounded half to even at the 17th decimal).

const (
	ldMantBits = 64
	ldMinExp   = -16382 // smallest normal binary exponent
	ldQuantum  = 16445  // subnormals are multiples of 2^-16445
	ldMaxExp   = 16384  // values >= 2^16384 overflow
	// maxLongDoubleChars is Redis's MAX_LONG_DOUBLE_CHARS: longer inputs
	// are refused before parsing.
	maxLongDoubleChars = 5 * 1024
)

// ldStatus is how a conversion to long double came out.
type ldStatus uint8

const (
	ldOK ldStatus = iota
	ldOverflow
	ldUnderflow // a non-zero value that rounded to zero
)

// parseLongDouble parses a value as Redis's string2ld does: strtold must
// consume the whole argument, no leading blank, NaN refused, and overflow or underflow to zero refused.
// Infinities spelled out ("inf", "-Infinity") are accepted.
func parseLongDouble(b []byte) (*big.Float, bool) {
	if len(b) == 0 || len(b) >= maxLongDoubleChars {
		return nil, false
	}
	if bytes.IndexByte(b, 0) >= 0 {
		// strtold would stop at the NUL short of the whole argument.
		return nil, false
	}
	switch b[0] {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return nil, false
	}
	neg := false
	s := b
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if isInfWord(s) {
		f := new(big.Float).SetInf(neg)
		return f, true
	}
	var (
		f  *big.Float
		st ldStatus
		ok bool
	)
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		f, st, ok = parseHexLD(neg, s[2:])
	} else {
		f, st, ok = parseDecLD(neg, s)
	}
	if !ok || st != ldOK {
		return nil, false
	}
	return f, true
}

func isInfWord(s []byte) bool {
	return len(s) == 3 && lowerEq(s, "inf") || len(s) == 8 && lowerEq(s, "infinity")
}

func lowerEq(s []byte, w string) bool {
	for i := range s {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}

// parseExp reads an exponent: an optional sign and at least one digit,
// the whole rest of s. Huge exponents saturate (the caller's range checks
// make any value beyond a million equivalent).
func parseExp(s []byte) (int, bool) {
	neg := false
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 {
		return 0, false
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		if n < 1e8 {
			n = n*10 + int(c-'0')
		}
	}
	if neg {
		n = -n
	}
	return n, true
}

func parseDecLD(neg bool, s []byte) (*big.Float, ldStatus, bool) {
	digits := make([]byte, 0, len(s))
	frac, seen, dot := 0, false, false
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			seen = true
			if len(digits) > 0 || c != '0' {
				digits = append(digits, c)
			}
			if dot {
				frac++
			}
			continue
		case c == '.' && !dot:
			dot = true
			continue
		}
		break
	}
	if !seen {
		return nil, 0, false
	}
	exp := 0
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return nil, 0, false
		}
		var ok bool
		if exp, ok = parseExp(s[i+1:]); !ok {
			return nil, 0, false
		}
	}
	if len(digits) == 0 {
		return signedZero(neg), ldOK, true
	}
	e10 := exp - frac
	n := len(digits)
	switch {
	case n-1+e10 >= 4933: // at least 1e4933, beyond the largest long double
		return nil, ldOverflow, true
	case n+e10 <= -4952: // below 1e-4952, under half the smallest subnormal
		return nil, ldUnderflow, true
	}
	num, _ := new(big.Int).SetString(string(digits), 10)
	den := big.NewInt(1)
	if e10 > 0 {
		num.Mul(num, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(e10)), nil))
	} else if e10 < 0 {
		den.Exp(big.NewInt(10), big.NewInt(int64(-e10)), nil)
	}
	f, st := roundLD(neg, num, den)
	return f, st, true
}

func parseHexLD(neg bool, s []byte) (*big.Float, ldStatus, bool) {
	mant := new(big.Int)
	frac, seen, dot := 0, false, false
	i := 0
	for ; i < len(s); i++ {
		c := s[i]
		d := hexVal(c)
		if d >= 0 {
			seen = true
			mant.Lsh(mant, 4)
			mant.Or(mant, big.NewInt(int64(d)))
			if dot {
				frac++
			}
			continue
		}
		if c == '.' && !dot {
			dot = true
			continue
		}
		break
	}
	if !seen {
		return nil, 0, false
	}
	exp := 0
	if i < len(s) {
		if s[i] != 'p' && s[i] != 'P' {
			return nil, 0, false
		}
		var ok bool
		if exp, ok = parseExp(s[i+1:]); !ok {
			return nil, 0, false
		}
	}
	if mant.Sign() == 0 {
		return signedZero(neg), ldOK, true
	}
	e2 := exp - 4*frac
	top := mant.BitLen() + e2 // the value is in [2^(top-1), 2^top)
	switch {
	case top-1 >= ldMaxExp:
		return nil, ldOverflow, true
	case top < -ldQuantum-1:
		return nil, ldUnderflow, true
	}
	den := big.NewInt(1)
	if e2 > 0 {
		mant.Lsh(mant, uint(e2))
	} else {
		den.Lsh(den, uint(-e2))
	}
	f, st := roundLD(neg, mant, den)
	return f, st, true
}

func hexVal(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func signedZero(neg bool) *big.Float {
	f := new(big.Float).SetPrec(ldMantBits)
	if neg {
		f.Neg(f)
	}
	return f
}

// roundLD rounds the positive rational num/den to the nearest long double
// (ties to even), subnormals included, and applies the sign.
func roundLD(neg bool, num, den *big.Int) (*big.Float, ldStatus) {
	// e = floor(log2(num/den))
	e := num.BitLen() - den.BitLen()
	var t big.Int
	if e >= 0 {
		if num.Cmp(t.Lsh(den, uint(e))) < 0 {
			e--
		}
	} else if t.Lsh(num, uint(-e)).Cmp(den) < 0 {
		e--
	}
	scale := ldMantBits - 1 - e // keep 64 significant bits...
	if e < ldMinExp {
		scale = ldQuantum // ...or, below the normal range, multiples of 2^-16445
	}
	n := new(big.Int).Set(num)
	d := new(big.Int).Set(den)
	if scale >= 0 {
		n.Lsh(n, uint(scale))
	} else {
		d.Lsh(d, uint(-scale))
	}
	m, r := new(big.Int).QuoRem(n, d, new(big.Int))
	switch r.Lsh(r, 1).Cmp(d) {
	case 1:
		m.Add(m, big.NewInt(1))
	case 0:
		if m.Bit(0) == 1 {
			m.Add(m, big.NewInt(1))
		}
	}
	if m.Sign() == 0 {
		return nil, ldUnderflow
	}
	if m.BitLen()-1-scale >= ldMaxExp {
		return nil, ldOverflow
	}
	f := new(big.Float).SetPrec(ldMantBits).SetInt(m)
	f.SetMantExp(f, -scale)
	if neg {
		f.Neg(f)
	}
	return f, ldOK
}

// addLongDouble is long double addition; ok is false when the sum is not
// finite (an infinite operand, or overflow).
func addLongDouble(a, b *big.Float) (*big.Float, bool) {
	if a.IsInf() || b.IsInf() {
		return nil, false
	}
	if a.Sign() == 0 || b.Sign() == 0 {
		if a.Sign() == 0 && b.Sign() == 0 {
			// -0 + -0 is -0; any other mix of zeros is +0.
			z := new(big.Float).SetPrec(ldMantBits)
			if a.Signbit() && b.Signbit() {
				z.Neg(z)
			}
			return z, true
		}
		if a.Sign() == 0 {
			return b, true
		}
		return a, true
	}
	// The exact sum needs the bits spanned by both operands.
	ea, eb := a.MantExp(nil), b.MantExp(nil)
	span := ea - eb
	if span < 0 {
		span = -span
	}
	exact := new(big.Float).SetPrec(uint(2*ldMantBits+span+2)).Add(a, b)
	if exact.Sign() == 0 {
		return new(big.Float).SetPrec(ldMantBits), true
	}
	r, _ := exact.Rat(nil)
	num := new(big.Int).Abs(r.Num())
	f, st := roundLD(r.Sign() < 0, num, r.Denom())
	return f, st == ldOK
}

var pow10of17 = new(big.Int).Exp(big.NewInt(10), big.NewInt(17), nil)

// formatLongDouble renders a finite value as Redis stores INCRBYFLOAT's
// result: printf("%.17Lf") with the trailing zeros (and a bare '.')
// removed, and "-0" written as "0".
func formatLongDouble(f *big.Float) []byte {
	r, _ := f.Rat(nil)
	num := new(big.Int).Abs(r.Num())
	num.Mul(num, pow10of17)
	den := r.Denom()
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	switch rem.Lsh(rem, 1).Cmp(den) {
	case 1:
		q.Add(q, big.NewInt(1))
	case 0:
		if q.Bit(0) == 1 {
			q.Add(q, big.NewInt(1))
		}
	}
	digits := q.Append(nil, 10)
	if len(digits) < 18 {
		pad := make([]byte, 18-len(digits), 18)
		for i := range pad {
			pad[i] = '0'
		}
		digits = append(pad, digits...)
	}
	intPart, fracPart := digits[:len(digits)-17], digits[len(digits)-17:]
	fracPart = bytes.TrimRight(fracPart, "0")
	out := make([]byte, 0, len(digits)+2)
	if f.Signbit() && !(len(intPart) == 1 && intPart[0] == '0' && len(fracPart) == 0) {
		out = append(out, '-')
	}
	out = append(out, intPart...)
	if len(fracPart) > 0 {
		out = append(out, '.')
		out = append(out, fracPart...)
	}
	return out
}
