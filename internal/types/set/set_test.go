package set

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"testing"
)

func TestParseInt(t *testing.T) {
	for s, ok := range map[string]bool{"0": true, "-1": true, "12": true, "01": false, "-0": false, "+1": false,
		"": false, "1a": false, " 1": false, "9223372036854775807": true, "9223372036854775808": false,
		"-9223372036854775808": true, "-": false} {
		if _, got := ParseInt([]byte(s)); got != ok {
			t.Errorf("ParseInt(%q) ok=%v", s, got)
		}
	}
}

func TestIntsetOrderAndConversion(t *testing.T) {
	s := New()
	for _, m := range []string{"10", "-5", "3", "10"} {
		s.Add([]byte(m), 4)
	}
	if fmt.Sprintf("%s", s.Members()) != "[-5 3 10]" || s.Encoding() != "intset" {
		t.Fatalf("%s %s", s.Members(), s.Encoding())
	}
	s.Add([]byte("7"), 4)
	if s.Encoding() != "intset" {
		t.Fatal("converted too early")
	}
	s.Add([]byte("8"), 4)
	if s.Encoding() != "hashtable" || s.Len() != 5 {
		t.Fatal("no conversion on size")
	}
	s2 := New()
	s2.Add([]byte("1"), 512)
	s2.Add([]byte("01"), 512)
	if s2.Encoding() != "hashtable" || !s2.Has([]byte("1")) || !s2.Has([]byte("01")) {
		t.Fatal("non-canonical integer")
	}
}

func TestModel(t *testing.T) {
	for _, max := range []int{0, 16, 512} {
		rng := rand.New(rand.NewPCG(2, uint64(max)))
		s := New()
		m := map[string]bool{}
		for i := 0; i < 5000; i++ {
			var x string
			if rng.IntN(10) == 0 {
				x = "s" + strconv.Itoa(rng.IntN(10))
			} else {
				x = strconv.Itoa(rng.IntN(60) - 30)
			}
			switch rng.IntN(4) {
			case 0, 1:
				if s.Add([]byte(x), max) == m[x] {
					t.Fatalf("Add(%s)", x)
				}
				m[x] = true
			case 2:
				if s.Remove([]byte(x)) != m[x] {
					t.Fatalf("Remove(%s)", x)
				}
				delete(m, x)
			case 3:
				if s.Has([]byte(x)) != m[x] {
					t.Fatalf("Has(%s)", x)
				}
				if s.Len() > 0 && rng.IntN(8) == 0 {
					p := string(s.Pop(rng))
					if !m[p] {
						t.Fatalf("popped %s, not a member", p)
					}
					delete(m, p)
				}
			}
			if s.Len() != len(m) {
				t.Fatalf("Len %d want %d", s.Len(), len(m))
			}
		}
		var got []string
		c := uint64(0)
		for {
			c = s.Scan(c, func(b []byte) { got = append(got, string(b)) })
			if c == 0 {
				break
			}
		}
		var want []string
		for k := range m {
			want = append(want, k)
		}
		sort.Strings(got)
		sort.Strings(want)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("scan %v want %v", got, want)
		}
		if s.IsIntset() {
			var prev int64
			for i, b := range s.Members() {
				n, _ := strconv.ParseInt(string(b), 10, 64)
				if i > 0 && n <= prev {
					t.Fatal("intset not sorted")
				}
				prev = n
			}
		}
		if c := s.Clone(); c.Len() != s.Len() || c.Encoding() != s.Encoding() {
			t.Fatal("clone")
		}
		if s.Len() > 0 && !m[string(s.Random(rng))] {
			t.Fatal("random")
		}
	}
}

func benchSet(b *testing.B, n int, prefix string) {
	s := New()
	ms := make([][]byte, n)
	for i := range ms {
		ms[i] = []byte(prefix + strconv.Itoa(i))
		s.Add(ms[i], 512)
	}
	b.Run("Has", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s.Has(ms[i%n])
		}
	})
	b.Run("AddExisting", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			s.Add(ms[i%n], 512)
		}
	})
}

func BenchmarkIntset512(b *testing.B)    { benchSet(b, 512, "") }
func BenchmarkHashtable10k(b *testing.B) { benchSet(b, 10000, "m") }

// TestIntsetWidths mixes members of every width against a sorted model.
func TestIntsetWidths(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	s := New()
	m := map[int64]bool{}
	pick := func() int64 {
		switch rng.IntN(4) {
		case 0:
			return int64(rng.IntN(200)) - 100
		case 1:
			return int64(rng.IntN(1<<20)) - 1<<19
		case 2:
			return int64(rng.Uint64())
		}
		return []int64{-1 << 63, 1<<63 - 1, -1 << 31, 1<<31 - 1, -1 << 15, 1<<15 - 1, 1 << 15, -1<<15 - 1}[rng.IntN(8)]
	}
	for i := 0; i < 3000; i++ {
		v := pick()
		b := []byte(strconv.FormatInt(v, 10))
		if rng.IntN(3) == 0 {
			if s.Remove(b) != m[v] {
				t.Fatalf("Remove(%d)", v)
			}
			delete(m, v)
		} else {
			if s.Add(b, 1<<20) == m[v] {
				t.Fatalf("Add(%d)", v)
			}
			m[v] = true
		}
		if !s.IsIntset() || s.Len() != len(m) {
			t.Fatal("encoding or length")
		}
	}
	var want []int64
	for v := range m {
		want = append(want, v)
	}
	sort.Slice(want, func(i, j int) bool { return want[i] < want[j] })
	var got []int64
	s.Range(func(b []byte) bool {
		n, _ := strconv.ParseInt(string(b), 10, 64)
		got = append(got, n)
		return true
	})
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatal("members differ from the model")
	}
	small := New()
	for i := 0; i < 100; i++ {
		small.Add([]byte(strconv.Itoa(i)), 512)
	}
	if small.is.width() != 2 || len(small.is) != 1+200 {
		t.Fatalf("small members take %d bytes", len(small.is))
	}
}
