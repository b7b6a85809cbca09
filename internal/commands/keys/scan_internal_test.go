package keys

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/moonkv/moonkv/internal/keyspace"
)

// TestScanExpiredTypeNone: Redis 7.0.15, with active expiry off, returns
// an expired key to SCAN ... TYPE none (and removes it), and no other
// filter returns one.
func TestScanExpiredTypeNone(t *testing.T) {
	clk := &keyspace.FakeClock{Ms: 1_700_000_000_000}
	ks := keyspace.New(1, clk)
	db := ks.DBs[0]
	put := func(k string, ttl time.Duration) {
		e := keyspace.Entry{Type: keyspace.TypeString, Str: []byte("v")}
		if ttl > 0 {
			e.Expire = clk.Ms + ttl.Milliseconds()
		}
		db.Set([]byte(k), e)
	}
	run := func(o ScanOptions) []string {
		o.Count = 100
		_, got := scanKeys(db, 0, o)
		slices.Sort(got)
		return got
	}
	put("live", 0)
	put("gone", time.Millisecond)
	clk.Advance(time.Second)
	ks.Tick()
	if got := run(ScanOptions{Type: "string", HasType: true}); fmt.Sprint(got) != "[live]" {
		t.Fatalf("TYPE string: %v", got)
	}
	if db.Len() != 1 {
		t.Fatal("the expired key was not removed")
	}
	put("gone", time.Millisecond)
	clk.Advance(time.Second)
	ks.Tick()
	if got := run(ScanOptions{Type: "NONE", HasType: true}); fmt.Sprint(got) != "[gone]" {
		t.Fatalf("TYPE none: %v", got)
	}
	if db.Len() != 1 {
		t.Fatal("the expired key was not removed")
	}
	put("gone", time.Millisecond)
	clk.Advance(time.Second)
	ks.Tick()
	if got := run(ScanOptions{}); fmt.Sprint(got) != "[live]" {
		t.Fatalf("no filter: %v", got)
	}
	if got := run(ScanOptions{Type: "none", HasType: true}); len(got) != 0 {
		t.Fatalf("TYPE none with no expired key: %v", got)
	}
}
