package luabridge

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// The cjson library Redis bundles (lua-cjson 2.1.0): JSON encoding and
// decoding with its defaults, error texts and cjson.null. Object members
// are encoded in gopher-lua's table order, which differs from C Lua's.

type cjsonConfig struct {
	sparseConvert  bool
	sparseRatio    int
	sparseSafe     int
	encodeMaxDepth int
	decodeMaxDepth int
	precision      int
	encodeInvalid  int // 0 off, 1 on, 2 "null"
	decodeInvalid  bool
	keepBuffer     bool
}

func defaultCjson() cjsonConfig {
	return cjsonConfig{sparseRatio: 2, sparseSafe: 10, encodeMaxDepth: 1000, decodeMaxDepth: 1000,
		precision: 14, decodeInvalid: true, keepBuffer: true}
}

func (v *VM) installCjson() {
	L := v.L
	v.jsonNull = L.NewUserData()
	cfg := defaultCjson()
	v.cjson = &cfg
	t := L.NewTable()
	set := func(name string, fn lua.LGFunction) { t.RawSetString(name, L.NewFunction(fn)) }
	set("encode", func(L *lua.LState) int {
		if L.GetTop() != 1 {
			L.ArgError(1, "expected 1 argument")
		}
		var b strings.Builder
		v.jsonEncode(L, &b, L.Get(1), 0)
		L.Push(lua.LString(b.String()))
		return 1
	})
	set("decode", func(L *lua.LState) int {
		if L.GetTop() != 1 {
			L.ArgError(1, "expected 1 argument")
		}
		var s string
		switch a := L.Get(1).(type) {
		case lua.LString:
			s = string(a)
		case lua.LNumber:
			s = fmtNumber(float64(a))
		default:
			L.ArgError(1, "string expected, got "+a.Type().String())
		}
		if len(s) >= 2 && (s[0] == 0 || s[1] == 0) {
			L.RaiseError("JSON parser does not support UTF-16 or UTF-32")
		}
		d := jsonDecoder{v: v, L: L, s: s}
		tok := d.next()
		val := d.value(tok)
		if tok := d.next(); tok.kind != tEnd {
			d.fail("the end", tok)
		}
		L.Push(val)
		return 1
	})
	intCfg := func(p *int, lo, hi int) lua.LGFunction {
		return func(L *lua.LState) int {
			if L.GetTop() >= 1 && L.Get(1) != lua.LNil {
				n := L.CheckInt(1)
				if n < lo || n > hi {
					L.ArgError(1, fmt.Sprintf("expected integer between %d and %d", lo, hi))
				}
				*p = n
			}
			L.Push(lua.LNumber(*p))
			return 1
		}
	}
	boolCfg := func(p *bool) lua.LGFunction {
		return func(L *lua.LState) int {
			if L.GetTop() >= 1 && L.Get(1) != lua.LNil {
				*p = lua.LVAsBool(L.Get(1))
			}
			L.Push(lua.LBool(*p))
			return 1
		}
	}
	set("encode_number_precision", intCfg(&cfg.precision, 1, 14))
	set("encode_max_depth", intCfg(&cfg.encodeMaxDepth, 1, math.MaxInt32))
	set("decode_max_depth", intCfg(&cfg.decodeMaxDepth, 1, math.MaxInt32))
	set("encode_keep_buffer", boolCfg(&cfg.keepBuffer))
	set("decode_invalid_numbers", boolCfg(&cfg.decodeInvalid))
	set("encode_invalid_numbers", func(L *lua.LState) int {
		if L.GetTop() >= 1 && L.Get(1) != lua.LNil {
			switch a := L.Get(1); {
			case a == lua.LString("null"):
				cfg.encodeInvalid = 2
			case lua.LVAsBool(a):
				cfg.encodeInvalid = 1
			default:
				cfg.encodeInvalid = 0
			}
		}
		switch cfg.encodeInvalid {
		case 2:
			L.Push(lua.LString("null"))
		default:
			L.Push(lua.LBool(cfg.encodeInvalid == 1))
		}
		return 1
	})
	set("encode_sparse_array", func(L *lua.LState) int {
		if L.GetTop() >= 1 && L.Get(1) != lua.LNil {
			cfg.sparseConvert = lua.LVAsBool(L.Get(1))
		}
		if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
			cfg.sparseRatio = L.CheckInt(2)
		}
		if L.GetTop() >= 3 && L.Get(3) != lua.LNil {
			cfg.sparseSafe = L.CheckInt(3)
		}
		L.Push(lua.LBool(cfg.sparseConvert))
		L.Push(lua.LNumber(cfg.sparseRatio))
		L.Push(lua.LNumber(cfg.sparseSafe))
		return 3
	})
	set("new", func(L *lua.LState) int {
		L.Push(v.globals.RawGetString("cjson"))
		return 1
	})
	t.RawSetString("null", v.jsonNull)
	t.RawSetString("_NAME", lua.LString("cjson"))
	t.RawSetString("_VERSION", lua.LString("2.1.0"))
	v.globals.RawSetString("cjson", t)
}

