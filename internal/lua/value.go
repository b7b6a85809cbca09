package lua

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unsafe"
)

// ValueType is the Lua type of a Value.
type ValueType uint8

// Lua types. The numeric order is only meaningful inside the package.
const (
	TypeNil ValueType = iota
	TypeBoolean
	TypeNumber
	TypeString
	TypeTable
	TypeFunction
	TypeThread
	TypeUserdata
	typeBox // a captured local's heap cell, never visible to scripts
)

var typeNames = [...]string{"nil", "boolean", "number", "string", "table", "function", "thread", "userdata", "box"}

func (t ValueType) String() string { return typeNames[t] }

// Value is a Lua value. It is three words and never needs a heap
// allocation for nil, booleans, numbers or strings: a number lives in n,
// a boolean in n (0 or 1), and a string keeps its data pointer in p and
// its length in n, so converting a Go string to a Value copies nothing.
// Tables, functions and threads keep their object pointer in p.
type Value struct {
	p unsafe.Pointer
	n float64
	t ValueType
}

// Nil is the Lua nil value; the zero Value is also nil.
var Nil = Value{}

// True and False are the Lua booleans.
var (
	True  = Value{t: TypeBoolean, n: 1}
	False = Value{t: TypeBoolean}
)

// Number makes a number value.
func Number(f float64) Value { return Value{t: TypeNumber, n: f} }

// Bool makes a boolean value.
func Bool(b bool) Value {
	if b {
		return True
	}
	return False
}

// String makes a string value without copying s.
func String(s string) Value {
	return Value{t: TypeString, p: unsafe.Pointer(unsafe.StringData(s)), n: float64(len(s))}
}

// TableValue wraps a table.
func TableValue(t *Table) Value {
	if t == nil {
		return Nil
	}
	return Value{t: TypeTable, p: unsafe.Pointer(t)}
}

// FunctionValue wraps a function.
func FunctionValue(f *Function) Value {
	if f == nil {
		return Nil
	}
	return Value{t: TypeFunction, p: unsafe.Pointer(f)}
}

// UserdataValue wraps an opaque host object; scripts can only pass it
// around and compare it (e.g. cjson.null).
func UserdataValue(u *Userdata) Value { return Value{t: TypeUserdata, p: unsafe.Pointer(u)} }

// Userdata is an opaque host value with an optional metatable.
type Userdata struct {
	Data any
	meta *Table
	// null marks the NULL light userdata C libraries push (cjson.null),
	// which tostring prints as glibc prints a NULL %p.
	null bool
}

// Type returns the Lua type of v.
func (v Value) Type() ValueType { return v.t }

// IsNil reports whether v is nil.
func (v Value) IsNil() bool { return v.t == TypeNil }

// Truthy reports whether v counts as true in a condition.
func (v Value) Truthy() bool { return v.t > TypeBoolean || (v.t == TypeBoolean && v.n != 0) }

// AsNumber returns the number in v; ok is false if v is not a number.
func (v Value) AsNumber() (float64, bool) { return v.n, v.t == TypeNumber }

// AsBool returns the boolean in v; ok is false if v is not a boolean.
func (v Value) AsBool() (bool, bool) { return v.n != 0, v.t == TypeBoolean }

// AsString returns the string in v without copying; ok is false if v is
// not a string.
func (v Value) AsString() (string, bool) {
	if v.t != TypeString {
		return "", false
	}
	return v.str(), true
}

// AsTable returns the table in v or nil.
func (v Value) AsTable() *Table {
	if v.t != TypeTable {
		return nil
	}
	return (*Table)(v.p)
}

// AsFunction returns the function in v or nil.
func (v Value) AsFunction() *Function {
	if v.t != TypeFunction {
		return nil
	}
	return (*Function)(v.p)
}

// AsUserdata returns the userdata in v or nil.
func (v Value) AsUserdata() *Userdata {
	if v.t != TypeUserdata {
		return nil
	}
	return (*Userdata)(v.p)
}

