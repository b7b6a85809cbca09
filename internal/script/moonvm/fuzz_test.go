package moonvm

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/moonkv/moonkv/internal/lua"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/script"
)

// The fuzz targets drive both conversions between Lua values and replies
// with arbitrary input: whatever a script returns and whatever a command
// replies, the result must not panic and must be exactly one well-formed
// RESP2/RESP3 reply (no stray CR or LF in a line, lengths that match,
// aggregates complete, verbatim formats of three bytes), so no script
// can desynchronise a client's protocol stream.

func fuzzVM(t testing.TB) *VM {
	t.Helper()
	return New(&script.Engine{}).(*VM)
}

// valGen builds a Lua value from fuzz bytes: nested tables, {ok=},
// {err=}, {double=}, {map=}, {set=}, {big_number=},
// {verbatim_string=}, nils inside arrays, booleans, huge numbers, NaN,
// shared and self-referencing tables.
type valGen struct {
	L      *lua.State
	data   []byte
	tables []*lua.Table
}

func (g *valGen) byte() byte {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return b
}

func (g *valGen) str() string {
	n := int(g.byte() % 40)
	if n > len(g.data) {
		n = len(g.data)
	}
	s := string(g.data[:n])
	g.data = g.data[n:]
	return s
}

func (g *valGen) number() float64 {
	switch g.byte() % 8 {
	case 0:
		var b [8]byte
		copy(b[:], g.data)
		g.data = g.data[min(8, len(g.data)):]
		return math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
	case 1:
		return math.NaN()
	case 2:
		return -math.NaN()
	case 3:
		return math.Inf(1 - 2*int(g.byte()%2))
	case 4:
		return math.Ldexp(1, int(g.byte()%80)) * float64(1-2*int(g.byte()%2))
	case 5:
		return float64(int8(g.byte())) / 4
	default:
		return float64(int8(g.byte()))
	}
}

func (g *valGen) table(n int) *lua.Table {
	t := g.L.NewTable(0, 0)
	g.tables = append(g.tables, t)
	return t
}

func (g *valGen) value(depth int) lua.Value {
	if depth > 12 || len(g.data) == 0 {
		return lua.Number(1)
	}
	switch op := g.byte() % 20; op {
	case 0:
		return lua.Nil
	case 1:
		return lua.False
	case 2:
		return lua.True
	case 3, 4:
		return lua.Number(g.number())
	case 5, 6:
		return lua.String(g.str())
	case 7, 8: // an array, possibly with holes
		t := g.table(0)
		n := int(g.byte() % 8)
		for i := 1; i <= n; i++ {
			t.SetInt(i, g.value(depth+1))
		}
		return lua.TableValue(t)
	case 9:
		t := g.table(0)
		t.SetStr("ok", g.value(depth+1))
		return lua.TableValue(t)
	case 10:
		t := g.table(0)
		t.SetStr("err", g.value(depth+1))
		return lua.TableValue(t)
	case 11:
		t := g.table(0)
		t.SetStr("double", g.value(depth+1))
		return lua.TableValue(t)
	case 12, 13: // map or set
		t := g.table(0)
		m := g.table(0)
		n := int(g.byte() % 6)
		for i := 0; i < n; i++ {
			k := g.value(depth + 1)
			if k.IsNil() || (k.Type() == lua.TypeNumber && math.IsNaN(mustNum(k))) {
				continue
			}
			if op == 12 {
				m.Set(k, g.value(depth+1))
			} else {
				m.Set(k, lua.True)
			}
		}
		t.SetStr([]string{"map", "set"}[op-12], lua.TableValue(m))
		return lua.TableValue(t)
	case 14:
		t := g.table(0)
		t.SetStr("big_number", g.value(depth+1))
		return lua.TableValue(t)
	case 15:
		t := g.table(0)
		v := g.table(0)
		v.SetStr("format", g.value(depth+1))
		v.SetStr("string", g.value(depth+1))
		t.SetStr("verbatim_string", lua.TableValue(v))
		return lua.TableValue(t)
	case 16: // a table already built: shared or cyclic
		if len(g.tables) == 0 {
			return lua.Nil
		}
		return lua.TableValue(g.tables[int(g.byte())%len(g.tables)])
	case 17: // a table that contains itself
		t := g.table(0)
		t.SetInt(1, lua.TableValue(t))
		return lua.TableValue(t)
	case 18: // a string key besides the array part
		t := g.table(0)
		t.SetInt(1, g.value(depth+1))
		t.Set(lua.String(g.str()), g.value(depth+1))
		return lua.TableValue(t)
	default:
		return lua.String(string(bytes.Repeat([]byte{"\r\n-+:$*"[g.byte()%7]}, int(g.byte()%5))))
	}
}

