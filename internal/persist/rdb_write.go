package persist

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/types/hash"
	"github.com/moonkv/moonkv/internal/types/list"
	"github.com/moonkv/moonkv/internal/types/set"
	"github.com/moonkv/moonkv/internal/types/zset"
)

// RDB opcodes and value types (Redis 7.0, RDB version 10).
const (
	rdbVersion = 10

	opFunction2    = 0xF5
	opFunction     = 0xF6
	opModuleAux    = 0xF7
	opIdle         = 0xF8
	opFreq         = 0xF9
	opAux          = 0xFA
	opResizeDB     = 0xFB
	opExpireTimeMs = 0xFC
	opExpireTime   = 0xFD
	opSelectDB     = 0xFE
	opEOF          = 0xFF

	typeString          = 0
	typeList            = 1
	typeSet             = 2
	typeZSet            = 3
	typeHash            = 4
	typeZSet2           = 5
	typeModule2         = 7
	typeHashZipmap      = 9
	typeListZiplist     = 10
	typeSetIntset       = 11
	typeZSetZiplist     = 12
	typeHashZiplist     = 13
	typeListQuicklist   = 14
	typeStreamListpacks = 15
	typeHashListpack    = 16
	typeZSetListpack    = 17
	typeListQuicklist2  = 18
	typeStream2         = 19
	typeSetListpack     = 20
	typeStream3         = 21

	encInt8  = 0
	encInt16 = 1
	encInt32 = 2
	encLZF   = 3
)

// RDBWriter writes a snapshot in Redis's RDB format. Values are written in
// their plain forms (RDB_TYPE_LIST, SET, ZSET_2, HASH), which every Redis
// since 2.x loads, re-encoding them compactly as its thresholds allow.
//
// Bytes collect in buf and reach w, and the checksum, a block at a time:
// one CRC pass and one copy per 64 KB instead of per field (through a
// bufio.Writer the per-field calls were a third of a BGSAVE's CPU).
type RDBWriter struct {
	w   io.Writer
	buf []byte // written since the last flush, not yet in crc
	crc uint64
	n   int64
	err error
	tmp [16]byte
	db  int
	// RESIZEDB hints (SetDBSizes)
	sizes  [][2]int
	hinted []bool
}

const rdbBlock = 64 * 1024

// NewRDBWriter starts an RDB stream: magic, version and auxiliary fields.
func NewRDBWriter(w io.Writer, aux map[string]string, auxOrder []string) *RDBWriter {
	r := &RDBWriter{w: w, buf: make([]byte, 0, rdbBlock+1024), db: -1}
	r.write([]byte(fmt.Sprintf("REDIS%04d", rdbVersion)))
	for _, k := range auxOrder {
		r.byte(opAux)
		r.str([]byte(k))
		r.str([]byte(aux[k]))
	}
	return r
}

func (r *RDBWriter) write(p []byte) {
	r.buf = append(r.buf, p...)
	r.n += int64(len(p))
	if len(r.buf) >= rdbBlock {
		r.flushBuf()
	}
}

// flushBuf folds buf into the checksum and hands it to w.
func (r *RDBWriter) flushBuf() {
	r.crc = crc64Update(r.crc, r.buf)
	if r.err == nil && len(r.buf) > 0 {
		_, r.err = r.w.Write(r.buf)
	}
	r.buf = r.buf[:0]
}

func (r *RDBWriter) byte(b byte) {
	r.tmp[0] = b
	r.write(r.tmp[:1])
}

// length writes Redis's variable-length integer.
func (r *RDBWriter) length(n uint64) {
	switch {
	case n < 1<<6:
		r.byte(byte(n))
	case n < 1<<14:
		r.tmp[0], r.tmp[1] = 0x40|byte(n>>8), byte(n)
		r.write(r.tmp[:2])
	case n <= math.MaxUint32:
		r.tmp[0] = 0x80
		binary.BigEndian.PutUint32(r.tmp[1:], uint32(n))
		r.write(r.tmp[:5])
	default:
		r.tmp[0] = 0x81
		binary.BigEndian.PutUint64(r.tmp[1:], n)
		r.write(r.tmp[:9])
	}
}

