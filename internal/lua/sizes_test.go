package lua

import (
	"testing"
	"unsafe"
)

func TestSizes(t *testing.T) {
	if s := unsafe.Sizeof(node{}); s != 48 {
		t.Fatalf("node is %d bytes", s)
	}
	if s := unsafe.Sizeof(Value{}); s != 24 {
		t.Fatalf("Value is %d bytes", s)
	}
}
