package keyspace

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// A snapshot taken while random writes interleave with its steps must
// emit exactly the keyspace of the instant it began: every key once, with
// the value it had then.
func TestSnapshotIsOneInstant(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewPCG(seed, seed))
		ks := New(3, &FakeClock{Ms: 1000})
		for i := 0; i < 500; i++ {
			ks.DBs[rng.IntN(3)].SetString([]byte(fmt.Sprint("k", rng.IntN(400))), []byte(fmt.Sprint("v", i)), false)
		}
		want := map[string]string{}
		for _, db := range ks.DBs {
			db.Range(func(k string, e *Entry) bool {
				want[fmt.Sprint(db.ID, "/", k)] = string(e.Str)
				return true
			})
		}
		got := map[string]string{}
		snap := ks.BeginSnapshot(func(db int, k string, e *Entry) {
			id := fmt.Sprint(db, "/", k)
			if _, dup := got[id]; dup {
				t.Fatalf("seed %d: %s emitted twice", seed, id)
			}
			got[id] = string(e.Str)
		})
		for done := false; !done; {
			done = snap.Step(1 + rng.IntN(20))
			for j := 0; j < 30; j++ {
				db := ks.DBs[rng.IntN(3)]
				key := []byte(fmt.Sprint("k", rng.IntN(600)))
				switch rng.IntN(4) {
				case 0:
					db.Delete(key)
				case 1:
					if e := db.Lookup(key); e != nil {
						e.Str = append([]byte(nil), "changed-in-place"...)
						db.Modified(key)
					}
				default:
					db.SetString(key, []byte("new"), false)
				}
			}
			if rng.IntN(50) == 0 {
				ks.Swap(0, 1)
				// swapping finishes the snapshot first
			}
		}
		snap.Close()
		if len(got) != len(want) {
			t.Fatalf("seed %d: emitted %d keys, want %d", seed, len(got), len(want))
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("seed %d: %s = %q, want %q", seed, k, got[k], v)
			}
		}
	}
}
