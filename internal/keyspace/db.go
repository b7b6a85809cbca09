package keyspace

import (
	"github.com/moonkv/moonkv/internal/dict"
)

// DB is one numbered database.
type DB struct {
	ID      int
	ks      *Keyspace
	keys    *dict.Dict[Entry]
	expires *dict.Dict[struct{}] // the keys that have a deadline, for sampling
}

// Keyspace returns the keyspace the database belongs to.
func (db *DB) Keyspace() *Keyspace { return db.ks }

// Reserve sizes the tables for the keys (and keys with an expiry) about
// to be loaded.
func (db *DB) Reserve(keys, expires int) {
	db.keys.Reserve(keys)
	db.expires.Reserve(expires)
}

// Len is the number of keys, including expired ones not yet removed.
func (db *DB) Len() int { return db.keys.Len() }

// ExpiresLen is the number of keys with a deadline.
func (db *DB) ExpiresLen() int { return db.expires.Len() }

// Lookup finds a live key for reading or writing, removing it first if its
// deadline has passed, and refreshes its access time. It returns nil when
// the key does not exist. The pointer is valid until the key is deleted.
func (db *DB) Lookup(key []byte) *Entry {
	db.capture(key)
	e := db.keys.PtrBytes(key)
	if e == nil {
		return nil
	}
	if e.Expire != 0 && e.Expire < db.ks.Now {
		db.expire(key)
		return nil
	}
	e.LRU = db.ks.LRUClock()
	return e
}

// Peek is Lookup without refreshing the access time (OBJECT, TYPE-free
// introspection such as OBJECT IDLETIME, which must not reset what it reads).
func (db *DB) Peek(key []byte) *Entry {
	db.capture(key)
	e := db.keys.PtrBytes(key)
	if e == nil {
		return nil
	}
	if e.Expire != 0 && e.Expire < db.ks.Now {
		db.expire(key)
		return nil
	}
	return e
}

// LookupRead is Lookup for commands that only read, counting the hit or
// miss for INFO.
func (db *DB) LookupRead(key []byte) *Entry {
	e := db.Lookup(key)
	if e == nil {
		db.ks.Misses++
	} else {
		db.ks.Hits++
	}
	return e
}

// Exists reports whether a live key exists, without touching its access
// time.
func (db *DB) Exists(key []byte) bool { return db.Peek(key) != nil }

// Set stores e under key, replacing whatever was there (its deadline too:
// the caller copies the old Expire into e to keep it).
func (db *DB) Set(key []byte, e Entry) {
	db.capture(key)
	e.LRU = db.ks.LRUClock()
	p, _ := db.keys.Upsert(string(key))
	old := p.Expire
	*p = e
	db.syncExpire(key, old, e.Expire)
	db.Modified(key)
}

// SetString stores a string value; keepTTL keeps the key's deadline, as SET
// KEEPTTL does, otherwise the key becomes persistent.
func (db *DB) SetString(key []byte, val []byte, keepTTL bool) {
	db.capture(key)
	if p := db.keys.PtrBytes(key); p != nil {
		old := p.Expire
		if keepTTL && (old == 0 || old >= db.ks.Now) {
			*p = Entry{Str: val, Type: TypeString, Expire: old, LRU: db.ks.LRUClock()}
		} else {
			*p = Entry{Str: val, Type: TypeString, LRU: db.ks.LRUClock()}
			db.syncExpire(key, old, 0)
		}
		db.Modified(key)
		return
	}
	p, _ := db.keys.Upsert(string(key))
	*p = Entry{Str: val, Type: TypeString, LRU: db.ks.LRUClock()}
	db.Modified(key)
}

// Delete removes a key and reports whether a live key was removed.
func (db *DB) Delete(key []byte) bool {
	e := db.Peek(key)
	if e == nil {
		return false
	}
	db.remove(key, e)
	db.Modified(key)
	return true
}

func (db *DB) remove(key []byte, e *Entry) {
	if e.Expire != 0 {
		db.expires.Delete(string(key))
	}
	db.keys.Delete(string(key))
}

