package lua

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Redis's cjson library (lua-cjson 2.1 behaviour as Redis ships it):
// objects are written in pairs() order, which is why tables reproduce
// C Lua's iteration order; numbers use "%.14g"; '/' is escaped.

type cjsonConfig struct {
	sparseConvert bool
	sparseRatio   int
	sparseSafe    int
	encodeDepth   int
	decodeDepth   int
	precision     int
	encodeInvalid bool
	decodeInvalid bool
	keepBuffer    bool
	null          Value
}

// cjsonNull is cjson.null, a NULL light userdata in C: every cjson
// instance (cjson.new) shares it.
var cjsonNull = UserdataValue(&Userdata{Data: "cjson.null", null: true})

// OpenCjson installs the cjson library.
func (L *State) OpenCjson() {
	L.SetGlobal("cjson", TableValue(L.cjsonModule()))
}

// cjsonModule makes a cjson table with its own settings (cjson.new).
func (L *State) cjsonModule() *Table {
	cfg := &cjsonConfig{sparseRatio: 2, sparseSafe: 10, encodeDepth: 1000, decodeDepth: 1000,
		precision: 14, decodeInvalid: true, keepBuffer: true}
	cfg.null = cjsonNull
	fns := map[string]GoFunction{
		"new": func(L *State, args []Value) []Value {
			return L.Ret1(TableValue(L.cjsonModule()))
		},
		"encode": func(L *State, args []Value) []Value {
			if len(args) != 1 {
				L.Errorf("bad argument #1 to 'encode' (expected 1 argument)")
			}
			var b strings.Builder
			cfg.encode(L, &b, args[0], 0)
			return L.Ret1(L.newString(b.String()))
		},
		"decode": func(L *State, args []Value) []Value {
			if len(args) != 1 {
				L.Errorf("bad argument #1 to 'decode' (expected 1 argument)")
			}
			s := L.CheckString(args, 1)
			d := &jsonDecoder{L: L, cfg: cfg, s: s}
			return L.Ret1(d.decodeTop())
		},
		"encode_sparse_array": func(L *State, args []Value) []Value {
			if len(args) > 0 {
				cfg.sparseConvert = !args[0].isFalse()
			}
			if len(args) > 1 && args[1].t != TypeNil {
				cfg.sparseRatio = cjsonCheckRange(L, args, 2, 0, math.MaxInt32)
			}
			if len(args) > 2 && args[2].t != TypeNil {
				cfg.sparseSafe = cjsonCheckRange(L, args, 3, 0, math.MaxInt32)
			}
			return L.Ret(Bool(cfg.sparseConvert), Number(float64(cfg.sparseRatio)), Number(float64(cfg.sparseSafe)))
		},
		"encode_max_depth":        cjsonIntOpt(&cfg.encodeDepth, 1, math.MaxInt32),
		"decode_max_depth":        cjsonIntOpt(&cfg.decodeDepth, 1, math.MaxInt32),
		"encode_number_precision": cjsonIntOpt(&cfg.precision, 1, 14),
		"encode_keep_buffer":      cjsonBoolOpt(&cfg.keepBuffer),
		"encode_invalid_numbers":  cjsonBoolOpt(&cfg.encodeInvalid),
		"decode_invalid_numbers":  cjsonBoolOpt(&cfg.decodeInvalid),
	}
	t := L.NewTable(0, len(fns)+3)
	for k, f := range fns {
		t.SetStr(k, FunctionValue(L.NewFunction(k, f)))
	}
	t.SetStr("null", cfg.null)
	t.SetStr("_NAME", String("cjson"))
	t.SetStr("_VERSION", String("2.1.0"))
	return t
}

func cjsonIntOpt(p *int, min, max int) GoFunction {
	return func(L *State, args []Value) []Value {
		if len(args) > 0 && args[0].t != TypeNil {
			*p = cjsonCheckRange(L, args, 1, min, max)
		}
		return L.Ret1(Number(float64(*p)))
	}
}

// cjsonCheckRange reads an integer option as lua_cjson does: converted to
// a C int first (2^32+5 is 5, 2^31 is INT_MIN), then checked against
// [min, max]; the error always names argument #1, as lua_cjson's does.
func cjsonCheckRange(L *State, args []Value, i, min, max int) int {
	n := L.checkCInt(args, i)
	if n < min || n > max {
		L.ArgError(1, fmt.Sprintf("expected integer between %d and %d", min, max))
	}
	return n
}

