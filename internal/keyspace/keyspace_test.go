package keyspace

import (
	"fmt"
	"testing"
	"time"
)

func newTestKS(t *testing.T) (*Keyspace, *FakeClock, *[]string) {
	t.Helper()
	clk := &FakeClock{Ms: 1_700_000_000_000}
	ks := New(4, clk)
	var events []string
	ks.OnModified = func(db *DB, key []byte) { events = append(events, fmt.Sprintf("mod %d %s", db.ID, key)) }
	ks.OnExpired = func(db *DB, key []byte) { events = append(events, fmt.Sprintf("exp %d %s", db.ID, key)) }
	return ks, clk, &events
}

func str(s string) Entry { return Entry{Type: TypeString, Str: []byte(s)} }

// TestLazyExpiry: a key past its deadline is removed by the lookup that
// meets it, which signals the change and the expiry.
func TestLazyExpiry(t *testing.T) {
	ks, clk, events := newTestKS(t)
	db := ks.DBs[0]
	e := str("v")
	e.Expire = clk.Ms + 1000
	db.Set([]byte("k"), e)
	*events = nil

	clk.Advance(time.Second)
	ks.Tick()
	if db.Lookup([]byte("k")) == nil {
		t.Fatal("a key whose deadline is now was removed")
	}
	clk.Advance(time.Millisecond)
	ks.Tick()
	if db.Len() != 1 || db.ExpiresLen() != 1 {
		t.Fatal("the key went before a lookup met it")
	}
	if !db.IsExpired([]byte("k")) {
		t.Fatal("IsExpired")
	}
	if db.Lookup([]byte("k")) != nil {
		t.Fatal("an expired key was returned")
	}
	if db.Len() != 0 || db.ExpiresLen() != 0 || ks.ExpiredKeys != 1 {
		t.Fatalf("len %d, expires %d, expired %d", db.Len(), db.ExpiresLen(), ks.ExpiredKeys)
	}
	if got := fmt.Sprint(*events); got != "[mod 0 k exp 0 k]" {
		t.Fatalf("events %s", got)
	}
	// Peek, Exists and PeekRead expire too; PeekRead counts a miss.
	e.Expire = clk.Ms + 10
	for _, look := range []func([]byte) bool{
		func(k []byte) bool { return db.Peek(k) != nil },
		db.Exists,
		func(k []byte) bool { return db.PeekRead(k) != nil },
	} {
		db.Set([]byte("k"), e)
		clk.Advance(11 * time.Millisecond)
		ks.Tick()
		if look([]byte("k")) || db.Len() != 0 {
			t.Fatal("an expired key was seen")
		}
		e.Expire = clk.Ms + 10
	}
	if ks.Misses != 1 || ks.Hits != 0 {
		t.Fatalf("hits %d misses %d", ks.Hits, ks.Misses)
	}
}

// TestActiveExpiry: sampling removes expired keys and only those.
func TestActiveExpiry(t *testing.T) {
	ks, clk, _ := newTestKS(t)
	db := ks.DBs[1]
	for i := 0; i < 500; i++ {
		e := str("v")
		e.Expire = clk.Ms + 100
		if i%5 == 0 {
			e.Expire = clk.Ms + 100_000
		}
		db.Set([]byte(fmt.Sprint("k", i)), e)
	}
	for i := 0; i < 100; i++ {
		db.Set([]byte(fmt.Sprint("p", i)), str("v"))
	}
	clk.Advance(time.Second)
	ks.Tick()
	// The cron's loop: repeat while more than a quarter of a sample had
	// expired; then keep going as later cycles would.
	for cycles := 0; db.ExpiresLen() > 100 && cycles < 1000; cycles++ {
		db.ActiveExpire(20)
	}
	if db.ExpiresLen() != 100 || db.Len() != 200 {
		t.Fatalf("after active expiry: %d keys, %d with a deadline", db.Len(), db.ExpiresLen())
	}
	if ks.ExpiredKeys != 400 {
		t.Fatalf("expired %d", ks.ExpiredKeys)
	}
	for i := 0; i < 500; i += 5 {
		if db.Peek([]byte(fmt.Sprint("k", i))) == nil {
			t.Fatalf("k%d removed before its deadline", i)
		}
	}
	if s, r := ks.DBs[0].ActiveExpire(20); s != 0 || r != 0 {
		t.Fatal("sampled a database without deadlines")
	}
}