// Modified signals that key changed. Set and Delete call it; a command that
// changes a value in place (APPEND, HSET on an existing hash...) calls it
// itself.
func (db *DB) Modified(key []byte) {
	db.ks.Dirty++
	if db.ks.OnModified != nil {
		db.ks.OnModified(db, key)
	}
}

// SetExpire gives an existing key a deadline (Unix ms). A deadline in the
// past deletes the key, as Redis does for EXPIRE with a negative TTL; the
// caller decides when that applies and calls Delete instead.
func (db *DB) SetExpire(key []byte, at int64) {
	db.capture(key)
	p := db.keys.PtrBytes(key)
	if p == nil {
		return
	}
	old := p.Expire
	p.Expire = at
	db.syncExpire(key, old, at)
	db.Modified(key)
}

// Persist removes a key's deadline and reports whether it had one.
func (db *DB) Persist(key []byte) bool {
	p := db.Peek(key)
	if p == nil || p.Expire == 0 {
		return false
	}
	p.Expire = 0
	db.expires.Delete(string(key))
	db.Modified(key)
	return true
}

func (db *DB) syncExpire(key []byte, old, now int64) {
	switch {
	case old == 0 && now != 0:
		db.expires.Set(string(key), struct{}{})
	case old != 0 && now == 0:
		db.expires.Delete(string(key))
	}
}

// expire removes a key whose deadline has passed.
func (db *DB) expire(key []byte) {
	db.capture(key)
	p := db.keys.PtrBytes(key)
	if p == nil {
		return
	}
	db.remove(key, p)
	db.ks.ExpiredKeys++
	db.Modified(key)
	if db.ks.OnExpired != nil {
		db.ks.OnExpired(db, key)
	}
}

// Flush removes every key, reporting how many there were.
func (db *DB) Flush() int {
	db.captureAll()
	n := db.keys.Len()
	db.keys.Clear()
	db.expires.Clear()
	return n
}

// Scan visits the keys of one cursor step (see dict.Dict.Scan). Expired
// keys are passed too; the caller filters them with Exists, as Redis does.
func (db *DB) Scan(cursor uint64, fn func(key string, e *Entry)) uint64 {
	return db.keys.Scan(cursor, func(k string, e Entry) { fn(k, &e) })
}

// Range visits every key until fn returns false. fn must not modify the
// database.
func (db *DB) Range(fn func(key string, e *Entry) bool) {
	db.keys.Range(func(k string, e Entry) bool { return fn(k, &e) })
}

// RandomKey returns a random live key, or "" and false for an empty
// database. Like Redis it gives up on skipping expired keys after a while
// and returns one of them rather than loop forever on a database that
// holds only expired keys.
func (db *DB) RandomKey() (string, bool) {
	for tries := 0; ; tries++ {
		k, e, ok := db.keys.Random(db.ks.Rand)
		if !ok {
			return "", false
		}
		if e.Expire != 0 && e.Expire < db.ks.Now {
			if tries > 100 && db.expires.Len() == db.keys.Len() {
				return k, true
			}
			db.expire([]byte(k))
			continue
		}
		return k, true
	}
}

// ActiveExpire samples up to n keys with a deadline and removes the expired
// ones, returning how many it sampled and removed, so the caller can repeat
// while the expired fraction stays high (Redis's activeExpireCycle).
func (db *DB) ActiveExpire(n int) (sampled, removed int) {
	if db.expires.Len() == 0 {
		return 0, 0
	}
	for i := 0; i < n && db.expires.Len() > 0; i++ {
		k, _, _ := db.expires.Random(db.ks.Rand)
		sampled++
		if e, ok := db.keys.Get(k); ok && e.Expire != 0 && e.Expire < db.ks.Now {
			db.expire([]byte(k))
			removed++
		}
	}
	return sampled, removed
}

// RehashStep lets idle dictionaries finish an incremental rehash.
func (db *DB) RehashStep(n int) {
	db.keys.RehashFor(n)
	db.expires.RehashFor(n)
}

// IsExpired reports whether key exists with a deadline that has passed,
// without removing it (EXEC's check of watched keys).
func (db *DB) IsExpired(key []byte) bool {
	e := db.keys.PtrBytes(key)
	return e != nil && e.Expire != 0 && e.Expire < db.ks.Now
}