func (v *VM) jsonEncode(L *lua.LState, b *strings.Builder, val lua.LValue, depth int) {
	cfg := v.cjson
	switch x := val.(type) {
	case *lua.LNilType:
		b.WriteString("null")
	case lua.LBool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case lua.LNumber:
		v.jsonNumber(L, b, float64(x))
	case lua.LString:
		jsonString(b, string(x))
	case *lua.LUserData:
		if x != v.jsonNull {
			L.RaiseError("Cannot serialise userdata: type not supported")
		}
		b.WriteString("null")
	case *lua.LTable:
		depth++
		if depth > cfg.encodeMaxDepth {
			L.RaiseError("Cannot serialise, excessive nesting (%d)", depth)
		}
		x = v.real(x)
		if n := v.arrayLength(L, x); n > 0 {
			b.WriteByte('[')
			for i := 1; i <= n; i++ {
				if i > 1 {
					b.WriteByte(',')
				}
				v.jsonEncode(L, b, x.RawGetInt(i), depth)
			}
			b.WriteByte(']')
			return
		}
		b.WriteByte('{')
		first := true
		k, e := x.Next(lua.LNil)
		for k != lua.LNil {
			if !first {
				b.WriteByte(',')
			}
			first = false
			switch key := k.(type) {
			case lua.LNumber:
				b.WriteByte('"')
				v.jsonNumber(L, b, float64(key))
				b.WriteByte('"')
			case lua.LString:
				jsonString(b, string(key))
			default:
				L.RaiseError("Cannot serialise %s: table key must be a number or string", k.Type().String())
			}
			b.WriteByte(':')
			v.jsonEncode(L, b, e, depth)
			k, e = x.Next(k)
		}
		b.WriteByte('}')
	default:
		L.RaiseError("Cannot serialise %s: type not supported", val.Type().String())
	}
}

func (v *VM) jsonNumber(L *lua.LState, b *strings.Builder, f float64) {
	cfg := v.cjson
	if math.IsInf(f, 0) || math.IsNaN(f) {
		switch cfg.encodeInvalid {
		case 0:
			L.RaiseError("Cannot serialise number: must not be NaN or Inf")
		case 2:
			b.WriteString("null")
			return
		}
	}
	if cfg.precision == 14 {
		b.WriteString(fmtNumber(f))
		return
	}
	b.WriteString(strconv.FormatFloat(f, 'g', cfg.precision, 64))
}

// arrayLength is lua-cjson's lua_array_length: the array length when
// every key is a positive integer, -1 otherwise (or for a sparse array
// that is converted to an object).
func (v *VM) arrayLength(L *lua.LState, t *lua.LTable) int {
	cfg := v.cjson
	max, items := 0, 0
	k, _ := t.Next(lua.LNil)
	for k != lua.LNil {
		n, ok := k.(lua.LNumber)
		if !ok || float64(n) != math.Floor(float64(n)) || n < 1 {
			return -1
		}
		if int(n) > max {
			max = int(n)
		}
		items++
		k, _ = t.Next(k)
	}
	if cfg.sparseRatio > 0 && max > items*cfg.sparseRatio && max > cfg.sparseSafe {
		if !cfg.sparseConvert {
			L.RaiseError("Cannot serialise table: excessively sparse array")
		}
		return -1
	}
	return max
}

