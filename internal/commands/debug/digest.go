package debug

import (
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/types/hash"
	"github.com/moonkv/moonkv/internal/types/list"
	"github.com/moonkv/moonkv/internal/types/set"
	"github.com/moonkv/moonkv/internal/types/zset"
)

// A digest is 20 bytes. Unordered things (keys, set members, hash pairs,
// sorted-set pairs) are combined by XOR of their SHA1s, so their order
// does not matter; ordered things (a list, the parts of one element) are
// "mixed": XOR the SHA1 in, then replace the digest by its own SHA1.
type digest [20]byte

func (d *digest) xor(p []byte) {
	h := sha1.Sum(p)
	for i := range d {
		d[i] ^= h[i]
	}
}

func (d *digest) mix(p []byte) {
	d.xor(p)
	*d = sha1.Sum(d[:])
}

func (d *digest) hex() string { return hex.EncodeToString(d[:]) }

// redisType is the type number Redis digests (OBJ_STRING=0 ... OBJ_HASH=4,
// OBJ_STREAM=6).
func redisType(t keyspace.Type) uint32 {
	switch t {
	case keyspace.TypeString:
		return 0
	case keyspace.TypeList:
		return 1
	case keyspace.TypeSet:
		return 2
	case keyspace.TypeZSet:
		return 3
	case keyspace.TypeHash:
		return 4
	}
	return 6
}

var expireMark = []byte("!!expire!!")

// valueDigest mixes a value into d as Redis's xorObjectDigest does: its
// type, its contents, and a mark when the key has a deadline.
func valueDigest(d *digest, e *keyspace.Entry) {
	var aux [4]byte
	binary.BigEndian.PutUint32(aux[:], redisType(e.Type))
	d.mix(aux[:])
	switch e.Type {
	case keyspace.TypeString:
		d.mix(e.Str)
	case keyspace.TypeList:
		l := e.Obj.(*list.List)
		l.Range(0, l.Len()-1, func(v []byte) bool { d.mix(v); return true })
	case keyspace.TypeSet:
		e.Obj.(*set.Set).Range(func(m []byte) bool { d.xor(m); return true })
	case keyspace.TypeZSet:
		var buf []byte
		e.Obj.(*zset.ZSet).Range(func(m string, score float64) bool {
			var ed digest
			ed.mix([]byte(m))
			// Redis 7.0 formats the score with "%.17g" here
			buf = resp.AppendDouble(buf[:0], score)
			ed.mix(buf)
			d.xor(ed[:])
			return true
		})
	case keyspace.TypeHash:
		e.Obj.(*hash.Hash).Range(func(f, v []byte) bool {
			var ed digest
			ed.mix(f)
			ed.mix(v)
			d.xor(ed[:])
			return true
		})
	}
	if e.Expire != 0 {
		d.xor(expireMark)
	}
}

// datasetDigest is DEBUG DIGEST: every non-empty database's number mixed
// into the result, then each key's digest (its name mixed with its
// value's digest) XORed in. Logically expired keys not yet removed count,
// as in Redis.
func datasetDigest(ks *keyspace.Keyspace) digest {
	var final digest
	for _, db := range ks.DBs {
		if db.Len() == 0 {
			continue
		}
		var aux [4]byte
		binary.BigEndian.PutUint32(aux[:], uint32(db.ID))
		final.mix(aux[:])
		db.Range(func(k string, e *keyspace.Entry) bool {
			var kd digest
			kd.mix([]byte(k))
			valueDigest(&kd, e)
			final.xor(kd[:])
			return true
		})
	}
	return final
}
