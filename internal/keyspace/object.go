package keyspace

import "github.com/moonkv/moonkv/internal/rerr"

// Object is what every non-string value stored in Entry.Obj implements
// (hashes, lists, sets, sorted sets), so that generic commands can work on
// any type without knowing it.
type Object interface {
	// Encoding is the name OBJECT ENCODING reports, chosen by the same
	// size thresholds Redis uses (listpack, quicklist, hashtable, intset,
	// skiplist).
	Encoding() string
	// Copy returns a deep copy (COPY).
	Copy() Object
	// MemUsage estimates the bytes the value occupies (MEMORY USAGE).
	MemUsage() int
	// Len is the number of elements; an aggregate that becomes empty is
	// deleted by the command that emptied it.
	Len() int
}

// Limits are the size thresholds at which compact encodings convert to
// their general form (the *-max-listpack-* and set-max-intset-entries
// configuration parameters). CONFIG SET changes them at run time; they
// only affect values created or grown afterwards, as in Redis.
type Limits struct {
	HashMaxListpackEntries int
	HashMaxListpackValue   int
	SetMaxIntsetEntries    int
	ZSetMaxListpackEntries int
	ZSetMaxListpackValue   int
	ListMaxListpackSize    int // >0 entries per node, <0 bytes class (-1..-5: 4KB..64KB)
	ListCompressDepth      int
}

// DefaultLimits are Redis 7.0's defaults.
func DefaultLimits() Limits {
	return Limits{
		HashMaxListpackEntries: 512,
		HashMaxListpackValue:   64,
		SetMaxIntsetEntries:    512,
		ZSetMaxListpackEntries: 128,
		ZSetMaxListpackValue:   64,
		ListMaxListpackSize:    -2,
		ListCompressDepth:      0,
	}
}

// ObjectOf returns the aggregate of type typ stored at key, as the T its
// family stores: the zero T when the key is missing, rerr.WrongType when
// it holds another type. read selects LookupRead (which counts keyspace
// hits and misses) over Lookup.
func ObjectOf[T Object](db *DB, key []byte, typ Type, read bool) (T, error) {
	var e *Entry
	if read {
		e = db.LookupRead(key)
	} else {
		e = db.Lookup(key)
	}
	var zero T
	if e == nil {
		return zero, nil
	}
	if e.Type != typ {
		return zero, rerr.WrongType
	}
	return e.Obj.(T), nil
}
