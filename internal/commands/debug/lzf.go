package debug

const (
	lzfHlog  = 16
	lzfHsize = 1 << lzfHlog
)

// lzfTable is liblzf's hash table, kept between compressions of one
// DEBUG OBJECT: only the slots a compression set are cleared after it.
type lzfTable struct {
	htab []int32 // positions+1; 0 is empty
	used []uint32
}

func (t *lzfTable) set(slot uint32, pos int) {
	if t.htab[slot] == 0 {
		t.used = append(t.used, slot)
	}
	t.htab[slot] = int32(pos + 1)
}

// lzfLen compresses with a table of its own.
func lzfLen(in []byte, outLen int) int {
	var t lzfTable
	return t.size(in, outLen)
}

// size is the length of liblzf's compression of in (as Redis builds it:
// a 2^16-slot hash table, the VERY_FAST variant) into a buffer of outLen
// bytes, or 0 when it does not fit. Only the length is needed, so only
// output positions are tracked.
func (t *lzfTable) size(in []byte, outLen int) int {
	const (
		maxLit = 1 << 5
		maxOff = 1 << 13
		maxRef = (1 << 8) + (1 << 3)
	)
	inLen := len(in)
	if inLen == 0 || outLen == 0 {
		return 0
	}
	if t.htab == nil {
		t.htab = make([]int32, lzfHsize)
	}
	defer func() {
		for _, slot := range t.used {
			t.htab[slot] = 0
		}
		t.used = t.used[:0]
	}()
	htab := t.htab
	idx := func(h uint32) uint32 { return ((h >> (3*8 - lzfHlog)) - h*5) & (lzfHsize - 1) }
	first := func(p int) uint32 { return uint32(in[p])<<8 | uint32(in[p+1]) }
	next := func(v uint32, p int) uint32 { return v<<8 | uint32(in[p+2]) }

	ip, op, lit := 0, 1, 0 // op starts past the first run header
	hval := first(ip)
	for ip < inLen-2 {
		hval = next(hval, ip)
		slot := idx(hval)
		ref := int(htab[slot]) - 1
		t.set(slot, ip)
		if ref > 0 && ref < ip && ip-ref-1 < maxOff && ip+4 < inLen &&
			in[ref] == in[ip] && in[ref+1] == in[ip+1] && in[ref+2] == in[ip+2] {
			length := 2
			maxlen := inLen - ip - length
			if maxlen > maxRef {
				maxlen = maxRef
			}
			if lit == 0 {
				op-- // undo the empty run
			}
			if op+3+1 >= outLen {
				return 0
			}
			// liblzf compares 16 positions unrolled (without the
			// maxlen bound) before its bounded loop; kept for equal output.
			unrolledMiss := false
			if maxlen > 16 {
				for k := 0; k < 16; k++ {
					length++
					if in[ref+length] != in[ip+length] {
						unrolledMiss = true
						break
					}
				}
			}
			if !unrolledMiss {
				for {
					length++
					if length >= maxlen || in[ref+length] != in[ip+length] {
						break
					}
				}
			}
			length -= 2
			ip++
			if length < 7 {
				op++
			} else {
				op += 2
			}
			op++    // offset low byte
			lit = 0 // start run
			op++
			ip += length + 1
			if ip >= inLen-2 {
				break
			}
			ip -= 2
			hval = first(ip)
			hval = next(hval, ip)
			t.set(idx(hval), ip)
			ip++
			hval = next(hval, ip)
			t.set(idx(hval), ip)
			ip++
			continue
		}
		if op >= outLen {
			return 0
		}
		lit++
		op++
		ip++
		if lit == maxLit {
			lit = 0
			op++
		}
	}
	if op+3 > outLen {
		return 0
	}
	for ip < inLen {
		lit++
		op++
		ip++
		if lit == maxLit {
			lit = 0
			op++
		}
	}
	if lit == 0 {
		op--
	}
	return op
}
