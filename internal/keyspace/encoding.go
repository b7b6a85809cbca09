package keyspace

// Encoding is the encoding OBJECT ENCODING and DEBUG OBJECT report.
func (e *Entry) Encoding() string {
	if e.Type == TypeString {
		return e.StringEncoding()
	}
	return e.Obj.(Object).Encoding()
}

// sharedIntegers is the count of small integers Redis keeps as shared
// objects (OBJ_SHARED_INTEGERS), and sharedRefCount their reference count
// as OBJECT REFCOUNT reports it (OBJ_SHARED_REFCOUNT).
const (
	sharedIntegers = 10000
	sharedRefCount = 2147483647
)

// RefCount is what OBJECT REFCOUNT and DEBUG OBJECT report: Redis keeps
// one object per value except the integers 0..9999, which are shared
// unless an LRU or LFU eviction policy needs a clock per value
// (clockPerValue).
func (e *Entry) RefCount(clockPerValue bool) int64 {
	if e.Type != TypeString || e.StrEnc == StrEncIntUnshared || e.StringEncoding() != "int" || clockPerValue {
		return 1
	}
	v, ok := parseSmallInt(e.Str)
	if !ok || v < 0 || v >= sharedIntegers {
		return 1
	}
	return sharedRefCount
}

// parseSmallInt reads the decimal text of an int-encoded string.
func parseSmallInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}
