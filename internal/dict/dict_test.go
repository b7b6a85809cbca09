package dict

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
)

// check compares the dict with the model: length, every model key, and a
// full Range.
func check(t *testing.T, d *Dict[int], model map[string]int) {
	t.Helper()
	if d.Len() != len(model) {
		t.Fatalf("Len = %d, model has %d", d.Len(), len(model))
	}
	for k, v := range model {
		if got, ok := d.Get(k); !ok || got != v {
			t.Fatalf("Get(%q) = %d, %v; want %d", k, got, ok, v)
		}
	}
	n := 0
	d.Range(func(k string, v int) bool {
		n++
		if mv, ok := model[k]; !ok || mv != v {
			t.Fatalf("Range gave %q=%d, model has %d, %v", k, v, mv, ok)
		}
		return true
	})
	if n != len(model) {
		t.Fatalf("Range visited %d, model has %d", n, len(model))
	}
}

// TestModel runs random operations against a Go map. The key space is
// small enough that sets hit existing keys, and the phases alternate
// between mostly inserting and mostly deleting so the table grows and
// shrinks (and is often mid-rehash) many times.
func TestModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	d := New[int]()
	model := map[string]int{}
	for phase := 0; phase < 12; phase++ {
		// sets outnumber deletes in even phases, and the reverse in odd ones
		sets, deletes := 6, 3
		if phase%2 == 1 {
			sets, deletes = 3, 6
		}
		for i := 0; i < 4000; i++ {
			k := strconv.Itoa(rng.IntN(3000))
			switch r := rng.IntN(10); {
			case r < sets:
				v := rng.Int()
				_, existed := model[k]
				if added := d.Set(k, v); added == existed {
					t.Fatalf("Set(%q) added=%v, but existed=%v", k, added, existed)
				}
				model[k] = v
			case r < sets+deletes:
				mv, existed := model[k]
				v, ok := d.Delete(k)
				if ok != existed || (ok && v != mv) {
					t.Fatalf("Delete(%q) = %d, %v; model %d, %v", k, v, ok, mv, existed)
				}
				delete(model, k)
			default:
				mv, existed := model[k]
				if v, ok := d.Get(k); ok != existed || v != mv {
					t.Fatalf("Get(%q) = %d, %v; model %d, %v", k, v, ok, mv, existed)
				}
				if p := d.PtrBytes([]byte(k)); (p != nil) != existed || (p != nil && *p != mv) {
					t.Fatalf("PtrBytes(%q) disagrees with the model", k)
				}
			}
		}
		check(t, d, model)
	}
	// Upsert and Ptr write through.
	p, added := d.Upsert("fresh")
	*p = 42
	if !added || *d.Ptr("fresh") != 42 {
		t.Fatal("Upsert/Ptr")
	}
	d.Clear()
	if d.Len() != 0 || d.Ptr("fresh") != nil {
		t.Fatal("Clear")
	}
}

// TestScanGuarantee: every key present for a whole iteration is returned,
// while keys are added and removed between calls so that the table grows,
// shrinks and rehashes under the cursor.
func TestScanGuarantee(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for round := 0; round < 40; round++ {
		d := New[int]()
		var live []string // the dict's keys, for picking one to delete
		start := 50 + rng.IntN(3000)
		for len(live) < start {
			k := fmt.Sprint("k", rng.IntN(1_000_000))
			if d.Set(k, 0) {
				live = append(live, k)
			}
		}
		// keys present now and never deleted during the iteration
		stable := map[string]bool{}
		for _, k := range live {
			stable[k] = true
		}
		seen := map[string]bool{}
		grow := round%2 == 0
		added := 0
		var cursor uint64
		for calls := 0; ; calls++ {
			cursor = d.Scan(cursor, func(k string, _ int) { seen[k] = true })
			if cursor == 0 {
				break
			}
			if calls > 1<<20 {
				t.Fatal("Scan does not finish")
			}
			// Churn between calls: growth is capped so that the
			// iteration can catch up with the table.
			for j := rng.IntN(4); j > 0; j-- {
				switch {
				case grow && added < 3*start:
					k := fmt.Sprint("n", rng.IntN(1_000_000))
					if d.Set(k, 0) {
						live = append(live, k)
						added++
					}
				case !grow && len(live) > 10:
					i := rng.IntN(len(live))
					k := live[i]
					live[i] = live[len(live)-1]
					live = live[:len(live)-1]
					d.Delete(k)
					delete(stable, k)
				}
			}
		}
		if grow && len(live) < 2*start || !grow && len(live) > start/2+10 {
			t.Logf("round %d: table went from %d to %d keys", round, start, len(live))
		}
		for k := range stable {
			if !seen[k] {
				t.Fatalf("round %d (grow=%v): %q present throughout but not returned", round, grow, k)
			}
		}
	}
}