// TestRandomSkipsExpired: RANDOMKEY never returns an expired key and
// removes those it meets.
func TestRandomSkipsExpired(t *testing.T) {
	ks, clk, _ := newTestKS(t)
	db := ks.DBs[0]
	for i := 0; i < 300; i++ {
		e := str("v")
		e.Expire = clk.Ms + 10
		db.Set([]byte(fmt.Sprint("e", i)), e)
	}
	db.Set([]byte("live"), str("v"))
	clk.Advance(time.Second)
	ks.Tick()
	for i := 0; i < 50; i++ {
		if k, ok := db.RandomLiveKey(); !ok || k != "live" {
			t.Fatalf("RandomLiveKey = %q, %v", k, ok)
		}
	}
	if db.Len() > 301 {
		t.Fatal("nothing was removed")
	}
	// RandomKey has the same contract while some key is alive.
	for i := 0; i < 50; i++ {
		if k, ok := db.RandomKey(); !ok || k != "live" {
			t.Fatalf("RandomKey = %q, %v", k, ok)
		}
	}
	db.Delete([]byte("live"))
	e := str("v")
	e.Expire = clk.Ms + 10
	db.Set([]byte("last"), e)
	clk.Advance(time.Second)
	ks.Tick()
	if k, ok := db.RandomLiveKey(); ok {
		t.Fatalf("RandomLiveKey = %q from a database of expired keys", k)
	}
	if db.Len() != 0 {
		t.Fatalf("%d keys left", db.Len())
	}
}

// fakeObj is an aggregate value for the COPY test.
type fakeObj struct{ items []string }

func (o *fakeObj) Encoding() string { return "listpack" }
func (o *fakeObj) Copy() Object     { return &fakeObj{items: append([]string(nil), o.items...)} }
func (o *fakeObj) MemUsage() int    { return len(o.items) }
func (o *fakeObj) Len() int         { return len(o.items) }

func TestCloneEntry(t *testing.T) {
	e := Entry{Type: TypeString, Str: []byte("abc"), Expire: 42, RawStr: true}
	c := CloneEntry(&e)
	c.Str[0] = 'X'
	if string(e.Str) != "abc" || c.Expire != 42 || !c.RawStr {
		t.Fatalf("string clone: %+v from %+v", c, e)
	}
	if c := CloneEntry(&Entry{Type: TypeString, Str: []byte{}}); c.Str == nil {
		t.Fatal("the empty string became nil")
	}
	o := &fakeObj{items: []string{"a"}}
	e = Entry{Type: TypeList, Obj: o}
	c = CloneEntry(&e)
	c.Obj.(*fakeObj).items[0] = "changed"
	if o.items[0] != "a" || c.Type != TypeList {
		t.Fatal("aggregate clone shares its elements")
	}
}

func TestRenameMoveSwapFlush(t *testing.T) {
	ks, clk, events := newTestKS(t)
	db0, db1 := ks.DBs[0], ks.DBs[1]
	e := str("v")
	e.Expire = clk.Ms + 5000
	db0.Set([]byte("a"), e)
	db0.Set([]byte("b"), str("old"))
	*events = nil
	db0.Rename([]byte("a"), []byte("b"))
	if got := fmt.Sprint(*events); got != "[mod 0 b mod 0 a]" {
		t.Fatalf("events %s", got)
	}
	if db0.Exists([]byte("a")) || db0.ExpiresLen() != 1 {
		t.Fatal("source still there")
	}
	if b := db0.Peek([]byte("b")); b == nil || string(b.Str) != "v" || b.Expire != e.Expire {
		t.Fatalf("b = %+v", b)
	}
	// renaming onto a key with a deadline drops that deadline
	db0.Set([]byte("c"), str("c"))
	db0.Rename([]byte("c"), []byte("b"))
	if b := db0.Peek([]byte("b")); b.Expire != 0 || db0.ExpiresLen() != 0 {
		t.Fatal("the destination kept its deadline")
	}

	db0.Set([]byte("m"), e)
	*events = nil
	if !db0.MoveTo(db1, []byte("m")) {
		t.Fatal("MoveTo")
	}
	if got := fmt.Sprint(*events); got != "[mod 1 m mod 0 m]" {
		t.Fatalf("events %s", got)
	}
	if db0.Exists([]byte("m")) || db1.Peek([]byte("m")).Expire != e.Expire || db1.ExpiresLen() != 1 {
		t.Fatal("move lost the key or its deadline")
	}
	if db0.MoveTo(db1, []byte("nosuch")) || db1.MoveTo(db1, []byte("m")) {
		t.Fatal("moved what cannot be moved")
	}

	ks.Swap(0, 1)
	if !ks.DBs[0].Exists([]byte("m")) || !ks.DBs[1].Exists([]byte("b")) || ks.DBs[0].ID != 0 {
		t.Fatal("Swap")
	}
	if n := ks.FlushAll(); n != 2 || ks.DBs[0].Len()+ks.DBs[1].Len() != 0 || ks.DBs[0].ExpiresLen() != 0 {
		t.Fatalf("FlushAll removed %d", n)
	}
}

