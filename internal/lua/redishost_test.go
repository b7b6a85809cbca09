package lua

import (
	"errors"
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
