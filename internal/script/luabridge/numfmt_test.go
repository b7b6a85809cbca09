package luabridge

import (
	"math"
	"testing"
)

func TestFmtNumber(t *testing.T) {
	cases := []struct {
		f    float64
		want string
	}{
		{0.1 + 0.2, "0.3"}, {1e15, "1e+15"}, {math.Pow(2, 53), "9.007199254741e+15"},
		{100, "100"}, {-3, "-3"}, {1e14, "1e+14"}, {123456789012345, "1.2345678901234e+14"},
		{12345678901234567, "1.2345678901235e+16"}, {math.Inf(1), "inf"}, {math.Inf(-1), "-inf"},
		{math.Copysign(0, -1), "-0"}, {0.5, "0.5"}, {1.0 / 3, "0.33333333333333"}, {1e-5, "1e-05"},
	}
	for _, c := range cases {
		if got := fmtNumber(c.f); got != c.want {
			t.Errorf("fmtNumber(%v) = %q, want %q", c.f, got, c.want)
		}
	}
	args := []struct {
		f    float64
		want string
	}{{0.1, "0.10000000000000001"}, {1.0 / 3, "0.33333333333333331"}, {1e20, "1e+20"}, {5, "5"}, {-7, "-7"}}
	for _, c := range args {
		if got := string(appendArgNumber(nil, c.f)); got != c.want {
			t.Errorf("appendArgNumber(%v) = %q, want %q", c.f, got, c.want)
		}
	}
}
