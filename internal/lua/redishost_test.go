package lua

import (
	"errors"
	"strings"
	"testing"
)

// Behaviours moonkv's scripting host (internal/script/moonvm) relies on.

func TestErrorWhere(t *testing.T) {
	L := NewState(Options{})
	for _, c := range []struct{ src, want string }{
		{"local function f()\n error({})\nend\nf()", "user_script:2:"},
		{"local t = {}\n\nerror('x', 0)", "user_script:3:"},
		{"local t = {}\nrawset(t, nil, 1)", "user_script:2:"},
	} {
		_, err := L.DoString(c.src, "@user_script")
		var le *Error
		if !errors.As(err, &le) || le.Where() != c.want {
			t.Errorf("%q: error %v at %q, want %q", c.src, err, le.Where(), c.want)
		}
	}
	// An error raised by the hook names the loop's line.
	n := 0
	H := NewState(Options{HookEvery: 10, Hook: func(*State) error {
		if n++; n > 3 {
			return errors.New("stop")
		}
		return nil
	}})
	for _, src := range []string{"local i = 0\nwhile true do i = i + 1 end", "local i = 0\nrepeat i = i + 1 until false",
		"local i = 0\nfor j = 1, 1e9 do i = i + 1 end"} {
		n = 0
		_, err := H.DoString(src, "@user_script")
		var le *Error
		if !errors.As(err, &le) || le.Where() != "user_script:2:" {
			t.Errorf("%q: hook error %v at %q", src, err, le.Where())
		}
	}
}

func TestNativeErrorsWithoutPosition(t *testing.T) {
	L := NewState(Options{})
	ro := NewTable(0, 0)
	ro.SetReadOnly(true)
	L.SetGlobal("ro", TableValue(ro))
	for _, c := range []struct{ src, want string }{
		// Errors C Lua raises inside a C function carry no position.
		{"rawset(ro, 'x', 1)", "Attempt to modify a readonly table"},
		{"setmetatable(ro, nil)", "Attempt to modify a readonly table"},
		{"table.insert(ro, 1)", "Attempt to modify a readonly table"},
		{"table.sort({1, 'a'})", "attempt to compare string with number"},
		{"ro.x = 1", "user_script:1: Attempt to modify a readonly table"},
		{"return 1 < 'a'", "user_script:1: attempt to compare number with string"},
		// lua_checkstack: results plus arguments within 8000 slots.
		{"local t = {} for i = 1, 8000 do t[i] = i end return unpack(t)", "user_script:1: too many results to unpack"},
	} {
		if got := runErr(t, L, c.src); got != c.want {
			t.Errorf("%q: %q, want %q", c.src, got, c.want)
		}
	}
	if r := mustRun(t, L, "local t = {} for i = 1, 7999 do t[i] = i end return select('#', unpack(t))"); r[0].String() != "7999" {
		t.Errorf("unpack of 7999: %v", r[0])
	}
}

func TestCjsonNullToString(t *testing.T) {
	L := NewState(Options{})
	L.OpenCjson()
	r := mustRun(t, L, "return tostring(cjson.null), tostring(cjson.decode('null'))")
	if r[0].String() != "userdata: (nil)" || r[1].String() != "userdata: (nil)" {
		t.Errorf("got %v %v", r[0], r[1])
	}
}

