package sort

import (
	"math"
	"reflect"
	"testing"
)

func TestStrtod(t *testing.T) {
	for s, want := range map[string]float64{"": 0, " 1": 1, "\t2.5": 2.5, "0x10": 16, "1e2": 100, "-3": -3, "1\x00junk": 1} {
		got, ok := strtod([]byte(s))
		if !ok || got != want {
			t.Errorf("strtod(%q) = %v %v, want %v", s, got, ok, want)
		}
	}
	if f, ok := strtod([]byte("-inf")); !ok || !math.IsInf(f, -1) {
		t.Error("-inf")
	}
	for _, s := range []string{"1 ", "x", "nan", "1e400", "1e-400", "1_0", "--1"} {
		if _, ok := strtod([]byte(s)); ok {
			t.Errorf("strtod(%q) accepted", s)
		}
	}
}

func TestSortKeys(t *testing.T) {
	args := func(s ...string) [][]byte {
		out := make([][]byte, len(s))
		for i := range s {
			out[i] = []byte(s[i])
		}
		return out
	}
	for _, c := range []struct {
		args []string
		want []int
	}{
		{[]string{"sort", "k"}, []int{1}},
		{[]string{"sort", "k", "STORE", "d"}, []int{1, 3}},
		{[]string{"sort", "k", "GET", "store", "STORE", "a", "store", "b"}, []int{1, 7}},
		{[]string{"sort", "k", "LIMIT", "0", "store", "BY", "x"}, []int{1}},
	} {
		if got := sortKeys(args(c.args...)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v: %v, want %v", c.args, got, c.want)
		}
	}
}
