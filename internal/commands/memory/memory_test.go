package memory

import (
	"strings"
	"testing"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/types/hash"
	"github.com/moonkv/moonkv/internal/types/set"
)

// The figures are redis-server 7.0.15's MEMORY USAGE for the same keys.
func TestUsageMatchesRedis(t *testing.T) {
	str := func(v string) *keyspace.Entry { return &keyspace.Entry{Type: keyspace.TypeString, Str: []byte(v)} }
	h := hash.New()
	for _, kv := range [][2]string{{"a", "1"}, {"b", "2"}, {"c", "3"}} {
		h.Set([]byte(kv[0]), []byte(kv[1]), hash.Limits{MaxEntries: 512, MaxValue: 64})
	}
	s := set.New()
	for _, m := range []string{"1", "2", "3"} {
		s.Add([]byte(m), 512)
	}
	for _, c := range []struct {
		key  string
		e    *keyspace.Entry
		want int
	}{
		{"k", str("v"), 64},
		{"k2", str("12345"), 48},
		{"k3", str(strings.Repeat("x", 100)), 160},
		{"k4", str(strings.Repeat("x", 44)), 96},
		{"k5", str(strings.Repeat("x", 45)), 112},
		{"h", &keyspace.Entry{Type: keyspace.TypeHash, Obj: h}, 80},
		{"s", &keyspace.Entry{Type: keyspace.TypeSet, Obj: s}, 64},
	} {
		if got := Usage([]byte(c.key), c.e, defaultSamples); got != c.want {
			t.Errorf("%s: %d, want %d", c.key, got, c.want)
		}
	}
}
