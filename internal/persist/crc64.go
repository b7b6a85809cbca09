package persist

import (
	"encoding/binary"
	"hash/crc64"
)

// RDB files end with a CRC-64 in the "Jones" variant Redis uses
// (polynomial 0xad93d23594c935a9, reflected, no initial or final
// inversion). Go's hash/crc64 only runs 8 bytes at a time for its own two
// polynomials and goes byte by byte for any other, which was 14% of a
// BGSAVE's CPU; so the update here is slicing-by-8 over tables derived
// from Go's byte table for the Jones polynomial.
var jonesTables = func() *[8][256]uint64 {
	var t [8][256]uint64
	base := crc64.MakeTable(0x95ac9329ac4bc9b5) // the polynomial, reflected
	t[0] = *base
	for i := 0; i < 256; i++ {
		c := t[0][i]
		for k := 1; k < 8; k++ {
			c = t[0][byte(c)] ^ c>>8
			t[k][i] = c
		}
	}
	return &t
}()

func crc64Update(crc uint64, p []byte) uint64 {
	t := jonesTables
	for len(p) >= 8 {
		crc ^= binary.LittleEndian.Uint64(p)
		crc = t[7][byte(crc)] ^ t[6][byte(crc>>8)] ^ t[5][byte(crc>>16)] ^ t[4][byte(crc>>24)] ^
			t[3][byte(crc>>32)] ^ t[2][byte(crc>>40)] ^ t[1][byte(crc>>48)] ^ t[0][byte(crc>>56)]
		p = p[8:]
	}
	for _, b := range p {
		crc = t[0][byte(crc)^b] ^ crc>>8
	}
	return crc
}
