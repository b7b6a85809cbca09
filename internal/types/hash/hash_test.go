package hash

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"testing"
	"unsafe"
)

var lim = Limits{MaxEntries: 128, MaxValue: 64}

func TestCompactOrderAndOverwrite(t *testing.T) {
	h := New()
	for _, kv := range [][2]string{{"z", "1"}, {"a", "2"}, {"m", "3"}, {"a", "longer value"}, {"z", ""}} {
		h.Set([]byte(kv[0]), []byte(kv[1]), lim)
	}
	got := fmt.Sprintf("%q", h.Pairs())
	want := `["z" "" "a" "longer value" "m" "3"]`
	if got != want {
		t.Fatalf("pairs %s, want %s", got, want)
	}
	if !h.Delete([]byte("a")) || h.Delete([]byte("a")) || h.Len() != 2 {
		t.Fatal("delete")
	}
	if h.Encoding() != "listpack" {
		t.Fatal(h.Encoding())
	}
}

func TestConversion(t *testing.T) {
	h := New()
	for i := 0; i < 4; i++ {
		h.Set([]byte(strconv.Itoa(i)), []byte("v"), Limits{MaxEntries: 4, MaxValue: 8})
	}
	if h.Encoding() != "listpack" {
		t.Fatal("converted too early")
	}
	h.Set([]byte("x"), []byte("v"), Limits{MaxEntries: 4, MaxValue: 8})
	if h.Encoding() != "hashtable" || h.Len() != 5 {
		t.Fatal("no conversion on entries")
	}
	h2 := New()
	h2.Set([]byte("f"), []byte("123456789"), Limits{MaxEntries: 4, MaxValue: 8})
	if h2.Encoding() != "hashtable" {
		t.Fatal("no conversion on value length")
	}
	h3 := New()
	h3.Fits(Limits{MaxEntries: 4, MaxValue: 2}, []byte("ab"), []byte("abc"))
	if h3.Encoding() != "hashtable" {
		t.Fatal("Fits did not convert")
	}
}

// TestModel runs random operations against a hash and a Go map and checks
// they agree, in both encodings and across the conversion.
func TestModel(t *testing.T) {
	for _, l := range []Limits{{8, 4}, {128, 64}, {0, 0}} {
		rng := rand.New(rand.NewPCG(1, uint64(l.MaxEntries)))
		h := New()
		m := map[string]string{}
		var order []string // insertion order while compact
		for i := 0; i < 5000; i++ {
			f := strconv.Itoa(rng.IntN(40))
			switch rng.IntN(4) {
			case 0, 1:
				v := fmt.Sprint(rng.IntN(1 << (rng.IntN(20) + 1)))
				_, had := m[f]
				if added := h.Set([]byte(f), []byte(v), l); added == had {
					t.Fatalf("Set(%s) added=%v had=%v", f, added, had)
				}
				if !had {
					order = append(order, f)
				}
				m[f] = v
			case 2:
				_, had := m[f]
				if h.Delete([]byte(f)) != had {
					t.Fatalf("Delete(%s)", f)
				}
				delete(m, f)
				for j, o := range order {
					if o == f {
						order = append(order[:j], order[j+1:]...)
						break
					}
				}
			case 3:
				v, ok := h.Get([]byte(f))
				mv, mok := m[f]
				if ok != mok || string(v) != mv {
					t.Fatalf("Get(%s) = %q %v, want %q %v", f, v, ok, mv, mok)
				}
			}
			if h.Len() != len(m) {
				t.Fatalf("Len %d want %d", h.Len(), len(m))
			}
		}
		seen := map[string]string{}
		var keys []string
		h.Range(func(f, v []byte) bool {
			seen[string(f)] = string(v)
			keys = append(keys, string(f))
			return true
		})
		if fmt.Sprint(seen) != fmt.Sprint(m) {
			t.Fatalf("Range %v want %v", seen, m)
		}
		if h.IsCompact() && fmt.Sprint(keys) != fmt.Sprint(order) {
			t.Fatalf("order %v want %v", keys, order)
		}
		// a full scan sees everything
		got := map[string]bool{}
		c := uint64(0)
		for {
			c = h.Scan(c, func(f, _ []byte) { got[string(f)] = true })
			if c == 0 {
				break
			}
		}
		if len(got) != len(m) {
			t.Fatalf("scan saw %d of %d", len(got), len(m))
		}
		cp := h.Clone()
		if fmt.Sprint(sortedPairs(cp)) != fmt.Sprint(sortedPairs(h)) || cp.Encoding() != h.Encoding() {
			t.Fatal("clone differs")
		}
		if h.Len() > 0 {
			f, v := h.Random(rng)
			if m[string(f)] != string(v) {
				t.Fatal("random pair not in the hash")
			}
		}
		if h.MemUsage() <= 0 {
			t.Fatal("MemUsage")
		}
	}
}

func sortedPairs(h *Hash) []string {
	var out []string
	h.Range(func(f, v []byte) bool { out = append(out, string(f)+"="+string(v)); return true })
	sort.Strings(out)
	return out
}

func benchHash(b *testing.B, n int) {
	h := New()
	l := Limits{MaxEntries: 512, MaxValue: 64}
	fields := make([][]byte, n)
	for i := range fields {
		fields[i] = []byte("field:" + strconv.Itoa(i))
		h.Set(fields[i], []byte("value"), l)
	}
	b.Run("Get", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			h.Get(fields[i%n])
		}
	})
	b.Run("Set", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			h.Set(fields[i%n], []byte("other"), l)
		}
	})
}

func BenchmarkListpack16(b *testing.B)  { benchHash(b, 16) }
func BenchmarkListpack128(b *testing.B) { benchHash(b, 128) }
func BenchmarkHashtable1k(b *testing.B) { benchHash(b, 1000) }

// BenchmarkSmallHashes builds many three-field hashes and reports the heap
// bytes each costs, the figure the memory target is about.
func BenchmarkSmallHashes(b *testing.B) {
	for i := 0; i < b.N; i++ {
		h := New()
		h.Set([]byte("name"), []byte("user"+strconv.Itoa(i)), lim)
		h.Set([]byte("age"), []byte("42"), lim)
		h.Set([]byte("city"), []byte("Paris"), lim)
	}
}

// TestCountWidth crosses the one-byte limit of the pair count both ways.
func TestCountWidth(t *testing.T) {
	h := New()
	l := Limits{MaxEntries: 1000, MaxValue: 64}
	for i := 0; i < 300; i++ {
		h.Set([]byte(strconv.Itoa(i)), []byte("v"+strconv.Itoa(i)), l)
	}
	if h.Len() != 300 || !h.IsCompact() {
		t.Fatal(h.Len(), h.Encoding())
	}
	for i := 0; i < 300; i += 2 {
		if !h.Delete([]byte(strconv.Itoa(i))) {
			t.Fatal("delete", i)
		}
	}
	if h.Len() != 150 {
		t.Fatal(h.Len())
	}
	i := 1
	h.Range(func(f, v []byte) bool {
		if string(f) != strconv.Itoa(i) || string(v) != "v"+strconv.Itoa(i) {
			t.Fatalf("at %d: %s=%s", i, f, v)
		}
		i += 2
		return true
	})
	for i := 1; i < 300; i += 2 {
		h.Delete([]byte(strconv.Itoa(i)))
	}
	if h.Len() != 0 || h.lp != nil {
		t.Fatal("not empty")
	}
}

func TestSize(t *testing.T) {
	if s := unsafe.Sizeof(Hash{}); s != 32 {
		t.Fatalf("Hash is %d bytes", s)
	}
}
