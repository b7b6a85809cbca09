package luabridge

import (
	"math"

	lua "github.com/yuin/gopher-lua"
)

// rand48 is Redis's redisLrand48: the 48-bit linear congruential
// generator of lrand48, which Redis's Lua uses for math.random so that
// scripts see the same sequence as with Redis (one sequence per server,
// never reseeded except by math.randomseed).
type rand48 struct{ x uint64 }

const (
	rand48A    = 0x5DEECE66D
	rand48C    = 0xB
	rand48Mask = 1<<48 - 1
	rand48Max  = math.MaxInt32
)

func newRand48() rand48 { return rand48{x: 0x1234ABCD330E} }

func (r *rand48) next() int32 {
	r.x = (rand48A*r.x + rand48C) & rand48Mask
	return int32(r.x >> 17)
}

func (r *rand48) seed(s int32) {
	r.x = 0x330E | uint64(uint32(s))<<16
}

func (v *VM) installRandom(math *lua.LTable) {
	L := v.L
	math.RawSetString("random", L.NewFunction(func(L *lua.LState) int {
		r := float64(v.rnd.next()%rand48Max) / float64(rand48Max)
		switch L.GetTop() {
		case 0:
			L.Push(lua.LNumber(r))
		case 1:
			u := L.CheckInt(1)
			if u < 1 {
				L.ArgError(1, "interval is empty")
			}
			L.Push(lua.LNumber(floor(r*float64(u)) + 1))
		case 2:
			l, u := L.CheckInt(1), L.CheckInt(2)
			if l > u {
				L.ArgError(2, "interval is empty")
			}
			L.Push(lua.LNumber(floor(r*float64(u-l+1)) + float64(l)))
		default:
			L.RaiseError("wrong number of arguments")
		}
		return 1
	}))
	math.RawSetString("randomseed", L.NewFunction(func(L *lua.LState) int {
		v.rnd.seed(int32(L.CheckInt(1)))
		return 0
	}))
}

func floor(f float64) float64 { return math.Floor(f) }