func TestScanEmptyAndSmall(t *testing.T) {
	d := New[int]()
	if c := d.Scan(0, func(string, int) { t.Fatal("visited an empty dict") }); c != 0 {
		t.Fatalf("cursor %d on an empty dict", c)
	}
	d.Set("a", 1)
	d.Set("b", 2)
	seen := map[string]bool{}
	for c := d.Scan(0, func(k string, _ int) { seen[k] = true }); c != 0; c = d.Scan(c, func(k string, _ int) { seen[k] = true }) {
	}
	if len(seen) != 2 {
		t.Fatalf("saw %v", seen)
	}
}

func TestRandomSmall(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	d := New[int]()
	if _, _, ok := d.Random(rng); ok {
		t.Fatal("Random on an empty dict")
	}
	for i := 0; i < 5; i++ {
		d.Set(strconv.Itoa(i), i)
	}
	counts := map[string]int{}
	for i := 0; i < 5000; i++ {
		k, v, ok := d.Random(rng)
		if !ok || strconv.Itoa(v) != k {
			t.Fatalf("Random = %q, %d, %v", k, v, ok)
		}
		counts[k]++
	}
	for i := 0; i < 5; i++ {
		if c := counts[strconv.Itoa(i)]; c < 300 {
			t.Errorf("key %d drawn %d times in 5000", i, c)
		}
	}
}

// TestRandomRehashing draws while a rehash is in progress: every draw is a
// live element, and both the old and the new table are drawn from.
func TestRandomRehashing(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 9))
	d := New[int]()
	n := 0
	for ; !(d.rehashing() && n > 1000); n++ {
		d.Set(strconv.Itoa(n), n)
	}
	if !d.rehashing() {
		t.Fatal("not rehashing")
	}
	fromOld, fromNew := 0, 0
	for i := 0; i < 200 && d.rehashing(); i++ {
		k, v, ok := d.Random(rng)
		if !ok || strconv.Itoa(v) != k {
			t.Fatalf("Random = %q, %d, %v", k, v, ok)
		}
		h := d.hashString(k)
		if inTable(&d.t[0], h, k) {
			fromOld++
		} else if inTable(&d.t[1], h, k) {
			fromNew++
		} else {
			t.Fatalf("%q in neither table", k)
		}
	}
	if fromOld == 0 || fromNew == 0 {
		t.Errorf("draws while rehashing: %d from the old table, %d from the new", fromOld, fromNew)
	}
	// after a deletion-heavy phase, a shrinking rehash
	for i := 0; i < n-3; i++ {
		d.Delete(strconv.Itoa(i))
	}
	seen := map[string]bool{}
	for i := 0; i < 300; i++ {
		k, _, ok := d.Random(rng)
		if !ok {
			t.Fatal("no element")
		}
		seen[k] = true
	}
	if len(seen) != 3 {
		t.Errorf("drew %v from 3 elements", seen)
	}
}

func inTable(t *table[int], h uint64, k string) bool {
	if t.buckets == nil {
		return false
	}
	for e := t.buckets[h&t.mask]; e != nil; e = e.next {
		if e.key == k {
			return true
		}
	}
	return false
}

const benchN = 1 << 16

func benchKeys() []string {
	keys := make([]string, benchN)
	for i := range keys {
		keys[i] = "key:" + strconv.Itoa(i)
	}
	return keys
}

func BenchmarkSet(b *testing.B) {
	keys := benchKeys()
	b.Run("dict", func(b *testing.B) {
		d := New[int]()
		for i := 0; i < b.N; i++ {
			d.Set(keys[i&(benchN-1)], i)
		}
	})
	b.Run("map", func(b *testing.B) {
		m := map[string]int{}
		for i := 0; i < b.N; i++ {
			m[keys[i&(benchN-1)]] = i
		}
	})
}

func BenchmarkGet(b *testing.B) {
	keys := benchKeys()
	d := New[int]()
	m := map[string]int{}
	for i, k := range keys {
		d.Set(k, i)
		m[k] = i
	}
	d.RehashFor(1 << 30)
	b.Run("dict", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, ok := d.Get(keys[i&(benchN-1)]); !ok {
				b.Fatal("miss")
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, ok := m[keys[i&(benchN-1)]]; !ok {
				b.Fatal("miss")
			}
		}
	})
}

// BenchmarkDelete deletes and re-inserts, so the table keeps its size.
func BenchmarkDelete(b *testing.B) {
	keys := benchKeys()
	b.Run("dict", func(b *testing.B) {
		d := New[int]()
		for i, k := range keys {
			d.Set(k, i)
		}
		for i := 0; i < b.N; i++ {
			k := keys[i&(benchN-1)]
			d.Delete(k)
			d.Set(k, i)
		}
	})
	b.Run("map", func(b *testing.B) {
		m := map[string]int{}
		for i, k := range keys {
			m[k] = i
		}
		for i := 0; i < b.N; i++ {
			k := keys[i&(benchN-1)]
			delete(m, k)
			m[k] = i
		}
	})
}

func BenchmarkRandom(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	d := New[int]()
	for i, k := range benchKeys() {
		d.Set(k, i)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.Random(rng)
	}
}
