// Package memsize estimates what Redis would allocate for its structures,
// so MEMORY USAGE reports sizes comparable with Redis's: jemalloc's size
// classes and the sds string header. The hash and set types and the
// MEMORY command share it.
package memsize

// SDS is what Redis allocates for an sds string of n bytes used as a key
// or field: the smallest header that holds the length (sdshdr5 below 32
// bytes), the bytes, a terminating zero, rounded to the allocator's size
// class.
func SDS(n int) int {
	hdr := 9
	switch {
	case n < 32:
		hdr = 1
	case n < 256:
		hdr = 3
	case n < 65536:
		hdr = 5
	}
	return Alloc(hdr + n + 1)
}

// Alloc rounds n up to jemalloc's size class, as zmalloc_size reports.
func Alloc(n int) int {
	switch {
	case n <= 8:
		return 8
	case n <= 128:
		return (n + 15) &^ 15
	}
	// Four classes per doubling above 128.
	p := 128
	for p*2 < n {
		p *= 2
	}
	step := p / 4
	return (n + step - 1) / step * step
}
