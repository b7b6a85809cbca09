package keyspace

// Writes of the string family that need more than Set/SetString: SET's
// store through the entry its lookup already found (one hash lookup on the
// hot path), and in-place changes that must mark the value raw.

// OverwriteString replaces the value of a live key whose entry e came from
// Lookup (the pointer is still valid: nothing was deleted since) with the
// string val. The deadline becomes at (0: none) unless keepTTL keeps the
// current one.
func (db *DB) OverwriteString(key []byte, e *Entry, val []byte, at int64, keepTTL bool) {
	old := e.Expire
	if keepTTL {
		at = old
	}
	*e = Entry{Str: val, Type: TypeString, Expire: at, LRU: db.ks.LRUClock()}
	db.syncExpire(key, old, at)
	db.Modified(key)
}

// AddString creates key, which Lookup has just reported absent, holding
// the string val with the deadline at (0: none). raw marks a value built
// in place (SETRANGE or SETBIT on a new key), which Redis encodes raw.
// It returns the new entry, valid until the key is deleted.
func (db *DB) AddString(key []byte, val []byte, at int64, raw bool) *Entry {
	p, _ := db.keys.Upsert(string(key))
	old := p.Expire
	*p = Entry{Str: val, Type: TypeString, Expire: at, RawStr: raw, LRU: db.ks.LRUClock()}
	db.syncExpire(key, old, at)
	db.Modified(key)
	return p
}

// ReplaceStringValue changes the value of the live string key whose entry
// e came from Lookup, keeping its deadline (INCR, INCRBYFLOAT: Redis's
// dbOverwrite). The new value is freshly encoded, so not raw.
func (db *DB) ReplaceStringValue(key []byte, e *Entry, val []byte) {
	e.Str = val
	e.RawStr = false
	e.StrEnc = StrEncAuto
	db.Modified(key)
}

// ModifiedRaw signals an in-place change of the string at e (APPEND,
// SETRANGE, SETBIT, BITFIELD), which Redis reports as encoding raw.
func (db *DB) ModifiedRaw(key []byte, e *Entry) {
	e.RawStr = true
	db.Modified(key)
}
