package strs

import (
	"math/bits"
	"strconv"
)

// A fast path for INCRBYFLOAT's long double arithmetic, exact for the
// common case: decimal operands of at most 19 significant digits and a
// decimal exponent within ±19, whose sum needs no more than 128 bits to
// align. It computes with 64-bit words what longdouble.go computes with
// math/big, and gives up (ok false) wherever it could not be exact, so
// the caller falls back to the general path; the two are tested against
// each other.

// ldWord is a finite long double in the normal range, or zero: the value
// mant × 2^exp, with mant's top bit set unless the value is zero.
type ldWord struct {
	neg  bool
	mant uint64
	exp  int
}

var pow10u64 = func() (t [20]uint64) {
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1] * 10
	}
	return t
}()

// parseLDWord parses the plain decimal forms within the fast path's range.
// Whatever it accepts, parseLongDouble accepts with the same value.
func parseLDWord(b []byte) (ldWord, bool) {
	var x ldWord
	if len(b) == 0 || len(b) >= maxLongDoubleChars {
		return x, false
	}
	i := 0
	if b[0] == '+' || b[0] == '-' {
		x.neg = b[0] == '-'
		i++
	}
	var d uint64
	ndig, frac, e10 := 0, 0, 0
	seen, dot := false, false
	for ; i < len(b); i++ {
		c := b[i]
		if c == '.' && !dot {
			dot = true
			continue
		}
		if c < '0' || c > '9' {
			break
		}
		seen = true
		if dot {
			frac++
		}
		if d == 0 && c == '0' {
			continue // leading zeros are not significant
		}
		if ndig == 19 {
			if c != '0' {
				return x, false
			}
			e10++ // a trailing zero beyond 19 digits only scales
			continue
		}
		d = d*10 + uint64(c-'0')
		ndig++
	}
	if !seen {
		return x, false
	}
	if i < len(b) {
		if b[i] != 'e' && b[i] != 'E' {
			return x, false
		}
		i++
		eneg := false
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			eneg = b[i] == '-'
			i++
		}
		if i == len(b) || len(b)-i > 4 {
			return x, false
		}
		n := 0
		for ; i < len(b); i++ {
			c := b[i]
			if c < '0' || c > '9' {
				return x, false
			}
			n = n*10 + int(c-'0')
		}
		if eneg {
			n = -n
		}
		e10 += n
	}
	if d == 0 {
		return x, true
	}
	e10 -= frac
	switch {
	case e10 >= 0 && e10 <= 19:
		hi, lo := bits.Mul64(d, pow10u64[e10])
		x.mant, x.exp = round128(hi, lo, false)
	case e10 < 0 && e10 >= -19:
		x.mant, x.exp = quoRound(d, pow10u64[-e10])
	default:
		return x, false
	}
	return x, true
}

// round128 rounds hi·2^64+lo (not zero), plus a sticky fraction below it,
// to 64 significant bits, ties to even: the result is mant × 2^exp.
func round128(hi, lo uint64, sticky bool) (mant uint64, exp int) {
	if hi == 0 {
		lz := bits.LeadingZeros64(lo)
		if !sticky {
			return lo << lz, -lz
		}
		// Only the addition's carry sets sticky, and then hi is not zero.
		hi, lo, exp = lo, 0, -64
	}
	lz := bits.LeadingZeros64(hi)
	t := 64 - lz // bits of lo dropped
	mant = hi<<lz | lo>>t
	dropped := lo << lz
	const half = 1 << 63
	if dropped > half || (dropped == half && (sticky || mant&1 == 1)) {
		mant++
		if mant == 0 {
			mant, t = half, t+1
		}
	}
	return mant, exp + t
}

// quoRound is d / p rounded to 64 significant bits (ties to even), for
// p > 1 at most 10^19.
func quoRound(d, p uint64) (mant uint64, exp int) {
	s := 63 + bits.Len64(p) - bits.Len64(d)
	for {
		var hi, lo uint64
		switch {
		case s >= 64:
			hi = d << (s - 64)
		case s > 0:
			hi, lo = d>>(64-s), d<<s
		default:
			lo = d
		}
		q, r := bits.Div64(hi, lo, p)
		if q < 1<<63 {
			s++
			continue
		}
		if r > p-r || (r == p-r && q&1 == 1) {
			q++
			if q == 0 {
				return 1 << 63, -s + 1
			}
		}
		return q, -s
	}
}