func cjsonBoolOpt(p *bool) GoFunction {
	return func(L *State, args []Value) []Value {
		if len(args) > 0 {
			*p = !args[0].isFalse()
		}
		return L.Ret1(Bool(*p))
	}
}

func (cfg *cjsonConfig) fail(L *State, v Value, reason string) {
	L.Errorf("Cannot serialise %s: %s", v.t, reason)
}

func (cfg *cjsonConfig) encode(L *State, b *strings.Builder, v Value, depth int) {
	// The output grows in Go memory until it becomes the result: keep
	// it within the script's budget (a sparse array of 2^31 nulls, a
	// huge string escaped six times over).
	if v.t == TypeString {
		L.g.reserve(2*int64(b.Cap()) + 6*int64(v.strLen()) + 2)
	} else {
		L.g.reserve(2*int64(b.Cap()) + 32)
	}
	switch v.t {
	case TypeString:
		jsonQuote(b, v.str())
	case TypeNumber:
		n := v.n
		if math.IsInf(n, 0) || n != n {
			if !cfg.encodeInvalid {
				cfg.fail(L, v, "must not be NaN or Inf")
			}
			if n != n {
				b.WriteString("nan")
			} else if n > 0 {
				b.WriteString("inf")
			} else {
				b.WriteString("-inf")
			}
			return
		}
		if cfg.precision == 14 {
			b.WriteString(formatNumber(n))
		} else {
			b.WriteString(fmtG(n, cfg.precision, false, false))
		}
	case TypeBoolean:
		if v.n != 0 {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case TypeNil:
		b.WriteString("null")
	case TypeUserdata:
		if v.p == cfg.null.p {
			b.WriteString("null")
			return
		}
		cfg.fail(L, v, "type not supported")
	case TypeTable:
		depth++
		if depth > cfg.encodeDepth {
			L.Errorf("Cannot serialise, excessive nesting (%d)", depth)
		}
		t := v.tab()
		n := cfg.arrayLength(L, v, t)
		if n > 0 {
			// Every element takes at least two bytes ("1,"): an array
			// of 2^31-1 mostly missing elements (with sparse checks
			// off) fails before its billions of "null"s are written.
			L.g.reserve(int64(b.Cap()) + 2*int64(n))
			b.WriteByte('[')
			for i := 1; i <= n; i++ {
				if i > 1 {
					b.WriteByte(',')
				}
				cfg.encode(L, b, t.GetInt(i), depth)
			}
			b.WriteByte(']')
			return
		}
		b.WriteByte('{')
		first := true
		t.ForEach(func(k, val Value) bool {
			if !first {
				b.WriteByte(',')
			}
			first = false
			switch k.t {
			case TypeString:
				jsonQuote(b, k.str())
			case TypeNumber:
				b.WriteByte('"')
				b.WriteString(formatNumber(k.n))
				b.WriteByte('"')
			default:
				cfg.fail(L, k, "table key must be a number or string")
			}
			b.WriteByte(':')
			cfg.encode(L, b, val, depth)
			return true
		})
		b.WriteByte('}')
	default:
		cfg.fail(L, v, "type not supported")
	}
}

// arrayLength returns the array size if t has only positive integer
// keys (and is not excessively sparse), else -1; 0 for empty tables.
func (cfg *cjsonConfig) arrayLength(L *State, v Value, t *Table) int {
	max, items := 0, 0
	isArray := true
	t.ForEach(func(k, _ Value) bool {
		if k.t == TypeNumber && k.n >= 1 && k.n == math.Floor(k.n) {
			// lua_cjson keeps max in a C int: a key of 2^31 or more
			// converts to INT_MIN, so such a table encodes as an object.
			if k.n > float64(max) {
				max = cvt32(k.n)
			}
			items++
			return true
		}
		isArray = false
		return false
	})
	if !isArray {
		return -1
	}
	if cfg.sparseRatio > 0 && max > items*cfg.sparseRatio && max > cfg.sparseSafe {
		if !cfg.sparseConvert {
			cfg.fail(L, v, "excessively sparse array")
		}
		return -1
	}
	return max
}

func jsonQuote(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '/':
			b.WriteString(`\/`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(b, `\u%04x`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
}

type jsonDecoder struct {
	L     *State
	cfg   *cjsonConfig
	s     string
	pos   int
	depth int
}

type jsonTok int

const (
	tObjBegin jsonTok = iota
	tObjEnd
	tArrBegin
	tArrEnd
	tString
	tNumber
	tBoolean
	tNull
	tColon
	tComma
	tEnd
	tWhitespace
	tError
)

var jsonTokNames = [...]string{"T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END", "T_STRING",
	"T_NUMBER", "T_BOOLEAN", "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_WHITESPACE", "T_ERROR"}

type jsonToken struct {
	kind  jsonTok
	start int // index of the token's first byte
	val   Value
	err   string
}

func (d *jsonDecoder) next() jsonToken {
	for d.pos < len(d.s) {
		c := d.s[d.pos]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			d.pos++
			continue
		}
		break
	}
	start := d.pos
	if d.pos >= len(d.s) {
		return jsonToken{kind: tEnd, start: start}
	}
	c := d.s[d.pos]
	k := tError
	switch c {
	case '{':
		k = tObjBegin
	case '}':
		k = tObjEnd
	case '[':
		k = tArrBegin
	case ']':
		k = tArrEnd
	case ':':
		k = tColon
	case ',':
		k = tComma
	}
	if k != tError {
		d.pos++
		return jsonToken{kind: k, start: start}
	}
	switch {
	case c == '"':
		return d.str(start)
	case c == '-' || c == '+' || isDigit(c) || ((c|0x20) == 'i' || (c|0x20) == 'n') && d.cfg.decodeInvalid && d.invalidWord():
		return d.number(start)
	case strings.HasPrefix(d.s[d.pos:], "true"):
		d.pos += 4
		return jsonToken{kind: tBoolean, start: start, val: True}
	case strings.HasPrefix(d.s[d.pos:], "false"):
		d.pos += 5
		return jsonToken{kind: tBoolean, start: start, val: False}
	case strings.HasPrefix(d.s[d.pos:], "null"):
		d.pos += 4
		return jsonToken{kind: tNull, start: start, val: d.cfg.null}
	}
	return jsonToken{kind: tError, start: start, err: "invalid token"}
}

func (d *jsonDecoder) invalidWord() bool {
	low := strings.ToLower(d.s[d.pos:min(len(d.s), d.pos+8)])
	return strings.HasPrefix(low, "inf") || strings.HasPrefix(low, "nan")
}

func (d *jsonDecoder) number(start int) jsonToken {
	s := d.s[d.pos:]
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	low := strings.ToLower(s[i:min(len(s), i+8)])
	var n float64
	switch {
	case strings.HasPrefix(low, "infinity"):
		i += 8
		n = math.Inf(1)
	case strings.HasPrefix(low, "inf"):
		i += 3
		n = math.Inf(1)
	case strings.HasPrefix(low, "nan"):
		i += 3
		n = math.NaN()
	case strings.HasPrefix(low, "0x") && d.cfg.decodeInvalid:
		j := i + 2
		for j < len(s) && hexDigit(s[j]) >= 0 {
			n = n*16 + float64(hexDigit(s[j]))
			j++
		}
		if j == i+2 {
			return jsonToken{kind: tError, start: start, err: "invalid number"}
		}
		i = j
	default:
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j < len(s) && s[j] == '.' {
			j++
			for j < len(s) && isDigit(s[j]) {
				j++
			}
		}
		if j == i || (j == i+1 && s[i] == '.') {
			return jsonToken{kind: tError, start: start, err: "invalid number"}
		}
		if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
			k := j + 1
			if k < len(s) && (s[k] == '+' || s[k] == '-') {
				k++
			}
			if k < len(s) && isDigit(s[k]) {
				for k < len(s) && isDigit(s[k]) {
					k++
				}
				j = k
			}
		}
		f, err := strconv.ParseFloat(s[i:j], 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
				return jsonToken{kind: tError, start: start, err: "invalid number"}
			}
		}
		n = f
		if !d.cfg.decodeInvalid && j-i > 1 && s[i] == '0' && isDigit(s[i+1]) {
			return jsonToken{kind: tError, start: start, err: "invalid number"}
		}
		i = j
	}
	if s[0] == '-' {
		n = -n
	}
	d.pos += i
	return jsonToken{kind: tNumber, start: start, val: Number(n)}
}

