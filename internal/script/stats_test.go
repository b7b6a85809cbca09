package script

import (
	"math"
	"math/rand"
	"slices"
	"testing"
)

// TestHistIndex: buckets are contiguous and ordered, every value lies in
// its bucket, and a bucket's upper bound is at most 12.5% above any value
// it holds.
func TestHistIndex(t *testing.T) {
	prevUpper := int64(-1)
	for i := 0; i < histBuckets; i++ {
		up := histUpper(i)
		if up <= prevUpper {
			t.Fatalf("bucket %d upper %d after %d", i, up, prevUpper)
		}
		lo := prevUpper + 1
		if histIndex(lo) != i || histIndex(up) != i {
			t.Fatalf("bucket %d [%d,%d]: indexes %d %d", i, lo, up, histIndex(lo), histIndex(up))
		}
		if lo > 0 && float64(up) > float64(lo)*1.125+1 {
			t.Fatalf("bucket %d [%d,%d] wider than 12.5%%", i, lo, up)
		}
		prevUpper = up
	}
	if prevUpper != histMaxNs {
		t.Fatalf("last upper %d, want %d", prevUpper, int64(histMaxNs))
	}
	for _, v := range []int64{-5, 1 << 41, 1<<63 - 1} {
		if i := histIndex(v); i < 0 || i >= histBuckets {
			t.Fatalf("histIndex(%d) = %d", v, i)
		}
	}
}

// TestQuantileModel compares the histogram's p99 with the exact p99 of
// the recorded values: never below it, at most 12.5% above.
func TestQuantileModel(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for trial := 0; trial < 200; trial++ {
		var h histogram
		n := 1 + rng.Intn(5000)
		vals := make([]int64, n)
		for i := range vals {
			// a log-uniform spread from 100 ns to 10 s
			v := int64(100 * math.Pow(10, rng.Float64()*8))
			vals[i] = v
			h.add(v)
		}
		slices.Sort(vals)
		rank := (99*n + 99) / 100 // ceil(0.99 n)
		exact := vals[rank-1]
		got := h.quantile(0.99)
		if got < exact || float64(got) > float64(exact)*1.125+1 {
			t.Fatalf("n=%d: p99 %d, exact %d", n, got, exact)
		}
	}
	var h histogram
	if h.quantile(0.99) != 0 {
		t.Fatal("empty histogram has a p99")
	}
}

// TestHistSaturation: a counter about to overflow halves them all, and the
// quantiles keep their place.
func TestHistSaturation(t *testing.T) {
	var h histogram
	h[histIndex(1000)] = ^uint32(0)
	h[histIndex(1e6)] = ^uint32(0) / 50
	h.add(1000)
	if h[histIndex(1000)] != ^uint32(0)/2+1 {
		t.Fatalf("count after halving: %d", h[histIndex(1000)])
	}
	if got := h.quantile(0.99); got != histUpper(histIndex(1e6)) {
		t.Fatalf("p99 after halving: %d", got)
	}
}

func TestRunStatsRecord(t *testing.T) {
	var st runStats
	st.record(0, false, true)
	if st.calls != 1 || st.errors != 1 || st.hist != nil || st.totalNs != 0 {
		t.Fatalf("refused run: %+v", st)
	}
	st.record(1500, true, false)
	st.record(2500, true, true)
	if st.calls != 3 || st.errors != 2 || st.totalNs != 4000 || st.hist == nil {
		t.Fatalf("runs: %+v", st)
	}
	allocs := testing.AllocsPerRun(1000, func() { st.record(1234, true, false) })
	if allocs != 0 {
		t.Fatalf("record allocates %v times", allocs)
	}
}

func TestKeyRepr(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"user:1", `"user:1"`},
		{"a\"b\\c", `"a\"b\\c"`},
		{"\n\r\t\a\b\x00\xff", `"\n\r\t\a\b\x00\xff"`},
	} {
		if got := keyRepr([]byte(c.in)); got != c.want {
			t.Errorf("keyRepr(%q) = %s, want %s", c.in, got, c.want)
		}
	}
	long := make([]byte, 200)
	for i := range long {
		long[i] = 'k'
	}
	if got := keyRepr(long); len(got) != 128+2+3 {
		t.Errorf("long key: %d bytes", len(got))
	}
}

func TestKeyCheckDeclared(t *testing.T) {
	for _, n := range []int{0, 1, 3, keyScanMax, keyScanMax + 1, 100} {
		var k keyCheck
		keys := make([][]byte, n)
		for i := range keys {
			keys[i] = []byte{'k', byte(i), byte(i >> 8)}
		}
		for round := 0; round < 2; round++ {
			k.begin(keys, true)
			for i := range keys {
				if !k.declared([]byte{'k', byte(i), byte(i >> 8)}) {
					t.Fatalf("n=%d: key %d not declared", n, i)
				}
			}
			if k.declared([]byte("other")) {
				t.Fatalf("n=%d: undeclared key found", n)
			}
			k.end()
		}
	}
	// a smaller run after a larger one does not see the larger's keys
	var k keyCheck
	big := make([][]byte, 40)
	for i := range big {
		big[i] = []byte{byte('A' + i)}
	}
	k.begin(big, true)
	k.declared([]byte("x"))
	k.end()
	k.begin(big[20:], true)
	if k.declared([]byte("A")) || !k.declared([]byte{'A' + 25}) {
		t.Fatal("key set not rebuilt for the next run")
	}
}

// BenchmarkCheckKeys is the undeclared-key check of one redis.call of a
// script that declares its keys (GET KEYS[2] with three KEYS).
func BenchmarkCheckKeys(b *testing.B) {
	reg := testRegistry()
	spec := reg.Lookup([]byte("get"))
	e := &Engine{}
	r := &Run{E: e, Script: &Script{}}
	e.cs.kc.begin([][]byte{[]byte("user:1000:a"), []byte("user:1000:b"), []byte("user:1000:n")}, true)
	args := [][]byte{[]byte("get"), []byte("user:1000:b")}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r.checkKeys(spec, args)
	}
	if r.Script.cached.stats.undeclared != 0 {
		b.Fatal("declared key counted")
	}
}

// BenchmarkRecord is SCRIPT STATS's bookkeeping of one run.
func BenchmarkRecord(b *testing.B) {
	var st runStats
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		st.record(int64(1000+i&1023), true, false)
	}
}
