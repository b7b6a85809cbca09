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