func mustNum(v lua.Value) float64 { n, _ := v.AsNumber(); return n }

// FuzzLuaReply converts random Lua values into replies for every
// combination of the script's protocol (redis.setresp) and the client's.
func FuzzLuaReply(f *testing.F) {
	for _, s := range []string{"", "\x07\x03\x05\x02ab\x00", "\x0c\x03\x05\x01a\x02", "\x0f\x05\x04toolong\x05\x02ab", "\x11", "\x0a\x05\x04a\r\nb", "\x0b\x03\x01", "\x10\x00\x07\x02\x10\x00\x10\x01"} {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(3))
	}
	v := fuzzVM(f)
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		g := &valGen{L: v.L, data: data}
		val := g.value(0)
		proto := 2 + int(mode&1)
		w := &resp.Writer{Proto3: mode&2 != 0}
		// A small reply budget: shared tables can describe replies of
		// astronomical size, which the budget cuts short.
		budget := int64(1 << 20)
		v.replyTo(w, val, proto, 0, &budget)
		if err := checkOne(w.Buf, w.Proto3); err != nil {
			t.Fatalf("script proto %d, client RESP%d: %v\nreply %q", proto, w.Proto(), err, w.Buf)
		}
	})
}

// FuzzReplyLua feeds random well-formed replies (as commands write them
// through a resp.Replier) into redis.call's builder, then returns the
// Lua value it built as the script's reply.
func FuzzReplyLua(f *testing.F) {
	for _, s := range []string{"", "\x05\x03\x01\x02\x03", "\x06\x02\x00\x01\x07", "\x07\x02\x09\x09", "\x0a\x0b\x0c\x0d", "\x08\x03\x04\x04\x04"} {
		f.Add([]byte(s), uint8(0))
		f.Add([]byte(s), uint8(1))
	}
	v := fuzzVM(f)
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		proto := 2 + int(mode&1)
		b := &builder{}
		b.reset(v.L, proto)
		g := &replyGen{data: data}
		g.reply(b, 0)
		if len(b.stack) != 0 {
			t.Fatalf("builder left %d aggregates open", len(b.stack))
		}
		w := &resp.Writer{Proto3: mode&2 != 0}
		v.reply(w, b.val, proto, 0)
		if err := checkOne(w.Buf, w.Proto3); err != nil {
			t.Fatalf("proto %d: %v\nreply %q", proto, err, w.Buf)
		}
	})
}

type replyGen struct{ data []byte }

func (g *replyGen) byte() byte {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return b
}

func (g *replyGen) str() string {
	n := int(g.byte() % 32)
	n = min(n, len(g.data))
	s := string(g.data[:n])
	g.data = g.data[n:]
	return s
}

