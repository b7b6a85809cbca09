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

func TestTableSize(t *testing.T) {
	if s := unsafe.Sizeof(Table{}); s != 72 {
		t.Fatalf("Table is %d bytes", s)
	}
}
