package strs

import (
	"math/bits"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
)

// Bitmaps: SETBIT, GETBIT, BITCOUNT, BITPOS and BITOP. Bit 0 is the most
// significant bit of the first byte.

// bitOffset parses a bit offset as Redis's getBitOffsetFromArgument: a
// non-negative integer whose byte falls below proto-max-bulk-len. With
// width > 0 (BITFIELD) the form "#N" means N*width.
func bitOffset(c *server.Ctx, arg []byte, width int) (uint64, bool) {
	hash := width > 0 && len(arg) > 0 && arg[0] == '#'
	if hash {
		arg = arg[1:]
	}
	n, ok := server.ParseInt(arg)
	if ok && hash {
		n *= int64(width) // wraps as Redis's does
	}
	if !ok || n < 0 || n>>3 >= maxBulk(c) {
		c.Err(rerr.BitOffset)
		return 0, false
	}
	return uint64(n), true
}

// stringForBits finds or creates the string at key for a bit write that
// reaches maxBit, zero-padding it to cover that bit (Redis's
// lookupStringForBitCommand). The returned entry owns its buffer; grew
// reports that the key was created (and signalled) or lengthened, which
// makes the command a change even when no bit flips.
func stringForBits(c *server.Ctx, key []byte, maxBit uint64) (e *keyspace.Entry, grew bool, err error) {
	need := int(maxBit>>3) + 1
	if e, err = writeString(c.DB, key); err != nil {
		return nil, false, err
	}
	if e == nil {
		return c.DB.AddString(key, make([]byte, need), 0, true), true, nil
	}
	grew = need > len(e.Str)
	e.Str = growOwned(e, need)
	e.RawStr = true
	return e, grew, nil
}

// signalBits reports a bit command's change: a key it created was
// signalled already, a key it only lengthened or changed is signalled
// now. A command that changed nothing propagates nothing (Redis 7.0
// leaves server.dirty alone then).
func signalBits(c *server.Ctx, key []byte, e *keyspace.Entry, created, changed bool) {
	switch {
	case changed && !created:
		c.DB.ModifiedRaw(key, e)
	case !changed:
		c.NoPropagate()
	}
}

func cmdSetBit(c *server.Ctx) {
	key := c.Args[1]
	off, ok := bitOffset(c, c.Args[2], 0)
	if !ok {
		return
	}
	on, ok := server.ParseInt(c.Args[3])
	if !ok || on&^1 != 0 {
		c.Err(rerr.BitValue)
		return
	}
	existed := c.DB.Exists(key)
	e, grew, err := stringForBits(c, key, off)
	if err != nil {
		c.Err(err)
		return
	}
	byteIdx, mask := off>>3, byte(1)<<(7-off&7)
	old := e.Str[byteIdx]&mask != 0
	if on == 1 {
		e.Str[byteIdx] |= mask
	} else {
		e.Str[byteIdx] &^= mask
	}
	signalBits(c, key, e, !existed, grew || old != (on == 1))
	if old {
		c.R.Int(1)
	} else {
		c.R.Int(0)
	}
}

func cmdGetBit(c *server.Ctx) {
	off, ok := bitOffset(c, c.Args[2], 0)
	if !ok {
		return
	}
	e, err := readString(c.DB, c.Args[1])
	switch {
	case err != nil:
		c.Err(err)
	case e == nil || off>>3 >= uint64(len(e.Str)):
		c.R.Int(0)
	default:
		c.R.Int(int64(e.Str[off>>3]>>(7-off&7)) & 1)
	}
}

// bitRange resolves BITCOUNT/BITPOS's start and end (bytes, or bits with
// isBit) against a string of n bytes, as Redis does: negative indexes
// count from the end, both are clamped. It returns the byte range and, in
// bit mode, the masks of the bits of the first and last byte that lie
// outside the range. empty reports an inverted range.
func bitRange(start, end int64, n int64, isBit bool) (first, last int64, firstMask, lastMask byte, empty bool) {
	total := n
	if isBit {
		total <<= 3
	}
	if start < 0 {
		start += total
	}
	if end < 0 {
		end += total
	}
	if start < 0 {
		start = 0
	}
	if end < 0 {
		end = 0
	}
	if end >= total {
		end = total - 1
	}
	if start > end {
		return 0, 0, 0, 0, true
	}
	if isBit {
		firstMask = byte(^((int64(1) << (8 - start&7)) - 1) & 0xff)
		lastMask = byte((int64(1) << (7 - end&7)) - 1)
		start >>= 3
		end >>= 3
	}
	return start, end, firstMask, lastMask, false
}

