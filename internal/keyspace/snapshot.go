package keyspace

// Snapshot produces every key of the keyspace as it was at one instant —
// for BGSAVE and AOF rewrites — without stopping clients for the whole
// walk and without forking.
//
// The walk runs in steps under the execution lock; commands run between
// steps. Consistency comes from capturing pre-images: while a snapshot is
// open, any access to a key the walk has not reached yet first emits the
// key's current value (the value it had at the snapshot's instant, since
// nothing has changed it before) and marks it seen, so the walk skips it
// later; a key that does not exist yet is marked seen too, so a key
// created after the instant is never emitted. Each database's table is
// frozen (no resizing) for the walk, which lets the cursor alone tell
// which keys have been passed.
//
// Emit receives the entry by pointer and must serialize it before
// returning: the value may change right after.
type Snapshot struct {
	ks   *Keyspace
	emit func(db int, key string, e *Entry)
	dbs  []dbSnap
	cur  int // database being walked
}

type dbSnap struct {
	cursor uint64
	done   bool
	seen   map[string]struct{}
}

// BeginSnapshot opens a snapshot of the whole keyspace at this instant.
// Only one can be open at a time.
func (ks *Keyspace) BeginSnapshot(emit func(db int, key string, e *Entry)) *Snapshot {
	if ks.snap != nil {
		panic("keyspace: a snapshot is already open")
	}
	s := &Snapshot{ks: ks, emit: emit, dbs: make([]dbSnap, len(ks.DBs))}
	for i, db := range ks.DBs {
		db.keys.Freeze()
		s.dbs[i].seen = map[string]struct{}{}
	}
	ks.snap = s
	return s
}

// Step walks up to about n keys and reports whether the snapshot is
// complete.
func (s *Snapshot) Step(n int) bool {
	for n > 0 && s.cur < len(s.dbs) {
		db, st := s.ks.DBs[s.cur], &s.dbs[s.cur]
		if st.done || db.keys.Len() == 0 {
			st.done = true
			s.cur++
			continue
		}
		st.cursor = db.keys.ScanPtr(st.cursor, func(k string, p *Entry) {
			n--
			if len(st.seen) > 0 {
				if _, ok := st.seen[k]; ok {
					return
				}
			}
			s.emit(db.ID, k, p)
		})
		if st.cursor == 0 {
			st.done = true
			s.cur++
		}
	}
	return s.cur >= len(s.dbs)
}

// Finish walks whatever is left.
func (s *Snapshot) Finish() {
	for !s.Step(1 << 30) {
	}
}

// Close ends the snapshot (finished or abandoned) and lets the tables
// resize again.
func (s *Snapshot) Close() {
	if s.ks.snap != s {
		return
	}
	s.ks.snap = nil
	for _, db := range s.ks.DBs {
		db.keys.Thaw()
	}
}

// capture emits key's pre-image if the walk has not passed it yet. Every
// DB accessor that can lead to a change calls it first.
func (db *DB) capture(key []byte) {
	s := db.ks.snap
	if s == nil {
		return
	}
	st := &s.dbs[db.ID]
	if st.done || db.keys.Visited(key, st.cursor) {
		return
	}
	if _, ok := st.seen[string(key)]; ok {
		return
	}
	k := string(key)
	st.seen[k] = struct{}{}
	if p := db.keys.Ptr(k); p != nil {
		s.emit(db.ID, k, p)
	}
}

// captureAll completes the walk of db before an operation that changes
// all of it at once (FLUSHDB, FLUSHALL, SWAPDB).
func (db *DB) captureAll() {
	s := db.ks.snap
	if s == nil {
		return
	}
	s.Finish()
}