func (v Value) str() string      { return unsafe.String((*byte)(v.p), int(v.n)) }
func (v Value) tab() *Table      { return (*Table)(v.p) }
func (v Value) fn() *Function    { return (*Function)(v.p) }
func (v Value) box() *Value      { return (*Value)(v.p) }
func (v Value) thread() *State   { return (*State)(v.p) }
func (v Value) isFalse() bool    { return v.t == TypeNil || (v.t == TypeBoolean && v.n == 0) }
func (v Value) strLen() int      { return int(v.n) }
func boxValue(b *Value) Value    { return Value{t: typeBox, p: unsafe.Pointer(b)} }
func threadValue(s *State) Value { return Value{t: TypeThread, p: unsafe.Pointer(s)} }

// rawEqual is Lua's primitive equality (no metamethods).
func rawEqual(a, b Value) bool {
	if a.t != b.t {
		return false
	}
	switch a.t {
	case TypeNil:
		return true
	case TypeNumber, TypeBoolean:
		return a.n == b.n
	case TypeString:
		return a.n == b.n && (a.p == b.p || a.str() == b.str())
	default:
		return a.p == b.p
	}
}

// String renders v the way tostring does without metamethods.
func (v Value) String() string {
	switch v.t {
	case TypeNil:
		return "nil"
	case TypeBoolean:
		if v.n != 0 {
			return "true"
		}
		return "false"
	case TypeNumber:
		return formatNumber(v.n)
	case TypeString:
		return v.str()
	case TypeTable:
		return fmt.Sprintf("table: %p", v.p)
	case TypeFunction:
		if v.fn().native != nil {
			return fmt.Sprintf("function: %p", v.p)
		}
		return fmt.Sprintf("function: %p", v.p)
	case TypeThread:
		return fmt.Sprintf("thread: %p", v.p)
	case TypeUserdata:
		if (*Userdata)(v.p).null {
			return "userdata: (nil)"
		}
		return fmt.Sprintf("userdata: %p", v.p)
	}
	return "?"
}

// formatNumber renders n like C Lua's "%.14g".
func formatNumber(n float64) string {
	if n == math.Trunc(n) && n > -1e14 && n < 1e14 {
		if n == 0 {
			if math.Signbit(n) {
				return "-0"
			}
			return "0"
		}
		return strconv.FormatInt(int64(n), 10)
	}
	return fmtG(n, 14, false, false)
}

// fmtNonFinite renders inf and nan as glibc printf does, including the
// sign of a NaN (0/0 on amd64 yields a negative NaN, printed "-nan").
func fmtNonFinite(n float64, upper bool) string {
	var s string
	if math.IsNaN(n) {
		s = "nan"
	} else {
		s = "inf"
	}
	if math.Signbit(n) {
		s = "-" + s
	}
	if upper {
		s = strings.ToUpper(s)
	}
	return s
}

// fmtG is C's %.<prec>g (alt keeps trailing zeros as with '#').
func fmtG(n float64, prec int, upper, alt bool) string {
	if math.IsInf(n, 0) || math.IsNaN(n) {
		return fmtNonFinite(n, upper)
	}
	if prec == 0 {
		prec = 1
	}
	if n == 0 {
		s := "0"
		if alt && prec > 1 {
			s = "0." + strings.Repeat("0", prec-1)
		}
		if math.Signbit(n) {
			s = "-" + s
		}
		return s
	}
	// Round to prec significant digits to learn the decimal exponent.
	e := strconv.FormatFloat(n, 'e', prec-1, 64)
	i := strings.LastIndexByte(e, 'e')
	x, _ := strconv.Atoi(e[i+1:])
	var s string
	if x < -4 || x >= prec {
		mant := e[:i]
		if !alt {
			mant = trimZeros(mant)
		}
		exp := e[i+1:]
		sign := exp[0]
		digits := exp[1:]
		if len(digits) < 2 {
			digits = "0" + digits
		}
		s = mant + "e" + string(sign) + digits
	} else {
		s = strconv.FormatFloat(n, 'f', prec-1-x, 64)
		if !alt {
			s = trimZeros(s)
		} else if !strings.Contains(s, ".") {
			s += "."
		}
	}
	if upper {
		s = strings.ToUpper(s)
	}
	return s
}

