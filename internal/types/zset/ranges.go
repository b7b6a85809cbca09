package zset

import (
	"math"
	"strconv"
)

// ScoreRange is a score interval as ZRANGEBYSCORE takes it: each end
// inclusive unless marked exclusive ("(1.5").
type ScoreRange struct {
	Min, Max     float64
	MinEx, MaxEx bool
}

func (r ScoreRange) aboveMin(s float64) bool {
	if r.MinEx {
		return s > r.Min
	}
	return s >= r.Min
}

func (r ScoreRange) belowMax(s float64) bool {
	if r.MaxEx {
		return s < r.Max
	}
	return s <= r.Max
}

// Contains reports whether s lies in the range.
func (r ScoreRange) Contains(s float64) bool { return r.aboveMin(s) && r.belowMax(s) }

// Empty reports whether no score can lie in the range.
func (r ScoreRange) Empty() bool {
	return r.Min > r.Max || (r.Min == r.Max && (r.MinEx || r.MaxEx))
}

// ParseScoreRange parses the min and max arguments of a score range
// ("1", "(1", "-inf", "+inf"). ok is false for anything else, which Redis
// reports as "min or max is not a float".
func ParseScoreRange(min, max []byte) (r ScoreRange, ok bool) {
	if r.Min, r.MinEx, ok = parseScoreBound(min); !ok {
		return r, false
	}
	if r.Max, r.MaxEx, ok = parseScoreBound(max); !ok {
		return r, false
	}
	return r, true
}

func parseScoreBound(b []byte) (float64, bool, bool) {
	ex := false
	if len(b) > 0 && b[0] == '(' {
		ex = true
		b = b[1:]
	}
	f, ok := strtod(b, true)
	return f, ex, ok
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// strtod parses a number as C's strtod followed by Redis's checks. Range
// bounds are parsed leniently, as zslParseRange does (leading blanks
// skipped, "" is 0, overflow saturates); scores strictly, as
// getDoubleFromObject does (no blanks, no overflow). NaN is always refused.
func strtod(b []byte, lenient bool) (float64, bool) {
	if len(b) == 0 {
		return 0, lenient
	}
	if isSpace(b[0]) {
		if !lenient {
			return 0, false
		}
		for len(b) > 0 && isSpace(b[0]) {
			b = b[1:]
		}
		if len(b) == 0 {
			return 0, false
		}
	}
	for _, c := range b {
		if c == '_' {
			return 0, false
		}
	}
	s := string(b)
	// strtod reads hex without a binary exponent; Go wants one.
	h := s
	if h != "" && (h[0] == '+' || h[0] == '-') {
		h = h[1:]
	}
	if len(h) > 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X') {
		hasP := false
		for i := 2; i < len(h); i++ {
			if h[i] == 'p' || h[i] == 'P' {
				hasP = true
			}
		}
		if !hasP {
			s += "p0"
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange && lenient {
			return f, true
		}
		return 0, false
	}
	if math.IsNaN(f) {
		return 0, false
	}
	if f == 0 && !lenient && nonZeroMantissa(s) {
		return 0, false // underflow: strtod's ERANGE, which scores refuse
	}
	return f, true
}

// nonZeroMantissa reports whether a number's digits before its exponent
// are not all zero.
func nonZeroMantissa(s string) bool {
	hex := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == 'x' || c == 'X':
			hex = true
		case !hex && (c == 'e' || c == 'E'), hex && (c == 'p' || c == 'P'):
			return false
		case c >= '1' && c <= '9', hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')):
			return true
		}
	}
	return false
}

// ParseScore parses a score as ZADD, ZINCRBY and WEIGHTS take it.
func ParseScore(b []byte) (float64, bool) { return strtod(b, false) }

// LexBound is one end of a lex range: a value, or -inf ("-") or +inf
// ("+").
type LexBound struct {
	Value string
	Inf   int // -1 for "-", +1 for "+", 0 for a value
	Ex    bool
}

// LexRange is a member interval as ZRANGEBYLEX takes it.
type LexRange struct{ Min, Max LexBound }

func (r LexRange) aboveMin(m string) bool {
	switch r.Min.Inf {
	case -1:
		return true
	case 1:
		return false
	}
	if r.Min.Ex {
		return m > r.Min.Value
	}
	return m >= r.Min.Value
}

func (r LexRange) belowMax(m string) bool {
	switch r.Max.Inf {
	case -1:
		return false
	case 1:
		return true
	}
	if r.Max.Ex {
		return m < r.Max.Value
	}
	return m <= r.Max.Value
}

// empty reports whether no member can lie in the range (min above max).
func (r LexRange) empty() bool {
	switch {
	case r.Min.Inf == 1 || r.Max.Inf == -1:
		return true
	case r.Min.Inf == -1 || r.Max.Inf == 1:
		return false
	}
	return r.Min.Value > r.Max.Value || (r.Min.Value == r.Max.Value && (r.Min.Ex || r.Max.Ex))
}

// Contains reports whether m lies in the range.
func (r LexRange) Contains(m string) bool { return r.aboveMin(m) && r.belowMax(m) }

// ParseLexRange parses "[a", "(a", "-" and "+" bounds; ok is false for
// anything else.
func ParseLexRange(min, max []byte) (r LexRange, ok bool) {
	if r.Min, ok = parseLexBound(min); !ok {
		return r, false
	}
	if r.Max, ok = parseLexBound(max); !ok {
		return r, false
	}
	return r, true
}

func parseLexBound(b []byte) (LexBound, bool) {
	if len(b) == 0 {
		return LexBound{}, false
	}
	switch b[0] {
	case '+':
		if len(b) == 1 {
			return LexBound{Inf: 1}, true
		}
	case '-':
		if len(b) == 1 {
			return LexBound{Inf: -1}, true
		}
	case '(':
		return LexBound{Value: string(b[1:]), Ex: true}, true
	case '[':
		return LexBound{Value: string(b[1:])}, true
	}
	return LexBound{}, false
}
