package lua

import (
	"math"
	"time"
)

func openMath(L *State) {
	m := L.RegisterLib("math", map[string]GoFunction{
		"abs":   math1(math.Abs),
		"ceil":  math1(math.Ceil),
		"floor": math1(math.Floor),
		"sqrt":  mathNeg(math.Sqrt),
		"sin":   mathNeg(math.Sin),
		"cos":   mathNeg(math.Cos),
		"tan":   mathNeg(math.Tan),
		"asin":  math1(math.Asin),
		"acos":  math1(math.Acos),
		"atan":  math1(math.Atan),
		"exp":   math1(math.Exp),
		"log":   mathNeg(math.Log),
		"log10": math1(math.Log10),
		"sinh":  math1(math.Sinh),
		"cosh":  math1(math.Cosh),
		"tanh":  math1(math.Tanh),
		"deg":   math1(func(x float64) float64 { return x * (180 / math.Pi) }),
		"rad":   math1(func(x float64) float64 { return x * (math.Pi / 180) }),
		"atan2": math2(math.Atan2),
		"pow":   math2(luaPow),
		"fmod":  math2(fmodNeg),
		"mod":   math2(fmodNeg),
		"modf": func(L *State, args []Value) []Value {
			x := L.CheckNumber(args, 1)
			if math.IsInf(x, 0) {
				return L.Ret(Number(x), Number(0))
			}
			ip, fp := math.Modf(x)
			return L.Ret(Number(ip), Number(fp))
		},
		"frexp": func(L *State, args []Value) []Value {
			f, e := math.Frexp(L.CheckNumber(args, 1))
			return L.Ret(Number(f), Number(float64(e)))
		},
		"ldexp": func(L *State, args []Value) []Value {
			return L.Ret1(Number(math.Ldexp(L.CheckNumber(args, 1), L.CheckInt(args, 2))))
		},
		"min": func(L *State, args []Value) []Value {
			r := L.CheckNumber(args, 1)
			for i := 2; i <= len(args); i++ {
				if d := L.CheckNumber(args, i); d < r {
					r = d
				}
			}
			return L.Ret1(Number(r))
		},
		"max": func(L *State, args []Value) []Value {
			r := L.CheckNumber(args, 1)
			for i := 2; i <= len(args); i++ {
				if d := L.CheckNumber(args, i); d > r {
					r = d
				}
			}
			return L.Ret1(Number(r))
		},
		"random":     mathRandom,
		"randomseed": mathRandomseed,
	})
	m.SetStr("pi", Number(math.Pi))
	m.SetStr("huge", Number(math.Inf(1)))
	L.g.rng.seed(1)
}

func math1(f func(float64) float64) GoFunction {
	return func(L *State, args []Value) []Value { return L.Ret1(Number(f(L.CheckNumber(args, 1)))) }
}

// glibc returns a negative ("default") NaN from some functions and a
// positive one from others; Go's math returns a positive NaN. print()
// shows the difference ("-nan" vs "nan"), so mirror glibc per function.
var negNaN = math.Float64frombits(0xFFF8000000000000)

func mathNeg(f func(float64) float64) GoFunction {
	return func(L *State, args []Value) []Value {
		x := L.CheckNumber(args, 1)
		r := f(x)
		if r != r && x == x {
			r = negNaN
		}
		return L.Ret1(Number(r))
	}
}

func luaPow(a, b float64) float64 {
	r := math.Pow(a, b)
	if r != r && a == a && b == b {
		return negNaN
	}
	return r
}

func fmodNeg(a, b float64) float64 {
	r := math.Mod(a, b)
	if r != r && a == a && b == b {
		return negNaN
	}
	return r
}

func math2(f func(float64, float64) float64) GoFunction {
	return func(L *State, args []Value) []Value {
		return L.Ret1(Number(f(L.CheckNumber(args, 1), L.CheckNumber(args, 2))))
	}
}

// glibcRand reproduces glibc's rand() (the TYPE_3 additive feedback
// generator) so that the default math.random matches lua5.1 on Linux.
type glibcRand struct {
	r    [34]int32
	f, b int
	tbl  [31]int32
}

func (g *glibcRand) seed(s uint32) {
	if s == 0 {
		s = 1
	}
	var r [31]int32
	r[0] = int32(s)
	for i := 1; i < 31; i++ {
		hi := int64(r[i-1]) / 127773
		lo := int64(r[i-1]) % 127773
		w := 16807*lo - 2836*hi
		if w < 0 {
			w += 2147483647
		}
		r[i] = int32(w)
	}
	g.tbl = r
	g.f, g.b = 3, 0
	for i := 0; i < 310; i++ {
		g.next()
	}
}

func (g *glibcRand) next() int32 {
	g.tbl[g.f] += g.tbl[g.b]
	res := int32(uint32(g.tbl[g.f]) >> 1)
	g.f++
	if g.f >= 31 {
		g.f = 0
	}
	g.b++
	if g.b >= 31 {
		g.b = 0
	}
	return res
}

const randMax = 2147483647

func mathRandom(L *State, args []Value) []Value {
	var r float64
	if L.g.opts.Random != nil {
		r = L.g.opts.Random()
	} else {
		r = float64(L.g.rng.next()%randMax) / randMax
	}
	switch len(args) {
	case 0:
		return L.Ret1(Number(r))
	case 1:
		u := L.CheckInt(args, 1)
		if u < 1 {
			L.ArgError(1, "interval is empty")
		}
		return L.Ret1(Number(math.Floor(r*float64(u)) + 1))
	case 2:
		l := L.CheckInt(args, 1)
		u := L.CheckInt(args, 2)
		if l > u {
			L.ArgError(2, "interval is empty")
		}
		return L.Ret1(Number(math.Floor(r*float64(u-l+1)) + float64(l)))
	}
	L.Errorf("wrong number of arguments")
	return nil
}

func mathRandomseed(L *State, args []Value) []Value {
	s := L.CheckInt(args, 1)
	if L.g.opts.Seed != nil {
		L.g.opts.Seed(int64(s))
	} else {
		L.g.rng.seed(uint32(s))
	}
	return nil
}

func openOS(L *State) {
	L.RegisterLib("os", map[string]GoFunction{
		// Wall time since the state was created stands in for CPU time:
		// scripts use os.clock only to measure their own duration.
		"clock": func(L *State, args []Value) []Value {
			return L.Ret1(Number(time.Since(L.g.start).Seconds()))
		},
	})
}
