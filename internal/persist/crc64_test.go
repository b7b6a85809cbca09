package persist

import "testing"

func TestCRC64Jones(t *testing.T) {
	// the check value Redis's crc64.c tests against
	if got := crc64Update(0, []byte("123456789")); got != 0xe9c6d914c4b8d9ca {
		t.Fatalf("crc64(123456789) = %#x", got)
	}
	// incremental updates agree with one pass
	if crc64Update(crc64Update(0, []byte("1234")), []byte("56789")) != 0xe9c6d914c4b8d9ca {
		t.Fatal("incremental crc differs")
	}
}

// TestCRC64Slicing: the 8-byte path agrees with the byte-by-byte
// definition at every length and split point.
func TestCRC64Slicing(t *testing.T) {
	bytewise := func(crc uint64, p []byte) uint64 {
		for _, b := range p {
			crc = jonesTables[0][byte(crc)^b] ^ crc>>8
		}
		return crc
	}
	p := make([]byte, 300)
	for i := range p {
		p[i] = byte(i*131 + i>>3)
	}
	for n := 0; n <= len(p); n++ {
		want := bytewise(0, p[:n])
		if got := crc64Update(0, p[:n]); got != want {
			t.Fatalf("length %d: %#x, want %#x", n, got, want)
		}
		if n > 0 {
			cut := n * 7 / 11
			if got := crc64Update(crc64Update(0, p[:cut]), p[cut:n]); got != want {
				t.Fatalf("length %d split at %d: %#x, want %#x", n, cut, got, want)
			}
		}
	}
}

func BenchmarkCRC64(b *testing.B) {
	p := make([]byte, 64<<10)
	b.SetBytes(int64(len(p)))
	for i := 0; i < b.N; i++ {
		crc64Update(0, p)
	}
}
