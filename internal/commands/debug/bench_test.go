package debug

import (
	"fmt"
	"testing"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/types/hash"
	"github.com/moonkv/moonkv/internal/types/list"
)

func benchKeyspace(n int) *keyspace.Keyspace {
	ks := keyspace.New(16, nil)
	db := ks.DBs[0]
	for i := 0; i < n; i++ {
		db.SetString([]byte(fmt.Sprintf("key:%d", i)), []byte(fmt.Sprintf("value:%d", i)), false)
	}
	return ks
}

// BenchmarkDatasetDigest is DEBUG DIGEST over 10,000 string keys.
func BenchmarkDatasetDigest(b *testing.B) {
	ks := benchKeyspace(10000)
	b.ReportAllocs()
	for b.Loop() {
		datasetDigest(ks)
	}
}

// BenchmarkSerializedLengthList is DEBUG OBJECT's serializedlength for a
// 2,000-element list (six listpacks rebuilt and LZF-sized).
func BenchmarkSerializedLengthList(b *testing.B) {
	l := list.New(-2)
	for i := 0; i < 2000; i++ {
		l.PushBack([]byte(fmt.Sprintf("element-number-%d", i)))
	}
	e := &keyspace.Entry{Type: keyspace.TypeList, Obj: l}
	lim := keyspace.DefaultLimits()
	b.ReportAllocs()
	for b.Loop() {
		serializedLength(e, lim, true)
	}
}

// BenchmarkSerializedLengthHash is the same for a 100-field listpack hash.
func BenchmarkSerializedLengthHash(b *testing.B) {
	h := hash.New()
	for i := 0; i < 100; i++ {
		h.Set([]byte(fmt.Sprintf("field%d", i)), []byte(fmt.Sprintf("value%d", i)), hash.Limits{MaxEntries: 512, MaxValue: 64})
	}
	e := &keyspace.Entry{Type: keyspace.TypeHash, Obj: h}
	lim := keyspace.DefaultLimits()
	b.ReportAllocs()
	for b.Loop() {
		serializedLength(e, lim, true)
	}
}

// TestLZFLen checks the compressor's size against figures from
// redis-server 7.0.15: DEBUG OBJECT serializedlength of these strings is
// 13 and 56, that is 1 encoding byte + 1 byte of compressed length + 2
// bytes of original length + the compressed data.
func TestLZFLen(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{string(make([]byte, 0)), 0},
		{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 9},
		{"the quick brown fox jumps over the lazy dog the quick brown fox jumps over the lazy dog", 52},
		{"abcdefghijklmnopqrstuvwxyz0123456789", 0}, // incompressible: stored plain
	} {
		got := 0
		if len(c.s) > 0 {
			got = lzfLen([]byte(c.s), len(c.s)-4)
		}
		if got != c.want {
			t.Errorf("%.20q...: %d, want %d", c.s, got, c.want)
		}
	}
}