func jsonString(b *strings.Builder, s string) {
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

type tokKind int

const (
	tObjBegin tokKind = iota
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

var tokNames = []string{"T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END", "T_STRING", "T_NUMBER",
	"T_BOOLEAN", "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_WHITESPACE", "T_ERROR"}

type token struct {
	kind  tokKind
	index int
	str   string
	num   float64
	b     bool
	err   string
}

type jsonDecoder struct {
	v     *VM
	L     *lua.LState
	s     string
	pos   int
	depth int
}

func (d *jsonDecoder) fail(expected string, t token) {
	found := tokNames[t.kind]
	if t.kind == tError {
		found = t.err
	}
	d.L.RaiseError("Expected %s but found %s at character %d", expected, found, t.index+1)
}

func (d *jsonDecoder) next() token {
	s := d.s
	for d.pos < len(s) && (s[d.pos] == ' ' || s[d.pos] == '\t' || s[d.pos] == '\n' || s[d.pos] == '\r') {
		d.pos++
	}
	t := token{index: d.pos}
	if d.pos >= len(s) || s[d.pos] == 0 {
		t.kind = tEnd
		return t
	}
	c := s[d.pos]
	single := map[byte]tokKind{'{': tObjBegin, '}': tObjEnd, '[': tArrBegin, ']': tArrEnd, ',': tComma, ':': tColon}
	if k, ok := single[c]; ok {
		d.pos++
		t.kind = k
		return t
	}
	switch {
	case c == '"':
		return d.stringToken(t)
	case c == '-' || isDigit(c):
		return d.numberToken(t)
	case strings.HasPrefix(s[d.pos:], "true"):
		d.pos += 4
		t.kind, t.b = tBoolean, true
		return t
	case strings.HasPrefix(s[d.pos:], "false"):
		d.pos += 5
		t.kind = tBoolean
		return t
	case strings.HasPrefix(s[d.pos:], "null"):
		d.pos += 4
		t.kind = tNull
		return t
	case d.v.cjson.decodeInvalid && invalidNumber(s[d.pos:]):
		return d.numberToken(t)
	}
	t.kind, t.err = tError, "invalid token"
	return t
}

func invalidNumber(s string) bool {
	if strings.HasPrefix(s, "+") {
		return true
	}
	s = strings.TrimPrefix(s, "-")
	if strings.HasPrefix(s, "0") {
		return len(s) > 1 && (s[1]|0x20 == 'x' || isDigit(s[1]))
	}
	if len(s) > 0 && s[0] <= '9' {
		return false
	}
	l := strings.ToLower(s[:min(3, len(s))])
	return l == "inf" || l == "nan"
}

func (d *jsonDecoder) numberToken(t token) token {
	if !d.v.cjson.decodeInvalid && invalidNumber(d.s[d.pos:]) {
		t.kind, t.err = tError, "invalid number"
		return t
	}
	f, n := strtod(d.s[d.pos:])
	if n == 0 {
		t.kind, t.err = tError, "invalid number"
		return t
	}
	d.pos += n
	t.kind, t.num = tNumber, f
	return t
}

func (d *jsonDecoder) stringToken(t token) token {
	s := d.s
	d.pos++ // the opening quote
	var b strings.Builder
	for {
		if d.pos >= len(s) || s[d.pos] == 0 {
			t.index = d.pos
			t.kind, t.err = tError, "unexpected end of string"
			return t
		}
		c := s[d.pos]
		if c == '"' {
			d.pos++
			break
		}
		if c != '\\' {
			b.WriteByte(c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(s) {
			t.index = d.pos
			t.kind, t.err = tError, "unexpected end of string"
			return t
		}
		e := s[d.pos+1]
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
			r, n := unicodeEscape(s[d.pos:])
			if n == 0 {
				t.index = d.pos
				t.kind, t.err = tError, "invalid unicode escape code"
				return t
			}
			var buf [4]byte
			b.Write(buf[:utf8.EncodeRune(buf[:], r)])
			d.pos += n
			continue
		default:
			t.index = d.pos
			t.kind, t.err = tError, "invalid escape code"
			return t
		}
		d.pos += 2
	}
	t.kind, t.str = tString, b.String()
	return t
}

// unicodeEscape decodes \uXXXX (and a following low surrogate), returning
// the rune and the bytes used, 0 when invalid.
func unicodeEscape(s string) (rune, int) {
	hex4 := func(s string) (rune, bool) {
		if len(s) < 4 {
			return 0, false
		}
		n, err := strconv.ParseUint(s[:4], 16, 32)
		return rune(n), err == nil
	}
	r, ok := hex4(s[2:])
	if !ok {
		return 0, 0
	}
	if r >= 0xDC00 && r <= 0xDFFF {
		return 0, 0
	}
	if r >= 0xD800 && r <= 0xDBFF {
		if len(s) < 12 || s[6] != '\\' || s[7] != 'u' {
			return 0, 0
		}
		lo, ok := hex4(s[8:])
		if !ok || lo < 0xDC00 || lo > 0xDFFF {
			return 0, 0
		}
		return ((r & 0x3FF) << 10) + (lo & 0x3FF) + 0x10000, 12
	}
	return r, 6
}

func (d *jsonDecoder) descend() {
	d.depth++
	if d.depth > d.v.cjson.decodeMaxDepth {
		d.L.RaiseError("Found too many nested data structures (%d) at character %d", d.depth, d.pos)
	}
}

func (d *jsonDecoder) value(t token) lua.LValue {
	switch t.kind {
	case tString:
		return lua.LString(t.str)
	case tNumber:
		return lua.LNumber(t.num)
	case tBoolean:
		return lua.LBool(t.b)
	case tNull:
		return d.v.jsonNull
	case tObjBegin:
		d.descend()
		tbl := d.L.NewTable()
		t = d.next()
		if t.kind == tObjEnd {
			d.depth--
			return tbl
		}
		for {
			if t.kind != tString {
				d.fail("object key string", t)
			}
			key := t.str
			if t = d.next(); t.kind != tColon {
				d.fail("colon", t)
			}
			tbl.RawSetString(key, d.value(d.next()))
			t = d.next()
			if t.kind == tObjEnd {
				d.depth--
				return tbl
			}
			if t.kind != tComma {
				d.fail("comma or object end", t)
			}
			t = d.next()
		}
	case tArrBegin:
		d.descend()
		tbl := d.L.NewTable()
		t = d.next()
		if t.kind == tArrEnd {
			d.depth--
			return tbl
		}
		for i := 1; ; i++ {
			tbl.RawSetInt(i, d.value(t))
			t = d.next()
			if t.kind == tArrEnd {
				d.depth--
				return tbl
			}
			if t.kind != tComma {
				d.fail("comma or array end", t)
			}
			t = d.next()
		}
	}
	d.fail("value", t)
	return lua.LNil
}
