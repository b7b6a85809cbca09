package keyspace

import (
	"math/rand/v2"

	"github.com/moonkv/moonkv/internal/dict"
)

// Keyspace is the set of databases.
type Keyspace struct {
	DBs []*DB

	// Now is the time the current execution unit runs at, in Unix ms.
	Now   int64
	Clock Clock

	// OnModified is the one mutation hook: it runs for every key that is
	// written, deleted or expired. The server installs it.
	OnModified func(db *DB, key []byte)
	// OnExpired runs when a key is removed because its deadline passed,
	// after OnModified. The server uses it to propagate a DEL.
	OnExpired func(db *DB, key []byte)

	// Dirty counts changes since the last save, as Redis's server.dirty.
	Dirty int64
	// ExpiredKeys counts keys removed by expiry (INFO expired_keys).
	ExpiredKeys int64
	// Hits and Misses count read lookups (INFO keyspace_hits/misses).
	Hits, Misses int64

	Rand *rand.Rand

	// Limits are the encoding thresholds (see Limits).
	Limits Limits

	// snap is the open snapshot, if any (see Snapshot).
	snap *Snapshot
}

// New returns a keyspace of n empty databases.
func New(n int, clock Clock) *Keyspace {
	if clock == nil {
		clock = SystemClock{}
	}
	ks := &Keyspace{Clock: clock, Rand: rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())), Limits: DefaultLimits()}
	ks.DBs = make([]*DB, n)
	for i := range ks.DBs {
		ks.DBs[i] = newDB(ks, i)
	}
	ks.Now = clock.NowMs()
	return ks
}

// Tick sets Now from the clock; the server calls it at the start of each
// execution unit.
func (ks *Keyspace) Tick() { ks.Now = ks.Clock.NowMs() }

// Swap exchanges the contents of databases a and b (SWAPDB). Clients stay
// connected to the index they selected, so they see the other data.
func (ks *Keyspace) Swap(a, b int) {
	da, db := ks.DBs[a], ks.DBs[b]
	da.captureAll()
	da.keys, db.keys = db.keys, da.keys
	da.expires, db.expires = db.expires, da.expires
}

// lruTicksPerSec is the resolution of the access clock. Redis keeps whole
// seconds, so a key touched at x.999 and read at x+1.001 is "1 second
// idle"; 64 ticks a second make OBJECT IDLETIME the floor of the real
// idle time (to within a tick; whole seconds stay exact) while a uint32
// still spans two years before the modular difference in IdleMs wraps.
const lruTicksPerSec = 64

// LRUClock is the current time on the access clock Entry.LRU is kept in.
func (ks *Keyspace) LRUClock() uint32 { return uint32(ks.Now * lruTicksPerSec / 1000) }

// IdleMs is the time since e was last accessed, in milliseconds.
func (ks *Keyspace) IdleMs(e *Entry) int64 {
	return int64(ks.LRUClock()-e.LRU) * 1000 / lruTicksPerSec
}

func newDB(ks *Keyspace, id int) *DB {
	return &DB{ID: id, ks: ks, keys: dict.New[Entry](), expires: dict.New[struct{}]()}
}