// unitArg parses BYTE or BIT; ok is false after a syntax error reply.
func unitArg(c *server.Ctx, arg []byte) (isBit, ok bool) {
	switch arg = word(arg); {
	case server.Is(arg, "bit"):
		return true, true
	case server.Is(arg, "byte"):
		return false, true
	}
	c.Err(rerr.Syntax)
	return false, false
}

func popcount(b []byte) int64 {
	n := 0
	for len(b) >= 8 {
		n += bits.OnesCount64(uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56)
		b = b[8:]
	}
	for _, x := range b {
		n += bits.OnesCount8(x)
	}
	return int64(n)
}

func cmdBitCount(c *server.Ctx) {
	// Redis 7.0 looks the key up before it reads the range: a missing key
	// counts 0 whatever the other arguments are.
	e, err := readString(c.DB, c.Args[1])
	if err != nil {
		c.Err(err)
		return
	}
	if e == nil {
		c.R.Int(0)
		return
	}
	s := e.Str
	var first, last int64
	var firstMask, lastMask byte
	switch len(c.Args) {
	case 4, 5:
		start, ok := c.Int(c.Args[2])
		if !ok {
			return
		}
		end, ok := c.Int(c.Args[3])
		if !ok {
			return
		}
		// An inverted range of negative indexes is empty before the unit
		// is even read.
		if start < 0 && end < 0 && start > end {
			c.R.Int(0)
			return
		}
		isBit := false
		if len(c.Args) == 5 {
			if isBit, ok = unitArg(c, c.Args[4]); !ok {
				return
			}
		}
		var empty bool
		first, last, firstMask, lastMask, empty = bitRange(start, end, int64(len(s)), isBit)
		if empty {
			c.R.Int(0)
			return
		}
	case 2:
		first, last = 0, int64(len(s))-1
		if last < 0 {
			c.R.Int(0)
			return
		}
	default:
		c.Err(rerr.Syntax)
		return
	}
	n := popcount(s[first : last+1])
	n -= int64(bits.OnesCount8(s[first]&firstMask) + bits.OnesCount8(s[last]&lastMask))
	c.R.Int(n)
}

// firstBit is Redis's redisBitpos: the position of the first bit equal to
// bit in b; for a clear bit not found, the position just past b; for a set
// bit not found, -1.
func firstBit(b []byte, bit int64) int64 {
	var skip byte
	if bit == 0 {
		skip = 0xff
	}
	for i, x := range b {
		if x != skip {
			if bit == 0 {
				x = ^x
			}
			return int64(i)*8 + int64(bits.LeadingZeros8(x))
		}
	}
	if bit == 1 {
		return -1
	}
	return int64(len(b)) * 8
}

func cmdBitPos(c *server.Ctx) {
	bit, ok := c.Int(c.Args[2])
	if !ok {
		return
	}
	if bit != 0 && bit != 1 {
		c.Err(rerr.BitArg)
		return
	}
	e, err := readString(c.DB, c.Args[1])
	if err != nil {
		c.Err(err)
		return
	}
	if e == nil {
		// A missing key is an endless run of clear bits.
		if bit == 1 {
			c.R.Int(-1)
		} else {
			c.R.Int(0)
		}
		return
	}
	s := e.Str
	n := int64(len(s))
	var start, end int64
	var firstMask, lastMask byte
	endGiven := false
	switch len(c.Args) {
	case 4, 5, 6:
		if start, ok = c.Int(c.Args[3]); !ok {
			return
		}
		isBit := false
		if len(c.Args) == 6 {
			if isBit, ok = unitArg(c, c.Args[5]); !ok {
				return
			}
		}
		if len(c.Args) >= 5 {
			if end, ok = c.Int(c.Args[4]); !ok {
				return
			}
			endGiven = true
		} else if isBit {
			end = n<<3 + 7
		} else {
			end = n - 1
		}
		var empty bool
		start, end, firstMask, lastMask, empty = bitRange(start, end, n, isBit)
		if empty {
			c.R.Int(-1)
			return
		}
	case 3:
		start, end = 0, n-1
		if end < 0 {
			c.R.Int(-1)
			return
		}
	default:
		c.Err(rerr.Syntax)
		return
	}
	c.R.Int(bitposIn(s, bit, start, end, firstMask, lastMask, endGiven))
}

