package luabridge

import (
	"math"
	"math/bits"
	"strconv"

	lua "github.com/yuin/gopher-lua"
)

// The bit library Redis bundles (LuaBitOp): 32-bit operations on Lua
// numbers, results as signed 32-bit numbers.

// checkNumber is luaL_checknumber: numbers and numeric strings.
func checkNumber(L *lua.LState, i int) float64 {
	switch a := L.Get(i).(type) {
	case lua.LNumber:
		return float64(a)
	case lua.LString:
		if n, ok := strToNumber(string(a)); ok {
			return n
		}
	}
	got := "no value"
	if i <= L.GetTop() {
		got = L.Get(i).Type().String()
	}
	L.ArgError(i, "number expected, got "+got)
	return 0
}

// tobit normalises a number to 32 bits as LuaBitOp does: rounded to
// nearest (ties to even), then taken modulo 2^32.
func tobit(f float64) int32 {
	r := math.RoundToEven(f)
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return 0
	}
	m := math.Mod(r, 4294967296)
	return int32(uint32(int64(m)))
}

func bitArg(L *lua.LState, i int) int32 { return tobit(checkNumber(L, i)) }

func (v *VM) installBit() {
	L := v.L
	t := L.NewTable()
	ret := func(L *lua.LState, x int32) int {
		L.Push(lua.LNumber(x))
		return 1
	}
	fold := func(op func(a, b int32) int32) lua.LGFunction {
		return func(L *lua.LState) int {
			x := bitArg(L, 1)
			for i := 2; i <= L.GetTop(); i++ {
				x = op(x, bitArg(L, i))
			}
			return ret(L, x)
		}
	}
	shift := func(op func(x uint32, n uint) uint32) lua.LGFunction {
		return func(L *lua.LState) int {
			x, n := bitArg(L, 1), bitArg(L, 2)
			return ret(L, int32(op(uint32(x), uint(n)&31)))
		}
	}
	fns := map[string]lua.LGFunction{
		"tobit":  func(L *lua.LState) int { return ret(L, bitArg(L, 1)) },
		"bnot":   func(L *lua.LState) int { return ret(L, ^bitArg(L, 1)) },
		"band":   fold(func(a, b int32) int32 { return a & b }),
		"bor":    fold(func(a, b int32) int32 { return a | b }),
		"bxor":   fold(func(a, b int32) int32 { return a ^ b }),
		"lshift": shift(func(x uint32, n uint) uint32 { return x << n }),
		"rshift": shift(func(x uint32, n uint) uint32 { return x >> n }),
		"arshift": shift(func(x uint32, n uint) uint32 {
			return uint32(int32(x) >> n)
		}),
		"rol":   shift(func(x uint32, n uint) uint32 { return bits.RotateLeft32(x, int(n)) }),
		"ror":   shift(func(x uint32, n uint) uint32 { return bits.RotateLeft32(x, -int(n)) }),
		"bswap": func(L *lua.LState) int { return ret(L, int32(bits.ReverseBytes32(uint32(bitArg(L, 1))))) },
		"tohex": func(L *lua.LState) int {
			x := uint32(bitArg(L, 1))
			n := int32(8)
			if L.GetTop() >= 2 && L.Get(2) != lua.LNil {
				n = bitArg(L, 2)
			}
			upper := n < 0
			if upper {
				n = -n
			}
			if n > 8 {
				n = 8
			}
			if n < 8 {
				x &= uint32(1)<<(4*uint(n)) - 1
			}
			s := ""
			if n > 0 {
				s = strconv.FormatUint(uint64(x), 16)
			}
			for len(s) < int(n) {
				s = "0" + s
			}
			if upper {
				b := []byte(s)
				for i, c := range b {
					if 'a' <= c && c <= 'f' {
						b[i] = c - 'a' + 'A'
					}
				}
				s = string(b)
			}
			L.Push(lua.LString(s))
			return 1
		},
	}
	for name, fn := range fns {
		t.RawSetString(name, L.NewFunction(fn))
	}
	v.globals.RawSetString("bit", t)
}
