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

// CloneEntry returns a deep copy of e for COPY: a string's bytes are
// copied, and any other value through Object.Copy, which every aggregate
// type implements. The copy keeps the deadline and, for strings, whether
// the value was raw-encoded (Redis's dupStringObject keeps the encoding).
func CloneEntry(e *Entry) Entry {
	c := Entry{Type: e.Type, Expire: e.Expire, RawStr: e.RawStr}
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
