package moonvm

import "math"

// rand48 is Redis's redisLrand48: lrand48's 48-bit linear congruential
// generator, which Redis's Lua uses for math.random. One sequence per
// server, reseeded only by math.randomseed (not by SCRIPT FLUSH).
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

func (r *rand48) seed(s int32) { r.x = 0x330E | uint64(uint32(s))<<16 }

// float is math.random's base value in [0,1), as Redis computes it.
func (r *rand48) float() float64 {
	return float64(r.next()%rand48Max) / float64(rand48Max)
}