// addLDWord adds two non-zero values; ok is false when the operands are
// too far apart to align in 128 bits or the sum leaves the normal range.
func addLDWord(a, b ldWord) (ldWord, bool) {
	if a.exp < b.exp || (a.exp == b.exp && a.mant < b.mant) {
		a, b = b, a // |a| >= |b|
	}
	d := a.exp - b.exp
	if d > 64 {
		return ldWord{}, false
	}
	ahi, alo := a.mant, uint64(0)
	var bhi, blo uint64
	switch d {
	case 0:
		bhi = b.mant
	case 64:
		blo = b.mant
	default:
		bhi, blo = b.mant>>d, b.mant<<(64-d)
	}
	var r ldWord
	r.neg = a.neg
	base := a.exp - 64
	if a.neg == b.neg {
		lo, c := bits.Add64(alo, blo, 0)
		hi, carry := bits.Add64(ahi, bhi, c)
		sticky := false
		if carry == 1 {
			sticky = lo&1 == 1
			lo = lo>>1 | hi<<63
			hi = hi>>1 | 1<<63
			base++
		}
		var e int
		r.mant, e = round128(hi, lo, sticky)
		r.exp = base + e
	} else {
		lo, c := bits.Sub64(alo, blo, 0)
		hi, _ := bits.Sub64(ahi, bhi, c)
		if hi == 0 && lo == 0 {
			return ldWord{}, true // x - x is +0
		}
		var e int
		r.mant, e = round128(hi, lo, false)
		r.exp = base + e
	}
	if top := r.exp + 63; top < ldMinExp || top >= ldMaxExp {
		return ldWord{}, false
	}
	return r, true
}

// formatLDWord is formatLongDouble for the values whose integer part fits
// in 64 bits.
func formatLDWord(x ldWord) ([]byte, bool) {
	if x.mant == 0 {
		return []byte("0"), true
	}
	if x.exp >= 0 {
		if x.exp > bits.LeadingZeros64(x.mant) {
			return nil, false
		}
		out := make([]byte, 0, 21)
		if x.neg {
			out = append(out, '-')
		}
		return strconv.AppendUint(out, x.mant<<x.exp, 10), true
	}
	// q = round(value × 10^17), half to even.
	hi, lo := bits.Mul64(x.mant, 1e17)
	var qhi, qlo uint64
	e := -x.exp
	switch {
	case e >= 128:
		// Below 2^-7 after scaling: rounds to 0.
	case e >= 64:
		qlo = hi >> (e - 64)
		remHi, remLo := hi&(1<<(e-64)-1), lo
		var halfHi, halfLo uint64
		if e == 64 {
			halfLo = 1 << 63
		} else {
			halfHi = 1 << (e - 65)
		}
		if remHi > halfHi || (remHi == halfHi && (remLo > halfLo || (remLo == halfLo && qlo&1 == 1))) {
			qlo++
		}
	default:
		qlo, qhi = lo>>e|hi<<(64-e), hi>>e
		rem, half := lo&(1<<e-1), uint64(1)<<(e-1)
		if rem > half || (rem == half && qlo&1 == 1) {
			var c uint64
			qlo, c = bits.Add64(qlo, 1, 0)
			qhi += c
		}
	}
	var buf [40]byte
	var digits []byte
	if qhi == 0 {
		digits = strconv.AppendUint(buf[:0], qlo, 10)
	} else {
		top, low := bits.Div64(qhi, qlo, 1e19)
		digits = strconv.AppendUint(buf[:0], top, 10)
		var lb [20]byte
		l := strconv.AppendUint(lb[:0], low, 10)
		for i := len(l); i < 19; i++ {
			digits = append(digits, '0')
		}
		digits = append(digits, l...)
	}
	return decimalPoint(x.neg, digits), true
}

// decimalPoint renders digits, which carry 17 implied decimals, as
// "%.17Lf" then trimmed of trailing zeros (and of a bare '.'); a negative
// value that printed as zero loses its sign, as Redis writes it.
func decimalPoint(neg bool, digits []byte) []byte {
	out := make([]byte, 0, len(digits)+20)
	if neg {
		out = append(out, '-')
	}
	if len(digits) <= 17 {
		out = append(out, '0')
	} else {
		out = append(out, digits[:len(digits)-17]...)
		digits = digits[len(digits)-17:]
	}
	fracStart := len(out)
	out = append(out, '.')
	for i := len(digits); i < 17; i++ {
		out = append(out, '0')
	}
	out = append(out, digits...)
	end := len(out)
	for end > fracStart+1 && out[end-1] == '0' {
		end--
	}
	if end == fracStart+1 {
		end = fracStart
	}
	out = out[:end]
	if neg && len(out) == 2 && out[1] == '0' {
		out = out[1:]
	}
	return out
}

// incrByFloatFast computes INCRBYFLOAT's new value when the fast path can;
// cur is nil for a missing key.
func incrByFloatFast(cur, incr []byte) ([]byte, bool) {
	var a ldWord
	if cur != nil {
		var ok bool
		if a, ok = parseLDWord(cur); !ok {
			return nil, false
		}
	}
	b, ok := parseLDWord(incr)
	if !ok {
		return nil, false
	}
	var sum ldWord
	switch {
	case a.mant == 0 && b.mant == 0:
		sum.neg = a.neg && b.neg
	case a.mant == 0:
		sum = b
	case b.mant == 0:
		sum = a
	default:
		if sum, ok = addLDWord(a, b); !ok {
			return nil, false
		}
	}
	return formatLDWord(sum)
}
