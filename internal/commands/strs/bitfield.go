package strs

import (
	"math"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
)

// BITFIELD and BITFIELD_RO: integers of 1 to 64 bits (signed) or 1 to 63
// bits (unsigned) at any bit offset, read, written or incremented with a
// chosen overflow behaviour.

type bfKind uint8

const (
	bfGet bfKind = iota
	bfSet
	bfIncrBy
)

type bfOverflow uint8

const (
	ovfWrap bfOverflow = iota
	ovfSat
	ovfFail
)

type bfOp struct {
	kind   bfKind
	ovf    bfOverflow
	signed bool
	bits   int
	offset uint64
	arg    int64
}

func cmdBitfield(c *server.Ctx)   { bitfield(c, false) }
func cmdBitfieldRO(c *server.Ctx) { bitfield(c, true) }

// parseBitfield reads the operations; ok is false after an error reply.
// maxBit is the highest bit a write reaches (write false: no writes).
func parseBitfield(c *server.Ctx) (ops []bfOp, write bool, maxBit uint64, ok bool) {
	args := c.Args
	ovf := ovfWrap
	for j := 2; j < len(args); j++ {
		rest := len(args) - j - 1
		sub := word(args[j])
		var op bfOp
		switch {
		case server.Is(sub, "get") && rest >= 2:
			op.kind = bfGet
		case server.Is(sub, "set") && rest >= 3:
			op.kind = bfSet
		case server.Is(sub, "incrby") && rest >= 3:
			op.kind = bfIncrBy
		case server.Is(sub, "overflow") && rest >= 1:
			j++
			switch w := word(args[j]); {
			case server.Is(w, "wrap"):
				ovf = ovfWrap
			case server.Is(w, "sat"):
				ovf = ovfSat
			case server.Is(w, "fail"):
				ovf = ovfFail
			default:
				c.Err(rerr.BitfieldOvf)
				return nil, false, 0, false
			}
			continue
		default:
			c.Err(rerr.Syntax)
			return nil, false, 0, false
		}
		op.ovf = ovf
		if op.signed, op.bits, ok = bitfieldType(args[j+1]); !ok {
			c.Err(rerr.BitfieldType)
			return nil, false, 0, false
		}
		if op.offset, ok = bitOffset(c, args[j+2], op.bits); !ok {
			return nil, false, 0, false
		}
		if op.kind != bfGet {
			write = true
			maxBit = max(maxBit, op.offset+uint64(op.bits)-1)
			if op.arg, ok = c.Int(args[j+3]); !ok {
				return nil, false, 0, false
			}
			j++
		}
		j += 2
		ops = append(ops, op)
	}
	return ops, write, maxBit, true
}

// bitfieldType parses i1..i64 or u1..u63 (the digits read as a C
// string).
func bitfieldType(arg []byte) (signed bool, bits int, ok bool) {
	if len(arg) == 0 {
		return false, 0, false
	}
	switch arg[0] { // lower case only, as Redis 7.0 checks
	case 'i':
		signed = true
	case 'u':
	default:
		return false, 0, false
	}
	n, ok := server.ParseInt(word(arg[1:]))
	if !ok || n < 1 || (signed && n > 64) || (!signed && n > 63) {
		return false, 0, false
	}
	return signed, int(n), true
}

