package keyspace

// Type is a value's Redis type, as TYPE names it.
type Type uint8

const (
	TypeNone Type = iota
	TypeString
	TypeList
	TypeSet
	TypeZSet
	TypeHash
	TypeStream
)

var typeNames = [...]string{"none", "string", "list", "set", "zset", "hash", "stream"}

func (t Type) String() string { return typeNames[t] }

// Entry is what a key holds. Strings live inline in Str, so storing one
// costs no interface boxing; other types are pointers in Obj.
type Entry struct {
	Str    []byte
	Obj    any
	Expire int64 // Unix ms deadline, 0 for none
	Type   Type
	// RawStr records that a string was modified in place (APPEND,
	// SETRANGE, SETBIT...), which Redis reports as encoding "raw" whatever
	// its length.
	RawStr bool
	// StrEnc overrides the encoding a string's bytes imply, where Redis
	// keeps another one (see StrEnc in generic.go).
	StrEnc StrEnc
	// LRU is the last access time on the keyspace's access clock
	// (LRUClock), read by OBJECT IDLETIME and DEBUG OBJECT.
	LRU uint32
}