// bitposIn searches bytes start..end of s, the masked bits of the first and
// last byte excluded, following Redis 7.0's steps exactly (its answers at
// the edges of a bit range depend on them).
func bitposIn(s []byte, bit, start, end int64, firstMask, lastMask byte, endGiven bool) int64 {
	nbytes := end - start + 1
	var pos int64
	edge := func(x, mask byte) byte {
		if bit == 1 {
			return x &^ mask
		}
		return x | mask
	}
	done := false
	if firstMask != 0 {
		t := edge(s[start], firstMask)
		if lastMask != 0 && nbytes == 1 {
			t = edge(t, lastMask)
		}
		pos = firstBit([]byte{t}, bit)
		if nbytes == 1 || (pos != -1 && pos != 8) {
			done = true
		} else {
			start++
			nbytes--
		}
	}
	if !done {
		cur := nbytes
		if lastMask != 0 {
			cur--
		}
		if cur > 0 {
			pos = firstBit(s[start:start+cur], bit)
			if nbytes == cur || (pos != -1 && pos != cur<<3) {
				done = true
			} else {
				start += cur
				nbytes -= cur
			}
		}
	}
	if !done {
		pos = firstBit([]byte{edge(s[end], lastMask)}, bit)
	}
	if endGiven && bit == 0 && pos == nbytes<<3 {
		return -1
	}
	if pos != -1 {
		pos += start << 3
	}
	return pos
}

func cmdBitOp(c *server.Ctx) {
	op := word(c.Args[1])
	var kind int
	switch {
	case server.Is(op, "and"):
		kind = opAnd
	case server.Is(op, "or"):
		kind = opOr
	case server.Is(op, "xor"):
		kind = opXor
	case server.Is(op, "not"):
		kind = opNot
	default:
		c.Err(rerr.Syntax)
		return
	}
	if kind == opNot && len(c.Args) != 4 {
		c.Err(rerr.BitopNot)
		return
	}
	dst, srcKeys := c.Args[2], c.Args[3:]
	srcs := make([][]byte, len(srcKeys))
	maxLen := 0
	for i, k := range srcKeys {
		e, err := readString(c.DB, k)
		if err != nil {
			c.Err(err)
			return
		}
		if e != nil {
			srcs[i] = e.Str
			maxLen = max(maxLen, len(e.Str))
		}
	}
	if maxLen == 0 {
		// Every source is empty: the destination is removed.
		if !c.DB.Delete(dst) {
			c.NoPropagate()
		}
		c.R.Int(0)
		return
	}
	res := bitop(kind, srcs, maxLen)
	if e := c.DB.Lookup(dst); e != nil {
		c.DB.OverwriteString(dst, e, res, 0, false)
		e.RawStr = true
	} else {
		c.DB.AddString(dst, res, 0, true)
	}
	c.R.Int(int64(maxLen))
}

const (
	opAnd = iota
	opOr
	opXor
	opNot
)

// bitop combines the sources byte by byte, a missing byte counting as 0.
func bitop(kind int, srcs [][]byte, n int) []byte {
	res := make([]byte, n)
	at := func(s []byte, i int) byte {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	if kind == opNot {
		for i := range res {
			res[i] = ^at(srcs[0], i)
		}
		return res
	}
	copy(res, srcs[0])
	for _, s := range srcs[1:] {
		switch kind {
		case opAnd:
			for i := range res {
				res[i] &= at(s, i)
			}
		case opOr:
			for i := range s {
				res[i] |= s[i]
			}
		case opXor:
			for i := range s {
				res[i] ^= s[i]
			}
		}
	}
	return res
}
