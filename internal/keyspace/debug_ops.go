package keyspace

// RawLookup finds a key as DEBUG DIGEST-VALUE and DEBUG OBJECT do (Redis's
// dictFind on the main table): a logically expired key is still returned
// and nothing is removed or touched. The caller must not modify the entry.
func (db *DB) RawLookup(key []byte) *Entry {
	return db.keys.PtrBytes(key)
}

// ThawFinished lets the tables resize again when the open snapshot, if
// any, has been walked to its end (FLUSHALL's captureAll finishes it): a
// finished walk no longer reads cursors, so the freeze only costs chain
// length. The snapshot stays open for its owner to close. DEBUG RELOAD
// calls it between emptying the dataset and loading it back in one
// execution unit, which would otherwise fill 4-bucket tables.
func (ks *Keyspace) ThawFinished() {
	s := ks.snap
	if s == nil || s.cur < len(s.dbs) {
		return
	}
	for _, db := range ks.DBs {
		db.keys.Thaw()
	}
}
