package server

import "github.com/moonkv/moonkv/internal/keyspace"

// SignalReadyInDB wakes the clients blocked on keys of db that now hold a
// value. SWAPDB calls it for both databases after swapping them, as
// Redis's scanDatabaseForReadyKeys does: no key was written, so the
// mutation hook did not see the keys appear. The caller holds the lock.
func (s *Server) SignalReadyInDB(db *keyspace.DB) {
	for bk := range s.blk.waiters {
		if bk.db == db.ID && db.Exists([]byte(bk.key)) {
			s.signalReady(bk.db, []byte(bk.key))
		}
	}
}
