package script

import (
	"testing"
)

func TestParseShebang(t *testing.T) {
	cases := []struct {
		body  string
		flags Flags
		skip  int
		err   string
	}{
		{"return 1", CompatMode, 0, ""},
		{"#!lua\nreturn 1", 0, 5, ""},
		{"#!lua flags=no-writes,allow-oom\nreturn 1", NoWrites | AllowOOM, 31, ""},
		{"#!lua flags=allow-stale,no-cluster\n", AllowStale | NoCluster, 34, ""},
		{"#!lua flags=\n", 0, 12, ""},
		{"#!lua  flags=no-writes \n", NoWrites, 23, ""},
		{"#!lua", 0, 0, "ERR Invalid script shebang"},
		{"#!python\n", 0, 0, "ERR Unexpected engine in script shebang: #!python"},
		{"#!lua name=x\n", 0, 0, "ERR Unknown lua shebang option: name=x"},
		{"#!lua flags=no-writes,bad\n", 0, 0, "ERR Unexpected flag in script shebang: bad"},
		{"#! lua\n", 0, 0, "ERR Unexpected engine in script shebang: #!"},
	}
	for _, c := range cases {
		flags, skip, err := ParseShebang([]byte(c.body))
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("%q: error %v, want %q", c.body, err, c.err)
			}
			continue
		}
		if err != nil || flags != c.flags || skip != c.skip {
			t.Errorf("%q: (%v, %d, %v), want (%v, %d)", c.body, flags, skip, err, c.flags, c.skip)
		}
	}
}

func TestSHA(t *testing.T) {
	if got := SHA1Hex([]byte("return 1")); got != "e0e1f9fabfc9d4800c877a703b823ac0578ff8db" {
		t.Fatalf("SHA1Hex: %s", got)
	}
	var buf [40]byte
	if !normSHA(&buf, []byte("E0E1F9FABFC9D4800C877A703B823AC0578FF8DB")) || string(buf[:]) != "e0e1f9fabfc9d4800c877a703b823ac0578ff8db" {
		t.Fatalf("normSHA: %s", buf)
	}
	if normSHA(&buf, []byte("abc")) {
		t.Fatal("normSHA accepted a short name")
	}
}
