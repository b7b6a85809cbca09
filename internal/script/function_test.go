package script

import "testing"

func TestParseLibMeta(t *testing.T) {
	cases := []struct {
		code, engine, name, body, err string
	}{
		{"#!lua name=mylib\nreturn 1", "lua", "mylib", "\nreturn 1", ""},
		{"#!LUA NAME=x\n", "LUA", "x", "\n", ""},
		{"#!lua \"name=q\"\nx", "lua", "q", "\nx", ""},
		{"#!lua name=\nx", "lua", "", "\nx", ""},
		{"#!py name=x\nx", "py", "x", "\nx", ""},
		{"return 1", "", "", "", "ERR Missing library metadata"},
		{"", "", "", "", "ERR Missing library metadata"},
		{"#!lua name=x", "", "", "", "ERR Invalid library metadata"},
		{"#!lua\nx", "", "", "", "ERR Library name was not given"},
		{"#!lua name=a name=b\nx", "", "", "", "ERR Invalid metadata value, name argument was given multiple times"},
		{"#!lua flags=no-writes\nx", "", "", "", "ERR Invalid metadata value given: flags=no-writes"},
		{"#!lua \"name=x\nx", "", "", "", "ERR Invalid library metadata"},
	}
	for _, c := range cases {
		engine, name, body, err := parseLibMeta([]byte(c.code))
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%q: error %v, want %q", c.code, err, c.err)
			}
			continue
		}
		if err != nil || engine != c.engine || name != c.name || body != c.body {
			t.Errorf("%q: (%q, %q, %q, %v)", c.code, engine, name, body, err)
		}
	}
}

func TestNamesAndFlags(t *testing.T) {
	for name, want := range map[string]bool{"a": true, "A_1": true, "": false, "a-b": false, "a b": false, "é": false} {
		if ValidName(name) != want {
			t.Errorf("ValidName(%q) = %v", name, !want)
		}
	}
	f, ok := FlagByName("Allow-Cross-Slot-Keys")
	if !ok || f != AllowCrossSlot {
		t.Fatalf("FlagByName: %v %v", f, ok)
	}
	if _, ok := FlagByName("no-compat"); ok {
		t.Fatal("FlagByName accepted an unknown flag")
	}
	got := FlagNames(AllowCrossSlot | NoWrites | AllowStale)
	if len(got) != 3 || got[0] != "no-writes" || got[1] != "allow-stale" || got[2] != "allow-cross-slot-keys" {
		t.Fatalf("FlagNames: %v", got)
	}
}