func (d *jsonDecoder) str(start int) jsonToken {
	d.pos++
	var b strings.Builder
	for {
		if d.pos >= len(d.s) {
			return jsonToken{kind: tError, start: d.pos, err: "unexpected end of string"}
		}
		c := d.s[d.pos]
		if c == '"' {
			d.pos++
			break
		}
		if c != '\\' {
			b.WriteByte(c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.s) {
			return jsonToken{kind: tError, start: d.pos, err: "unexpected end of string"}
		}
		e := d.s[d.pos+1]
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, n := d.unicode(d.pos)
			if n == 0 {
				return jsonToken{kind: tError, start: d.pos, err: "invalid unicode escape code"}
			}
			var buf [4]byte
			b.Write(buf[:utf8.EncodeRune(buf[:], r)])
			d.pos += n
			continue
		default:
			return jsonToken{kind: tError, start: d.pos, err: "invalid escape code"}
		}
		d.pos += 2
	}
	return jsonToken{kind: tString, start: start, val: d.L.newString(b.String())}
}

// unicode decodes \uXXXX (and a following low surrogate) at p.
func (d *jsonDecoder) unicode(p int) (rune, int) {
	hex4 := func(i int) int {
		if i+6 > len(d.s) || d.s[i] != '\\' || d.s[i+1] != 'u' {
			return -1
		}
		v := 0
		for _, c := range []byte(d.s[i+2 : i+6]) {
			h := hexDigit(c)
			if h < 0 {
				return -1
			}
			v = v<<4 | h
		}
		return v
	}
	hi := hex4(p)
	if hi < 0 {
		return 0, 0
	}
	if hi >= 0xDC00 && hi <= 0xDFFF {
		return 0, 0
	}
	if hi >= 0xD800 && hi <= 0xDBFF {
		lo := hex4(p + 6)
		if lo < 0xDC00 || lo > 0xDFFF {
			return 0, 0
		}
		return rune(((hi - 0xD800) << 10) + (lo - 0xDC00) + 0x10000), 12
	}
	return rune(hi), 6
}