// reply writes one complete reply, as a command would.
func (g *replyGen) reply(w resp.Replier, depth int) {
	if depth > 10 || len(g.data) == 0 {
		w.Int(0)
		return
	}
	switch g.byte() % 16 {
	case 0:
		w.Simple(g.str())
	case 1:
		w.Error("ERR " + g.str())
	case 2:
		w.Int(int64(binary.LittleEndian.Uint64(append([]byte(g.str()), make([]byte, 8)...))))
	case 3:
		w.BulkString(g.str())
	case 4:
		w.Null()
	case 5, 6:
		n := int(g.byte() % 6)
		w.ArrayLen(n)
		for i := 0; i < n; i++ {
			g.reply(w, depth+1)
		}
	case 7:
		n := int(g.byte() % 4)
		w.MapLen(n)
		for i := 0; i < 2*n; i++ {
			g.reply(w, depth+1)
		}
	case 8:
		n := int(g.byte() % 5)
		w.SetLen(n)
		for i := 0; i < n; i++ {
			g.reply(w, depth+1)
		}
	case 9:
		var b [8]byte
		copy(b[:], g.str())
		w.Double(math.Float64frombits(binary.LittleEndian.Uint64(b[:])))
	case 10:
		w.Bool(g.byte()%2 == 0)
	case 11:
		w.BigNumber(strconv.Itoa(int(int8(g.byte()))) + "123456789012345678901234567890")
	case 12:
		w.Verbatim("txt", g.str())
	case 13:
		w.NullArray()
	case 14:
		w.Bulk([]byte(g.str()))
	default:
		w.Double(float64(int8(g.byte())) / 8)
	}
}

// checkOne checks that b is exactly one well-formed reply.
func checkOne(b []byte, resp3 bool) error {
	rest, err := checkReply(b, resp3, 0)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return fmt.Errorf("%d bytes after the reply", len(rest))
	}
	return nil
}

func line(b []byte) (string, []byte, error) {
	i := bytes.Index(b, []byte("\r\n"))
	if i < 0 {
		return "", nil, fmt.Errorf("unterminated line %q", b)
	}
	l := b[:i]
	if bytes.ContainsAny(l, "\r\n") {
		return "", nil, fmt.Errorf("CR or LF inside a line: %q", l)
	}
	return string(l), b[i+2:], nil
}

func checkReply(b []byte, resp3 bool, depth int) ([]byte, error) {
	if depth > 10000 {
		return nil, fmt.Errorf("nested too deep")
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("missing reply")
	}
	t := b[0]
	l, rest, err := line(b[1:])
	if err != nil {
		return nil, err
	}
	if !resp3 && bytes.IndexByte([]byte("_,#(=%~|>!"), t) >= 0 {
		return nil, fmt.Errorf("RESP3 type %q sent to a RESP2 client", t)
	}
	switch t {
	case '+', '-':
		return rest, nil
	case ':':
		if _, err := strconv.ParseInt(l, 10, 64); err != nil {
			return nil, fmt.Errorf("bad integer %q", l)
		}
		return rest, nil
	case '_':
		if l != "" {
			return nil, fmt.Errorf("bad null %q", l)
		}
		return rest, nil
	case '#':
		if l != "t" && l != "f" {
			return nil, fmt.Errorf("bad boolean %q", l)
		}
		return rest, nil
	case ',':
		switch l {
		case "inf", "-inf", "nan", "-nan":
		default:
			if _, err := strconv.ParseFloat(l, 64); err != nil {
				return nil, fmt.Errorf("bad double %q", l)
			}
		}
		return rest, nil
	case '(':
		return rest, nil
	case '$', '=':
		n, err := strconv.Atoi(l)
		if err != nil || n < -1 || (t == '=' && n < 4) {
			return nil, fmt.Errorf("bad length %q", l)
		}
		if n == -1 {
			if t == '=' {
				return nil, fmt.Errorf("null verbatim")
			}
			return rest, nil
		}
		if len(rest) < n+2 || rest[n] != '\r' || rest[n+1] != '\n' {
			return nil, fmt.Errorf("bulk of %d bytes not followed by CRLF", n)
		}
		if t == '=' && rest[3] != ':' {
			return nil, fmt.Errorf("verbatim format not three bytes: %q", rest[:n])
		}
		return rest[n+2:], nil
	case '*', '%', '~':
		n, err := strconv.Atoi(l)
		if err != nil || n < -1 {
			return nil, fmt.Errorf("bad aggregate length %q", l)
		}
		if t == '%' {
			n *= 2
		}
		for i := 0; i < n; i++ {
			if rest, err = checkReply(rest, resp3, depth+1); err != nil {
				return nil, err
			}
		}
		return rest, nil
	}
	return nil, fmt.Errorf("unknown reply type %q", t)
}