// TestExpiredDuringWalk: Expired tells a walk which entries to skip
// without removing them.
func TestExpiredDuringWalk(t *testing.T) {
	ks, clk, _ := newTestKS(t)
	db := ks.DBs[0]
	e := str("v")
	e.Expire = clk.Ms + 10
	db.Set([]byte("x"), e)
	db.Set([]byte("y"), str("v"))
	clk.Advance(time.Second)
	ks.Tick()
	var live []string
	db.Range(func(k string, e *Entry) bool {
		if !db.Expired(e) {
			live = append(live, k)
		}
		return true
	})
	if fmt.Sprint(live) != "[y]" || db.Len() != 2 {
		t.Fatalf("live %v, len %d", live, db.Len())
	}
}

func TestStringEncoding(t *testing.T) {
	cases := []struct {
		s    string
		enc  StrEnc
		raw  bool
		want string
	}{
		{"0", StrEncAuto, false, "int"},
		{"-9223372036854775808", StrEncAuto, false, "int"},
		{"9223372036854775807", StrEncAuto, false, "int"},
		{"9223372036854775808", StrEncAuto, false, "embstr"},
		{"-9223372036854775809", StrEncAuto, false, "embstr"},
		{"01", StrEncAuto, false, "embstr"},
		{"-0", StrEncAuto, false, "embstr"},
		{"+1", StrEncAuto, false, "embstr"},
		{"-", StrEncAuto, false, "embstr"},
		{"", StrEncAuto, false, "embstr"},
		{"12", StrEncAuto, true, "raw"},
		{"7", StrEncText, false, "embstr"},
		{"7", StrEncIntUnshared, false, "int"},
		{"12345678901234567890123456789012345678901234", StrEncAuto, false, "embstr"},
		{"123456789012345678901234567890123456789012345", StrEncAuto, false, "raw"},
		{"123456789012345678901234567890123456789012345", StrEncText, false, "raw"},
	}
	for _, c := range cases {
		e := Entry{Type: TypeString, Str: []byte(c.s), StrEnc: c.enc, RawStr: c.raw}
		if got := e.StringEncoding(); got != c.want {
			t.Errorf("%q (enc %d, raw %v): %s, want %s", c.s, c.enc, c.raw, got, c.want)
		}
	}
	// A copied integer has an object of its own; other encodings stay.
	for _, c := range []struct {
		e    Entry
		want StrEnc
	}{
		{Entry{Type: TypeString, Str: []byte("5")}, StrEncIntUnshared},
		{Entry{Type: TypeString, Str: []byte("5"), StrEnc: StrEncText}, StrEncText},
		{Entry{Type: TypeString, Str: []byte("abc")}, StrEncAuto},
		{Entry{Type: TypeString, Str: []byte("5"), RawStr: true}, StrEncAuto},
	} {
		if got := CloneEntry(&c.e); got.StrEnc != c.want || got.StringEncoding() != c.e.StringEncoding() {
			t.Errorf("clone of %+v: StrEnc %d (%s), want %d", c.e, got.StrEnc, got.StringEncoding(), c.want)
		}
	}
}