func trimZeros(s string) string {
	if strings.IndexByte(s, '.') < 0 {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// str2number converts a string the way lua_Number coercion does:
// decimal via strtod or hexadecimal "0x..." integers, surrounding
// whitespace allowed.
func str2number(s string) (float64, bool) {
	// Fast path: a short decimal integer, the usual shape of ARGV values.
	if n := len(s); n > 0 && n <= 15 {
		i := 0
		neg := s[0] == '-'
		if neg {
			i = 1
		}
		if i < n {
			var v int64
			for ; i < n; i++ {
				c := s[i]
				if c < '0' || c > '9' {
					break
				}
				v = v*10 + int64(c-'0')
			}
			if i == n {
				f := float64(v)
				if neg {
					f = -f
				}
				return f, true
			}
		}
	}
	s = trimSpace(s)
	if s == "" {
		return 0, false
	}
	body := s
	neg := false
	if body[0] == '-' || body[0] == '+' {
		neg = body[0] == '-'
		body = body[1:]
	}
	if len(body) > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X') {
		// glibc strtod reads hexadecimal floats: 0xH[.H][p[+-]D].
		i, digits, dot := 2, 0, false
		for ; i < len(body); i++ {
			c := body[i]
			if hexDigit(c) >= 0 {
				digits++
			} else if c == '.' && !dot {
				dot = true
			} else {
				break
			}
		}
		if digits == 0 {
			return 0, false
		}
		text := body[:i]
		if i < len(body) && (body[i] == 'p' || body[i] == 'P') {
			j := i + 1
			if j < len(body) && (body[j] == '+' || body[j] == '-') {
				j++
			}
			k := j
			for k < len(body) && isDigit(body[k]) {
				k++
			}
			if k > j {
				text = body[:k]
				i = k
			}
		}
		if i != len(body) {
			return 0, false
		}
		if !strings.ContainsAny(text, "pP") {
			text += "p0"
		}
		n, err := strconv.ParseFloat(text, 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
				return 0, false
			}
		}
		if neg {
			n = -n
		}
		return n, true
	}
	// strtod syntax: digits [. digits] [e[+-]digits], or inf/nan.
	i := 0
	digits := 0
	for i < len(body) && body[i] >= '0' && body[i] <= '9' {
		i++
		digits++
	}
	if i < len(body) && body[i] == '.' {
		i++
		for i < len(body) && body[i] >= '0' && body[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		low := strings.ToLower(body)
		switch low {
		case "inf", "infinity":
			if neg {
				return math.Inf(-1), true
			}
			return math.Inf(1), true
		case "nan":
			return math.NaN(), true
		}
		return 0, false
	}
	if i < len(body) && (body[i] == 'e' || body[i] == 'E') {
		j := i + 1
		if j < len(body) && (body[j] == '+' || body[j] == '-') {
			j++
		}
		k := j
		for k < len(body) && body[k] >= '0' && body[k] <= '9' {
			k++
		}
		if k == j {
			return 0, false
		}
		i = k
	}
	if i != len(body) {
		return 0, false
	}
	f, err := strconv.ParseFloat(body, 64)
	if err != nil {
		// Overflow still yields ±HUGE_VAL like strtod.
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	if neg {
		f = -f
	}
	return f, true
}

func hexDigit(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// toNumber applies Lua's string-to-number coercion.
func toNumber(v Value) (float64, bool) {
	switch v.t {
	case TypeNumber:
		return v.n, true
	case TypeString:
		return str2number(v.str())
	}
	return 0, false
}

// toStringCoerce applies Lua's number-to-string coercion.
func toStringCoerce(v Value) (string, bool) {
	switch v.t {
	case TypeString:
		return v.str(), true
	case TypeNumber:
		return formatNumber(v.n), true
	}
	return "", false
}

func signbit(f float64) bool { return math.Signbit(f) }

func isCSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

// trimSpace trims C isspace characters.
func trimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isCSpace(s[i]) {
		i++
	}
	for j > i && isCSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}
