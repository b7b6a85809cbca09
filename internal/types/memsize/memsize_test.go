package memsize

import "testing"

// The size classes jemalloc 5.3 (Redis 7.0's allocator) rounds to.
func TestAlloc(t *testing.T) {
	for n, want := range map[int]int{1: 8, 9: 16, 17: 32, 33: 48, 128: 128, 129: 160, 257: 320, 513: 640} {
		if got := Alloc(n); got != want {
			t.Errorf("Alloc(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestSDSHeaders(t *testing.T) {
	// header + bytes + NUL: sdshdr5 (1) below 32, sdshdr8 (3) below 256
	for n, want := range map[int]int{0: 8, 6: 8, 31: 48, 32: 48, 255: 320, 300: 320} {
		if got := SDS(n); got != want {
			t.Errorf("SDS(%d) = %d, want %d", n, got, want)
		}
	}
}