func (d *jsonDecoder) fail(expected string, tok jsonToken) {
	found := jsonTokNames[tok.kind]
	if tok.kind == tError {
		found = tok.err
	}
	d.L.Errorf("Expected %s but found %s at character %d", expected, found, tok.start+1)
}

func (d *jsonDecoder) decodeTop() Value {
	v := d.value(d.next())
	tok := d.next()
	if tok.kind != tEnd {
		d.fail("the end", tok)
	}
	return v
}

func (d *jsonDecoder) value(tok jsonToken) Value {
	switch tok.kind {
	case tString, tNumber, tBoolean, tNull:
		return tok.val
	case tObjBegin:
		return d.object(tok)
	case tArrBegin:
		return d.array(tok)
	}
	d.fail("value", tok)
	return Nil
}

func (d *jsonDecoder) enter(tok jsonToken) {
	d.depth++
	if d.depth > d.cfg.decodeDepth {
		d.L.Errorf("Found too many nested data structures (%d) at character %d", d.depth, tok.start+1)
	}
}

func (d *jsonDecoder) object(open jsonToken) Value {
	d.enter(open)
	t := d.L.NewTable(0, 0)
	tok := d.next()
	if tok.kind == tObjEnd {
		d.depth--
		return TableValue(t)
	}
	for {
		if tok.kind != tString {
			d.fail("object key string", tok)
		}
		key := tok.val
		tok = d.next()
		if tok.kind != tColon {
			d.fail("colon", tok)
		}
		v := d.value(d.next())
		t.Set(key, v)
		tok = d.next()
		if tok.kind == tObjEnd {
			d.depth--
			return TableValue(t)
		}
		if tok.kind != tComma {
			d.fail("comma or object end", tok)
		}
		tok = d.next()
	}
}

func (d *jsonDecoder) array(open jsonToken) Value {
	d.enter(open)
	t := d.L.NewTable(0, 0)
	tok := d.next()
	if tok.kind == tArrEnd {
		d.depth--
		return TableValue(t)
	}
	for i := 1; ; i++ {
		t.SetInt(i, d.value(tok))
		tok = d.next()
		if tok.kind == tArrEnd {
			d.depth--
			return TableValue(t)
		}
		if tok.kind != tComma {
			d.fail("comma or array end", tok)
		}
		tok = d.next()
	}
}

// cvt32 converts like C's (int) cast of a double on amd64 (cvttsd2si):
// INT_MIN when the value does not fit.
func cvt32(f float64) int {
	if f != f || f >= 1<<31 || f < -(1<<31) {
		return math.MinInt32
	}
	return int(f)
}
