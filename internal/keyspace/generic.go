package keyspace

// Operations of the keyspace ("generic") commands: RENAME, MOVE, COPY,
// RANDOMKEY and the lookups that read without touching.

// PeekRead is Peek for commands that only read (EXISTS, TYPE, TTL, OBJECT):
// it removes an expired key, leaves the access time alone, and counts the
// hit or miss for INFO as Redis's lookupKeyReadWithFlags(LOOKUP_NOTOUCH)
// does.
func (db *DB) PeekRead(key []byte) *Entry {
	e := db.Peek(key)
	if e == nil {
		db.ks.Misses++
	} else {
		db.ks.Hits++
	}
	return e
}

// Expired reports whether an entry met while walking the database (KEYS,
// SCAN) is past its deadline. It removes nothing: a walk must not change
// the table it walks.
func (db *DB) Expired(e *Entry) bool { return e.Expire != 0 && e.Expire < db.ks.Now }

// StrEnc is a string's encoding when it is not the one its bytes imply.
// By default a string is "int" when it is the canonical form of a 64-bit
// integer of up to 20 characters (and then shared when it is 0..9999),
// "embstr" up to 44 bytes, "raw" beyond, or "raw" whenever RawStr is set.
type StrEnc uint8

const (
	// StrEncAuto: the encoding follows from the bytes and RawStr.
	StrEncAuto StrEnc = iota
	// StrEncText: kept as text even when it looks like an integer, as
	// Redis keeps INCRBYFLOAT's results ("embstr", or "raw" past 44
	// bytes).
	StrEncText
	// StrEncIntUnshared: an integer with an object of its own, never a
	// shared one, as COPY makes of an integer (reference count 1).
	StrEncIntUnshared
)

// Limits of Redis's string encodings.
const (
	maxIntEncLen    = 20
	maxEmbstrEncLen = 44
)

// StringEncoding names the encoding Redis would report for a string
// entry: "int", "embstr" or "raw".
func (e *Entry) StringEncoding() string {
	switch {
	case e.RawStr:
		return "raw"
	case e.StrEnc == StrEncIntUnshared:
		return "int"
	case e.StrEnc == StrEncAuto && len(e.Str) <= maxIntEncLen && isInt(e.Str):
		return "int"
	case len(e.Str) <= maxEmbstrEncLen:
		return "embstr"
	}
	return "raw"
}

// isInt reports whether b is an integer as Redis's string2ll reads one:
// an optional '-', no leading zeros, no other character, within int64.
func isInt(b []byte) bool {
	if len(b) == 0 || len(b) > 20 {
		return false
	}
	if len(b) == 1 && b[0] == '0' {
		return true
	}
	neg := b[0] == '-'
	digits := b
	if neg {
		digits = b[1:]
	}
	if len(digits) == 0 || digits[0] < '1' || digits[0] > '9' {
		return false
	}
	var v uint64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
		d := uint64(c - '0')
		if v > (1<<64-1-d)/10 {
			return false
		}
		v = v*10 + d
	}
	if neg {
		return v <= 1<<63
	}
	return v <= 1<<63-1
}

// CloneEntry returns a deep copy of e for COPY: a string's bytes are
// copied, and any other value through Object.Copy, which every aggregate
// type implements. The copy keeps the deadline and, as Redis's
// dupStringObject does, the string's encoding; a copied integer gets an
// object of its own, so it is never a shared one.
func CloneEntry(e *Entry) Entry {
	c := Entry{Type: e.Type, Expire: e.Expire, RawStr: e.RawStr, StrEnc: e.StrEnc}
	if e.Type == TypeString && e.StringEncoding() == "int" {
		c.StrEnc = StrEncIntUnshared
	}
	if e.Str != nil {
		c.Str = append(make([]byte, 0, len(e.Str)), e.Str...)
	}
	if e.Obj != nil {
		c.Obj = e.Obj.(Object).Copy()
	}
	return c
}

// Rename moves the value of src to dst, replacing whatever dst held, with
// src's deadline. The caller has checked that src exists and differs from
// dst. Both keys are signalled as modified.
func (db *DB) Rename(src, dst []byte) {
	p := db.keys.PtrBytes(src)
	if p == nil {
		return
	}
	e := *p
	db.Set(dst, e)
	db.Delete(src)
}

// MoveTo moves key, with its deadline, to another database where it does
// not exist (MOVE). The caller has checked both; it reports whether the
// key was moved.
func (db *DB) MoveTo(dst *DB, key []byte) bool {
	p := db.Peek(key)
	if p == nil || dst == db {
		return false
	}
	e := *p
	dst.Set(key, e)
	db.Delete(key)
	return true
}

// RandomLiveKey returns a random key that has not expired, removing the
// expired keys it meets on the way as Redis's dbRandomKey does, or "" and
// false once the database is empty.
func (db *DB) RandomLiveKey() (string, bool) {
	for {
		k, e, ok := db.keys.Random(db.ks.Rand)
		if !ok {
			return "", false
		}
		if e.Expire != 0 && e.Expire < db.ks.Now {
			db.expire([]byte(k))
			continue
		}
		return k, true
	}
}

// FlushAll empties every database, returning how many keys there were.
func (ks *Keyspace) FlushAll() int {
	n := 0
	for _, db := range ks.DBs {
		n += db.Flush()
	}
	return n
}
