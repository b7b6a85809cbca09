package set

import "encoding/binary"

// intset is a sorted array of integers stored, as Redis's intset, at the
// narrowest width (2, 4 or 8 bytes, little-endian) that holds every member:
// a set of small numbers costs two bytes a member. The first byte is the
// width; an empty intset is nil.
type intset []byte

func widthFor(v int64) int {
	switch {
	case v >= -1<<15 && v < 1<<15:
		return 2
	case v >= -1<<31 && v < 1<<31:
		return 4
	}
	return 8
}

func (is intset) width() int {
	if len(is) == 0 {
		return 2
	}
	return int(is[0])
}

func (is intset) len() int {
	if len(is) == 0 {
		return 0
	}
	return (len(is) - 1) / int(is[0])
}

func (is intset) get(i int) int64 {
	w := int(is[0])
	p := is[1+i*w:]
	switch w {
	case 2:
		return int64(int16(binary.LittleEndian.Uint16(p)))
	case 4:
		return int64(int32(binary.LittleEndian.Uint32(p)))
	}
	return int64(binary.LittleEndian.Uint64(p))
}

func (is intset) put(i int, v int64) {
	w := int(is[0])
	p := is[1+i*w:]
	switch w {
	case 2:
		binary.LittleEndian.PutUint16(p, uint16(v))
	case 4:
		binary.LittleEndian.PutUint32(p, uint32(v))
	default:
		binary.LittleEndian.PutUint64(p, uint64(v))
	}
}

// search returns v's position, or where it would be inserted.
func (is intset) search(v int64) (int, bool) {
	lo, hi := 0, is.len()
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if is.get(m) < v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < is.len() && is.get(lo) == v
}

// insert puts v at position i, widening every member first when v needs
// more bytes. The slice grows to its exact size, as Redis reallocs.
func (is intset) insert(i int, v int64) intset {
	n := is.len()
	w := max(is.width(), widthFor(v))
	out := make(intset, 1+(n+1)*w)
	out[0] = byte(w)
	for j := 0; j < i; j++ {
		out.put(j, is.get(j))
	}
	out.put(i, v)
	for j := i; j < n; j++ {
		out.put(j+1, is.get(j))
	}
	return out
}

// remove deletes the member at position i.
func (is intset) remove(i int) intset {
	if is.len() == 1 {
		return nil
	}
	w := int(is[0])
	copy(is[1+i*w:], is[1+(i+1)*w:])
	return is[:len(is)-w]
}

func (is intset) clone() intset { return append(intset(nil), is...) }
