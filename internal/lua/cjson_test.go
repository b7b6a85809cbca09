package lua

import (
	"strings"
	"testing"
)

func newRedisLibState() *State {
	L := NewState(Options{})
	L.OpenCjson()
	L.OpenBit()
	return L
}

func evalStrings(t *testing.T, L *State, src string) []string {
	t.Helper()
	r, err := L.DoString(src, "@t")
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	out := make([]string, len(r))
	for i, v := range r {
		out[i] = v.String()
	}
	return out
}

func TestCjson(t *testing.T) {
	L := newRedisLibState()
	cases := []struct{ src, want string }{
		{`return cjson.encode({1, 2, 3})`, `[1,2,3]`},
		{`return cjson.encode({})`, `{}`},
		{`return cjson.encode("a/b\"c\\")`, `"a\/b\"c\\"`},
		{`return cjson.encode({a = cjson.null})`, `{"a":null}`},
		{`return cjson.encode(1/3)`, `0.33333333333333`},
		{`return cjson.encode({[1] = 1, [3] = 3})`, `[1,null,3]`},
		{`return cjson.encode({true, false})`, `[true,false]`},
		{`return cjson.encode(cjson.decode('{"a":[1,2,{"b":null}]}'))`, `{"a":[1,2,{"b":null}]}`},
		{`local t = cjson.decode('[1,"x",true,null,2.5]') return #t, t[2], t[3], t[4] == cjson.null, t[5]`, "5 x true true 2.5"},
		{`return cjson.decode('"\\u00e9\\ud83d\\ude00\\n"')`, "é😀\n"},
		{`return cjson.decode(' {"k" : "v"} ').k`, "v"},
		{`return pcall(cjson.decode, '[1,2,]')`, "false Expected value but found T_ARR_END at character 6"},
		{`return pcall(cjson.decode, '{"a" 1}')`, "false Expected colon but found T_NUMBER at character 6"},
		{`return pcall(cjson.decode, '[1] x')`, "false Expected the end but found invalid token at character 5"},
		{`return pcall(cjson.decode, '"abc')`, "false Expected value but found unexpected end of string at character 5"},
		{`return pcall(cjson.encode, {[1] = 1, [100] = 2})`, "false Cannot serialise table: excessively sparse array"},
		{`return pcall(cjson.encode, function() end)`, "false Cannot serialise function: type not supported"},
		{`return pcall(cjson.encode, 0/0)`, "false Cannot serialise number: must not be NaN or Inf"},
		{`return pcall(cjson.encode, {[true] = 1})`, "false Cannot serialise boolean: table key must be a number or string"},
		{`local t = {} t.t = t return pcall(cjson.encode, t)`, "false Cannot serialise, excessive nesting (1001)"},
		{`return cjson.encode({[1.5] = "x"})`, `{"1.5":"x"}`},
		{`return cjson.decode("-1e3"), cjson.decode("0x10"), cjson.decode("01")`, "-1000 16 1"},
	}
	for _, c := range cases {
		got := strings.Join(evalStrings(t, L, c.src), " ")
		if got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}

func TestBit(t *testing.T) {
	L := newRedisLibState()
	cases := []struct{ src, want string }{
		{`return bit.tobit(0xffffffff), bit.tobit(2^32 + 5), bit.tobit(-1)`, "-1 5 -1"},
		{`return bit.band(0xff, 0x0f), bit.bor(1, 2, 4), bit.bxor(5, 3), bit.bnot(0)`, "15 7 6 -1"},
		{`return bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-16, 2), bit.lshift(1, 33)`, "-2147483648 15 -4 2"},
		{`return bit.rol(0x80000001, 1), bit.ror(3, 1), bit.bswap(0x01020304)`, "3 -2147483647 67305985"},
		{`return bit.tohex(255), bit.tohex(-1, -4), bit.tohex(0x1234, 2)`, "000000ff FFFF 34"},
		{`return bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-1.5)`, "2 2 -2"},
		{`return pcall(bit.band, "x")`, "false bad argument #1 to '?' (number expected, got string)"},
	}
	for _, c := range cases {
		got := strings.Join(evalStrings(t, L, c.src), " ")
		if got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}

func TestCmsgpack(t *testing.T) {
	L := newRedisLibState()
	L.OpenCmsgpack()
	cases := []struct{ src, want string }{
		{`return (cmsgpack.pack(1, -1, 200, -200, 70000, 2^40, nil, true, false):gsub(".", function(c) return string.format("%02x", c:byte()) end))`,
			"01ffccc8d1ff38ce00011170cf0000010000000000c0c3c2"},
		{`return (cmsgpack.pack(1.5, "abc", {1, 2}, {a = 1}):gsub(".", function(c) return string.format("%02x", c:byte()) end))`,
			"ca3fc00000a361626392010281a16101"},
		{`return (cmsgpack.pack(0.1):gsub(".", function(c) return string.format("%02x", c:byte()) end))`, "cb3fb999999999999a"},
		{`return (cmsgpack.pack({}):gsub(".", function(c) return string.format("%02x", c:byte()) end))`, "90"},
		{`local a, b, c = cmsgpack.unpack(cmsgpack.pack({1, {x = "y"}, "s"}, -5, 3.25)) return a[1] .. a[2].x .. a[3] .. b .. c`, "1ys-53.25"},
		{`return pcall(cmsgpack.unpack, "\220\0\5")`, "false Missing bytes in input."},
		{`return cmsgpack.unpack_one(cmsgpack.pack(1, 2))`, "1 1"},
	}
	for _, c := range cases {
		got := strings.Join(evalStrings(t, L, c.src), " ")
		if got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}

func TestStruct(t *testing.T) {
	L := newRedisLibState()
	L.OpenStruct()
	cases := []struct{ src, want string }{
		{`return (struct.pack(">I2", 258):gsub(".", function(c) return string.format("%02x", c:byte()) end))`, "0102"},
		{`return (struct.pack("<i4", -2):gsub(".", function(c) return string.format("%02x", c:byte()) end))`, "feffffff"},
		{`return struct.unpack(">I2", "\1\2")`, "258 3"},
		{`return struct.unpack("<h", "\254\255")`, "-2 3"},
		{`return struct.unpack("bB", "\255\255")`, "-1 255 3"},
		{`return struct.unpack(">d", struct.pack(">d", 1.5))`, "1.5 9"},
		{`return struct.unpack("s", "abc\0rest")`, "abc 5"},
		{`return struct.unpack("c3", "abcdef", 2)`, "bcd 5"},
		{`return struct.unpack("Bc0", "\3xyz")`, "xyz 5"},
		{`return struct.size(">!4 b i4"), struct.size("bhd")`, "8 11"},
		{`return pcall(struct.pack, "z")`, "false bad argument #1 to '?' (invalid format option 'z')"},
		{`return pcall(struct.unpack, "i4", "ab")`, "false bad argument #2 to '?' (data string too short)"},
	}
	for _, c := range cases {
		got := strings.Join(evalStrings(t, L, c.src), " ")
		if got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.src, got, c.want)
		}
	}
}
