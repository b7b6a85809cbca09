package keyspace

// RawLookup finds a key as DEBUG DIGEST-VALUE and DEBUG OBJECT do (Redis's
// dictFind on the main table): a logically expired key is still returned
// and nothing is removed or touched. The caller must not modify the entry.
func (db *DB) RawLookup(key []byte) *Entry {
	return db.keys.PtrBytes(key)
}
