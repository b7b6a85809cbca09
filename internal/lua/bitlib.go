package lua

import "math"

// OpenBit installs Redis's "bit" library (LuaBitOp semantics: operands
// are wrapped to signed 32-bit integers, results are signed).
func (L *State) OpenBit() {
	L.RegisterLib("bit", map[string]GoFunction{
		"tobit":   bitUnary(func(x int32) int32 { return x }),
		"bnot":    bitUnary(func(x int32) int32 { return ^x }),
		"bswap":   bitUnary(func(x int32) int32 { u := uint32(x); return int32(u>>24 | (u>>8)&0xff00 | (u<<8)&0xff0000 | u<<24) }),
		"band":    bitFold(func(a, b int32) int32 { return a & b }),
		"bor":     bitFold(func(a, b int32) int32 { return a | b }),
		"bxor":    bitFold(func(a, b int32) int32 { return a ^ b }),
		"lshift":  bitShift(func(x int32, n uint) int32 { return int32(uint32(x) << n) }),
		"rshift":  bitShift(func(x int32, n uint) int32 { return int32(uint32(x) >> n) }),
		"arshift": bitShift(func(x int32, n uint) int32 { return x >> n }),
		"rol":     bitShift(func(x int32, n uint) int32 { u := uint32(x); return int32(u<<n | u>>(32-n)) }),
		"ror":     bitShift(func(x int32, n uint) int32 { u := uint32(x); return int32(u>>n | u<<(32-n)) }),
		"tohex": func(L *State, args []Value) []Value {
			x := uint32(bitArg(L, args, 1))
			n := 8
			if arg(args, 2).t != TypeNil {
				n = int(bitArg(L, args, 2))
			}
			digits := "0123456789abcdef"
			if n < 0 {
				n = -n
				digits = "0123456789ABCDEF"
			}
			if n > 8 {
				n = 8
			}
			buf := make([]byte, n)
			for i := n - 1; i >= 0; i-- {
				buf[i] = digits[x&15]
				x >>= 4
			}
			return L.Ret1(String(string(buf)))
		},
	})
}

// bitArg converts like LuaBitOp's barg: round to the nearest integer
// (via the 2^52+2^51 trick) and keep the low 32 bits.
func bitArg(L *State, args []Value, i int) int32 {
	f := L.CheckNumber(args, i)
	b := math.Float64bits(f + 6755399441055744.0)
	return int32(uint32(b))
}

func bitUnary(f func(int32) int32) GoFunction {
	return func(L *State, args []Value) []Value {
		return L.Ret1(Number(float64(f(bitArg(L, args, 1)))))
	}
}

func bitFold(f func(a, b int32) int32) GoFunction {
	return func(L *State, args []Value) []Value {
		r := bitArg(L, args, 1)
		for i := 2; i <= len(args); i++ {
			r = f(r, bitArg(L, args, i))
		}
		return L.Ret1(Number(float64(r)))
	}
}

func bitShift(f func(int32, uint) int32) GoFunction {
	return func(L *State, args []Value) []Value {
		x := bitArg(L, args, 1)
		n := uint(bitArg(L, args, 2)) & 31
		return L.Ret1(Number(float64(f(x, n))))
	}
}
