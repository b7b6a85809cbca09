package lua

import (
	"fmt"
	"os"
	"testing"
)

// TestRunFile runs $LUAFILE and prints its output (a development aid).
func TestRunFile(t *testing.T) {
	f := os.Getenv("LUAFILE")
	if f == "" {
		t.Skip()
	}
	fmt.Print(runCorpusFile(t, f))
}