func bitfield(c *server.Ctx, readOnly bool) {
	ops, write, maxBit, ok := parseBitfield(c)
	if !ok {
		return
	}
	key := c.Args[1]
	var e *keyspace.Entry
	var created, grew, changed bool
	if !write {
		var err error
		if e, err = readString(c.DB, key); err != nil {
			fail(c, err)
			return
		}
		c.NoPropagate()
	} else {
		if readOnly {
			c.Err(rerr.BitfieldRO)
			return
		}
		created = !c.DB.Exists(key)
		var err error
		if e, grew, err = stringForBits(c, key, maxBit); err != nil {
			fail(c, err)
			return
		}
	}
	c.R.ArrayLen(len(ops))
	for _, op := range ops {
		if op.kind == bfGet {
			var s []byte
			if e != nil {
				s = e.Str
			}
			v := getBits(s, op.offset, op.bits)
			if op.signed {
				c.R.Int(signExtend(v, op.bits))
			} else {
				c.R.Int(int64(v))
			}
			continue
		}
		old := getBits(e.Str, op.offset, op.bits)
		var newv, ret uint64
		var over bool
		if op.signed {
			oldv := signExtend(old, op.bits)
			var n int64
			if op.kind == bfIncrBy {
				var wrapped int64
				over, wrapped = signedOverflow(oldv, op.arg, op.bits, op.ovf)
				n = oldv + op.arg
				if over {
					n = wrapped
				}
				ret = uint64(n)
			} else {
				var wrapped int64
				n = op.arg
				if over, wrapped = signedOverflow(n, 0, op.bits, op.ovf); over {
					n = wrapped
				}
				ret = uint64(oldv)
			}
			newv = uint64(n)
		} else {
			if op.kind == bfIncrBy {
				var wrapped uint64
				newv = old + uint64(op.arg)
				if over, wrapped = unsignedOverflow(old, op.arg, op.bits, op.ovf); over {
					newv = wrapped
				}
				ret = newv
			} else {
				var wrapped uint64
				newv = uint64(op.arg)
				if over, wrapped = unsignedOverflow(newv, 0, op.bits, op.ovf); over {
					newv = wrapped
				}
				ret = old
			}
		}
		if over && op.ovf == ovfFail {
			c.R.Null()
			continue
		}
		c.R.Int(int64(ret))
		setBits(e.Str, op.offset, op.bits, newv)
		// Only a write that changed the field (or grew the string) counts
		// as a change: Redis 7.0 neither signals nor propagates the rest.
		if grew || old != newv&widthMask(op.bits) {
			changed = true
		}
	}
	if write {
		signalBits(c, key, e, created, changed)
	}
}

// getBits reads an unsigned integer of width bits at a bit offset of s,
// most significant bit first; bits beyond s read as 0.
func getBits(s []byte, offset uint64, width int) uint64 {
	var v uint64
	for i := 0; i < width; i++ {
		pos := offset + uint64(i)
		var b uint64
		if byteIdx := pos >> 3; byteIdx < uint64(len(s)) {
			b = uint64(s[byteIdx]>>(7-pos&7)) & 1
		}
		v = v<<1 | b
	}
	return v
}

// setBits writes the low width bits of v at a bit offset of s, which is
// long enough.
func setBits(s []byte, offset uint64, width int, v uint64) {
	for i := 0; i < width; i++ {
		pos := offset + uint64(i)
		mask := byte(1) << (7 - pos&7)
		if v>>(width-1-i)&1 != 0 {
			s[pos>>3] |= mask
		} else {
			s[pos>>3] &^= mask
		}
	}
}

func widthMask(width int) uint64 {
	if width == 64 {
		return math.MaxUint64
	}
	return 1<<width - 1
}

func signExtend(v uint64, width int) int64 {
	if width < 64 && v&(1<<(width-1)) != 0 {
		v |= math.MaxUint64 << width
	}
	return int64(v)
}

// signedOverflow reports whether value+incr leaves the range of a signed
// width-bit integer and, for WRAP and SAT, the value to store instead
// (Redis's checkSignedBitfieldOverflow, wrap-around arithmetic included).
func signedOverflow(value, incr int64, width int, ovf bfOverflow) (bool, int64) {
	maxv := int64(math.MaxInt64)
	if width < 64 {
		maxv = 1<<(width-1) - 1
	}
	minv := -maxv - 1
	maxIncr := int64(uint64(maxv) - uint64(value))
	minIncr := minv - value
	var limit int64
	switch {
	case value > maxv || (width != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr):
		limit = maxv
	case value < minv || (width != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr):
		limit = minv
	default:
		return false, 0
	}
	if ovf == ovfWrap {
		r := uint64(value) + uint64(incr)
		if width < 64 {
			mask := uint64(math.MaxUint64) << width
			if r&(1<<(width-1)) != 0 {
				r |= mask
			} else {
				r &^= mask
			}
		}
		limit = int64(r)
	}
	return true, limit
}

// unsignedOverflow is signedOverflow for unsigned fields (Redis's
// checkUnsignedBitfieldOverflow).
func unsignedOverflow(value uint64, incr int64, width int, ovf bfOverflow) (bool, uint64) {
	maxv := uint64(1)<<width - 1
	maxIncr := int64(maxv - value)
	minIncr := -int64(value)
	var limit uint64
	switch {
	case value > maxv || (incr > 0 && incr > maxIncr):
		limit = maxv
	case incr < 0 && incr < minIncr:
		limit = 0
	default:
		return false, 0
	}
	if ovf == ovfWrap {
		limit = (value + uint64(incr)) &^ (uint64(math.MaxUint64) << width)
	}
	return true, limit
}

// fail replies an error met after the key was looked up, and keeps the
// command out of the AOF even when the lookup expired a key on its way.
func fail(c *server.Ctx, err error) {
	c.Err(err)
	c.NoPropagate()
}