func TestRedisSyntaxAndLibErrors(t *testing.T) {
	L := NewState(Options{})
	L.OpenRedisLibs()
	for _, c := range []struct{ src, want string }{
		{"x y", "user_script:1: '=' expected near 'y'"},
		{"if x then y end", "user_script:1: '=' expected near 'end'"},
		{"(x) y", "user_script:1: syntax error near 'y'"},
		{"if x then return 1 else return 2 2 end", "user_script:1: 'end' expected near '2'"},
		{"repeat return 1 2 until x", "user_script:1: 'until' expected near '2'"},
		{"return 1 2", "user_script:1: '<eof>' expected near '2'"},
		{"x = function(a, 1) end", "user_script:1: <name> or '...' expected near '1'"},
	} {
		_, err := L.Load(c.src, "@user_script")
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: %v, want %q", c.src, err, c.want)
		}
	}
	for _, c := range []struct{ src, want string }{
		{"return struct.pack('c3', 'ab')", "user_script:1: bad argument #3 to 'pack' (string too short)"},
		{"return struct.pack('y', 1)", "user_script:1: bad argument #1 to 'pack' (invalid format option 'y')"},
		{"return struct.pack('i')", "user_script:1: bad argument #2 to 'pack' (number expected, got nil)"},
		{"return struct.size('s')", "user_script:1: bad argument #1 to 'size' (option 's' has no fixed size)"},
		{"return struct.size('c0')", "user_script:1: bad argument #1 to 'size' (option 'c0' has no fixed size)"},
		{"return struct.pack('i99999999999', 1)", "user_script:1: integral size overflow"},
	} {
		if got := runErr(t, L, c.src); got != c.want {
			t.Errorf("%q: %q, want %q", c.src, got, c.want)
		}
	}
	r := mustRun(t, L, "return struct.size('y'), #struct.pack('i9', -1), struct.pack('i9', -1):byte(9), cjson.encode(string.char(127)), cjson.decode('+1'), cjson.new().encode({1})")
	if got := []string{r[0].String(), r[1].String(), r[2].String(), r[3].String(), r[4].String(), r[5].String()}; strings.Join(got, " ") != `0 9 0 "\u007f" 1 [1]` {
		t.Errorf("got %q", got)
	}
}

func TestRedisCmsgpack(t *testing.T) {
	L := NewState(Options{})
	L.OpenRedisLibs()
	for _, c := range []struct{ src, want string }{
		{"return cmsgpack.pack()", "user_script:1: bad argument #0 to 'pack' (MessagePack pack needs input.)"},
		{"return cmsgpack.unpack(string.char(0xc4, 1, 67))", "user_script:1: Bad data format in input."},
		{"return cmsgpack.unpack(string.char(0x81, 0xc0, 1))", "table index is nil"},
		{"return cmsgpack.unpack_limit(string.char(1,2,3), -1)", "user_script:1: Invalid request to unpack with offset of 0 and limit of 3."},
		{"return cmsgpack.unpack_limit()", "user_script:1: bad argument #2 to 'unpack_limit' (number expected, got no value)"},
	} {
		if got := runErr(t, L, c.src); got != c.want {
			t.Errorf("%q: %q, want %q", c.src, got, c.want)
		}
	}
	r := mustRun(t, L, `local p = cmsgpack.pack(1, 2, 3)
		return select('#', cmsgpack.unpack_limit(p, 0, 1)), cmsgpack.unpack_limit(p, 0, 1), select('#', cmsgpack.unpack_limit(p, 0)),
			cmsgpack.unpack(string.char(0xcf, 255, 255, 255, 255, 255, 255, 255, 255)), cmsgpack._VERSION`)
	if got := []string{r[0].String(), r[1].String(), r[2].String(), r[3].String(), r[4].String()}; strings.Join(got, " ") != "1 1 3 -1 lua-cmsgpack 0.4.0" {
		t.Errorf("got %q", got)
	}
}

func TestErrorWhereLevels(t *testing.T) {
	L := NewState(Options{})
	for _, c := range []struct{ src, want string }{
		// error(msg, 2) names the caller in its message, but the error
		// happened where error was called.
		{"local function f()\n error('lvl2', 2)\nend\nlocal x = 1\nf()", "user_script:2:"},
		// A runtime error names its own line even after earlier calls.
		{"local t = {}\ntostring(1)\nlocal y = t.a.b", "user_script:3:"},
		{"local function g()\n  tostring(1)\n\n  return nil + 1\nend\ng()", "user_script:4:"},
	} {
		_, err := L.DoString(c.src, "@user_script")
		var le *Error
		if !errors.As(err, &le) || le.Where() != c.want {
			t.Errorf("%q: error %v at %q, want %q", c.src, err, le.Where(), c.want)
		}
	}
}
