package script

import (
	"crypto/sha1"
	"encoding/hex"
)

// Script is one cached script: its body, its SHA1 and its shebang flags.
// Compiled belongs to the VM (its handle for the compiled function).
type Script struct {
	SHA   string // 40 lower-case hex digits
	Body  []byte
	Flags Flags
	// Skip is the length of the shebang line the VM must not compile.
	Skip     int
	Compiled any

	// cached is the cache's bookkeeping: LRU links, how the script was
	// loaded, its run statistics (evict.go, stats.go).
	cached cacheEntry
}

// SHA1Hex is the lower-case hex SHA1 of b, as Redis names scripts.
func SHA1Hex(b []byte) string {
	sum := sha1.Sum(b)
	return hex.EncodeToString(sum[:])
}

// normSHA lower-cases a SHA argument into buf, returning false when it
// cannot name a script (Redis only looks up 40-character names).
func normSHA(buf *[40]byte, sha []byte) bool {
	if len(sha) != 40 {
		return false
	}
	for i, c := range sha {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return true
}
