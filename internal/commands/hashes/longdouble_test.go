package hashes

import "testing"

func TestLongDouble(t *testing.T) {
	add := func(a, b string) string {
		x, _, ok1 := parseLD([]byte(a))
		y, _, ok2 := parseLD([]byte(b))
		if !ok1 || !ok2 {
			return "parse error"
		}
		r, ok := addLD(x, y)
		if !ok {
			return "overflow"
		}
		return string(formatLD(r))
	}
	for _, c := range []struct{ a, b, want string }{
		{"10.5", "0.1", "10.6"},
		{"0", "0", "0"},
		{"-0", "0", "0"},
		{"3", "-5", "-2"},
		{"5.0e3", "2.0e2", "5200"},
		{"0x10", "1", "17"},
		{"1.5", "-1.5", "0"},
		{".5", "5.", "5.5"},
		{"1e4932", "1e4932", "overflow"},
		{"1e5000", "1", "parse error"},
		{"1e-5000", "1", "parse error"},
		{" 1", "1", "parse error"},
		{"1 ", "1", "parse error"},
		{"1_0", "1", "parse error"},
		{"abc", "1", "parse error"},
		{"1e+2", "1", "101"},
		{"+1", "1", "2"},
		{"--1", "1", "parse error"},
	} {
		if got := add(c.a, c.b); got != c.want {
			t.Errorf("%s + %s = %s, want %s", c.a, c.b, got, c.want)
		}
	}
	if _, inf, ok := parseLD([]byte("-inf")); !ok || inf != -1 {
		t.Errorf("-inf: %d %v", inf, ok)
	}
	if _, _, ok := parseLD([]byte("nan")); ok {
		t.Error("nan accepted")
	}
}