// str writes a string, as an integer encoding when it is the canonical
// text of a small integer (as rdbSaveRawString does).
func (r *RDBWriter) str(s []byte) {
	if len(s) <= 11 && len(s) > 0 {
		if v, err := strconv.ParseInt(string(s), 10, 64); err == nil && strconv.FormatInt(v, 10) == string(s) {
			switch {
			case v >= math.MinInt8 && v <= math.MaxInt8:
				r.tmp[0], r.tmp[1] = 0xC0|encInt8, byte(int8(v))
				r.write(r.tmp[:2])
				return
			case v >= math.MinInt16 && v <= math.MaxInt16:
				r.tmp[0] = 0xC0 | encInt16
				binary.LittleEndian.PutUint16(r.tmp[1:], uint16(int16(v)))
				r.write(r.tmp[:3])
				return
			case v >= math.MinInt32 && v <= math.MaxInt32:
				r.tmp[0] = 0xC0 | encInt32
				binary.LittleEndian.PutUint32(r.tmp[1:], uint32(int32(v)))
				r.write(r.tmp[:5])
				return
			}
		}
	}
	r.length(uint64(len(s)))
	r.write(s)
}

// SetDBSizes gives the number of keys and of keys with an expiry of each
// database (indexed by database), written as RESIZEDB hints the first time
// Entry selects each: a loader sizes its tables once instead of growing
// them key by key, as Redis's files let it.
func (r *RDBWriter) SetDBSizes(sizes [][2]int) {
	r.sizes = sizes
	r.hinted = make([]bool, len(sizes))
}

// Entry writes one key of database db with its value and deadline. A
// snapshot emits keys of different databases interleaved (pre-images are
// captured as clients touch them), so a SELECTDB is written whenever the
// database changes; RDB loaders accept that anywhere.
func (r *RDBWriter) Entry(db int, key string, e *keyspace.Entry) error {
	if db != r.db {
		r.byte(opSelectDB)
		r.length(uint64(db))
		r.db = db
		if db < len(r.sizes) && !r.hinted[db] {
			r.hinted[db] = true
			r.byte(opResizeDB)
			r.length(uint64(r.sizes[db][0]))
			r.length(uint64(r.sizes[db][1]))
		}
	}
	if e.Expire != 0 {
		r.byte(opExpireTimeMs)
		binary.LittleEndian.PutUint64(r.tmp[:8], uint64(e.Expire))
		r.write(r.tmp[:8])
	}
	switch e.Type {
	case keyspace.TypeString:
		r.byte(typeString)
		r.str([]byte(key))
		r.str(e.Str)
	case keyspace.TypeList:
		l := e.Obj.(*list.List)
		r.byte(typeList)
		r.str([]byte(key))
		r.length(uint64(l.Len()))
		l.Range(0, l.Len()-1, func(v []byte) bool { r.str(v); return true })
	case keyspace.TypeSet:
		s := e.Obj.(*set.Set)
		r.byte(typeSet)
		r.str([]byte(key))
		r.length(uint64(s.Len()))
		s.Range(func(m []byte) bool { r.str(m); return true })
	case keyspace.TypeZSet:
		z := e.Obj.(*zset.ZSet)
		r.byte(typeZSet2)
		r.str([]byte(key))
		r.length(uint64(z.Len()))
		z.Range(func(m string, score float64) bool {
			r.str([]byte(m))
			binary.LittleEndian.PutUint64(r.tmp[:8], math.Float64bits(score))
			r.write(r.tmp[:8])
			return true
		})
	case keyspace.TypeHash:
		h := e.Obj.(*hash.Hash)
		r.byte(typeHash)
		r.str([]byte(key))
		r.length(uint64(h.Len()))
		h.Range(func(f, v []byte) bool { r.str(f); r.str(v); return true })
	default:
		return fmt.Errorf("RDB: cannot save a value of type %v", e.Type)
	}
	return r.err
}

// Close writes the end marker and checksum and flushes.
func (r *RDBWriter) Close() error {
	r.byte(opEOF)
	r.flushBuf()
	binary.LittleEndian.PutUint64(r.tmp[:8], r.crc)
	if r.err == nil {
		_, r.err = r.w.Write(r.tmp[:8])
	}
	return r.err
}

// Size is the number of bytes written so far.
func (r *RDBWriter) Size() int64 { return r.n }

// Flush pushes buffered bytes to the underlying writer.
func (r *RDBWriter) Flush() error {
	r.flushBuf()
	return r.err
}
