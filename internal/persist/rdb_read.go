package persist

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/types/hash"
	"github.com/moonkv/moonkv/internal/types/list"
	"github.com/moonkv/moonkv/internal/types/set"
	"github.com/moonkv/moonkv/internal/types/zset"
)

// maxRDBAlloc bounds what one length field may make the loader allocate up
// front, so a corrupt file is an error, not an out-of-memory crash.
const maxRDBAlloc = 64 << 20

// RDBLoadStats tells what LoadRDB did.
type RDBLoadStats struct {
	Keys    int
	Expired int // keys skipped because their deadline had passed
	Aux     map[string]string
	// Functions are the codes of the function libraries, in file order;
	// the caller loads them (package persist knows no scripting).
	Functions [][]byte
}

type rdbReader struct {
	r   *bufio.Reader
	crc uint64
	buf []byte
	off int64
}

func (r *rdbReader) read(n int) ([]byte, error) {
	if n > maxRDBAlloc {
		// large values are read in pieces, growing as data arrives
		out := make([]byte, 0, maxRDBAlloc)
		for len(out) < n {
			chunk := min(n-len(out), maxRDBAlloc)
			p, err := r.read(chunk)
			if err != nil {
				return nil, err
			}
			out = append(out, p...)
		}
		return out, nil
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(r.r, p); err != nil {
		return nil, unexpected(err)
	}
	r.crc = crc64Update(r.crc, p)
	r.off += int64(n)
	return p, nil
}

func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

func (r *rdbReader) byte() (byte, error) {
	b, err := r.r.ReadByte()
	if err != nil {
		return 0, unexpected(err)
	}
	r.tmp1(b)
	return b, nil
}

func (r *rdbReader) tmp1(b byte) {
	r.crc = crc64Update(r.crc, []byte{b})
	r.off++
}

// length reads a length; enc reports a special string encoding instead.
func (r *rdbReader) length() (n uint64, enc int, err error) {
	b, err := r.byte()
	if err != nil {
		return 0, -1, err
	}
	switch b >> 6 {
	case 0:
		return uint64(b & 0x3f), -1, nil
	case 1:
		b2, err := r.byte()
		return uint64(b&0x3f)<<8 | uint64(b2), -1, err
	case 2:
		switch b {
		case 0x80:
			p, err := r.read(4)
			if err != nil {
				return 0, -1, err
			}
			return uint64(binary.BigEndian.Uint32(p)), -1, nil
		case 0x81:
			p, err := r.read(8)
			if err != nil {
				return 0, -1, err
			}
			return binary.BigEndian.Uint64(p), -1, nil
		}
		return 0, -1, fmt.Errorf("unknown length encoding %#x", b)
	}
	return 0, int(b & 0x3f), nil
}

func (r *rdbReader) count() (int, error) {
	n, enc, err := r.length()
	if err != nil {
		return 0, err
	}
	if enc >= 0 || n > math.MaxInt32 {
		return 0, fmt.Errorf("invalid element count")
	}
	return int(n), nil
}

func (r *rdbReader) str() ([]byte, error) {
	n, enc, err := r.length()
	if err != nil {
		return nil, err
	}
	switch enc {
	case -1:
		if n > 1<<40 {
			return nil, fmt.Errorf("string length %d too large", n)
		}
		return r.read(int(n))
	case encInt8:
		b, err := r.byte()
		return strconv.AppendInt(nil, int64(int8(b)), 10), err
	case encInt16:
		p, err := r.read(2)
		if err != nil {
			return nil, err
		}
		return strconv.AppendInt(nil, int64(int16(binary.LittleEndian.Uint16(p))), 10), nil
	case encInt32:
		p, err := r.read(4)
		if err != nil {
			return nil, err
		}
		return strconv.AppendInt(nil, int64(int32(binary.LittleEndian.Uint32(p))), 10), nil
	case encLZF:
		clen, _, err := r.length()
		if err != nil {
			return nil, err
		}
		ulen, _, err := r.length()
		if err != nil {
			return nil, err
		}
		if clen > 1<<40 || ulen > 1<<40 {
			return nil, fmt.Errorf("LZF lengths too large")
		}
		c, err := r.read(int(clen))
		if err != nil {
			return nil, err
		}
		return lzfDecompress(c, int(ulen))
	}
	return nil, fmt.Errorf("unknown string encoding %d", enc)
}

// sizeHint is how many bytes src holds, when it can tell (a file, a byte
// reader); 4 MB otherwise.
func sizeHint(src io.Reader) int {
	switch v := src.(type) {
	case interface{ Stat() (os.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			return int(min(fi.Size(), 1<<40))
		}
	case interface{ Len() int }:
		return v.Len()
	}
	return 4 << 20
}

// LoadRDB reads an RDB stream into ks (which should be empty). Keys whose
// deadline has passed are skipped, as a Redis master does.
func LoadRDB(src io.Reader, ks *keyspace.Keyspace) (RDBLoadStats, error) {
	st := RDBLoadStats{Aux: map[string]string{}}
	r := &rdbReader{r: bufio.NewReaderSize(src, 64*1024)}
	magic, err := r.read(9)
	if err != nil {
		return st, fmt.Errorf("short RDB header: %w", err)
	}
	if string(magic[:5]) != "REDIS" {
		return st, fmt.Errorf("wrong signature trying to load DB from file")
	}
	ver, err := strconv.Atoi(string(magic[5:]))
	if err != nil || ver < 1 || ver > rdbVersion {
		return st, fmt.Errorf("can't handle RDB format version %s", magic[5:])
	}
	db := ks.DBs[0]
	var expire int64 = -1
	for {
		op, err := r.byte()
		if err != nil {
			return st, err
		}
		switch op {
		case opEOF:
			if ver >= 5 {
				sum := r.crc
				p := make([]byte, 8)
				if _, err := io.ReadFull(r.r, p); err != nil {
					return st, unexpected(err)
				}
				if got := binary.LittleEndian.Uint64(p); got != 0 && got != sum {
					return st, fmt.Errorf("wrong RDB checksum %#x, expected %#x", got, sum)
				}
			}
			return st, nil
		case opSelectDB:
			n, err := r.count()
			if err != nil {
				return st, err
			}
			if n >= len(ks.DBs) {
				return st, fmt.Errorf("FATAL: Data file was created with a Redis server configured to handle more than %d databases", len(ks.DBs))
			}
			db = ks.DBs[n]
			continue
		case opResizeDB:
			keys, err := r.count()
			if err != nil {
				return st, err
			}
			expires, err := r.count()
			if err != nil {
				return st, err
			}
			// a hint, bounded so that a corrupt file cannot make us
			// allocate what its keys would not fill: a key takes at
			// least 3 bytes of the file
			bound := sizeHint(src)/3 + 1024
			db.Reserve(min(keys, bound), min(expires, bound))
			continue
		case opAux:
			k, err := r.str()
			if err != nil {
				return st, err
			}
			v, err := r.str()
			if err != nil {
				return st, err
			}
			st.Aux[string(k)] = string(v)
			continue
		case opExpireTimeMs:
			p, err := r.read(8)
			if err != nil {
				return st, err
			}
			expire = int64(binary.LittleEndian.Uint64(p))
			continue
		case opExpireTime:
			p, err := r.read(4)
			if err != nil {
				return st, err
			}
			expire = int64(binary.LittleEndian.Uint32(p)) * 1000
			continue
		case opIdle:
			if _, err := r.count(); err != nil {
				return st, err
			}
			continue
		case opFreq:
			if _, err := r.byte(); err != nil {
				return st, err
			}
			continue
		case opFunction2, opFunction:
			code, msg := r.function(op)
			if msg != "" {
				return st, fmt.Errorf("%s", msg)
			}
			st.Functions = append(st.Functions, code)
			continue
		case opModuleAux:
			return st, fmt.Errorf("the RDB holds module data, which moonkv cannot load")
		}
		key, err := r.str()
		if err != nil {
			return st, err
		}
		e, err := r.value(op, &ks.Limits)
		if err != nil {
			return st, fmt.Errorf("key %q: %w", key, err)
		}
		if expire >= 0 {
			e.Expire = expire
			if e.Expire == 0 {
				e.Expire = 1 // a deadline at the epoch is still a deadline
			}
		}
		expire = -1
		if e.Expire != 0 && e.Expire < ks.Now {
			st.Expired++
			continue
		}
		db.Set(key, e)
		st.Keys++
	}
}

func (r *rdbReader) value(t byte, lim *keyspace.Limits) (keyspace.Entry, error) {
	switch t {
	case typeString:
		s, err := r.str()
		return keyspace.Entry{Type: keyspace.TypeString, Str: s}, err
	case typeList:
		n, err := r.count()
		if err != nil {
			return keyspace.Entry{}, err
		}
		l := list.New(lim.ListMaxListpackSize)
		for i := 0; i < n; i++ {
			v, err := r.str()
			if err != nil {
				return keyspace.Entry{}, err
			}
			l.PushBack(v)
		}
		return listEntry(l)
	case typeSet:
		n, err := r.count()
		if err != nil {
			return keyspace.Entry{}, err
		}
		s := set.New()
		for i := 0; i < n; i++ {
			m, err := r.str()
			if err != nil {
				return keyspace.Entry{}, err
			}
			s.Add(m, lim.SetMaxIntsetEntries)
		}
		return setEntry(s)
	case typeZSet, typeZSet2:
		n, err := r.count()
		if err != nil {
			return keyspace.Entry{}, err
		}
		z := zset.New(lim)
		for i := 0; i < n; i++ {
			m, err := r.str()
			if err != nil {
				return keyspace.Entry{}, err
			}
			var score float64
			if t == typeZSet2 {
				p, err := r.read(8)
				if err != nil {
					return keyspace.Entry{}, err
				}
				score = math.Float64frombits(binary.LittleEndian.Uint64(p))
			} else {
				l, err := r.byte()
				if err != nil {
					return keyspace.Entry{}, err
				}
				switch l {
				case 253:
					score = math.NaN()
				case 254:
					score = math.Inf(1)
				case 255:
					score = math.Inf(-1)
				default:
					p, err := r.read(int(l))
					if err != nil {
						return keyspace.Entry{}, err
					}
					score, err = strconv.ParseFloat(string(p), 64)
					if err != nil {
						return keyspace.Entry{}, fmt.Errorf("bad zset score")
					}
				}
			}
			if math.IsNaN(score) {
				return keyspace.Entry{}, fmt.Errorf("zset score is NaN")
			}
			z.Add(m2s(m), score, 0)
		}
		return zsetEntry(z)
	case typeHash:
		n, err := r.count()
		if err != nil {
			return keyspace.Entry{}, err
		}
		h := hash.New()
		hl := hashLimits(lim)
		for i := 0; i < n; i++ {
			f, err := r.str()
			if err != nil {
				return keyspace.Entry{}, err
			}
			v, err := r.str()
			if err != nil {
				return keyspace.Entry{}, err
			}
			h.Set(f, v, hl)
		}
		return hashEntry(h)
	case typeSetIntset:
		blob, err := r.str()
		if err != nil {
			return keyspace.Entry{}, err
		}
		members, err := parseIntset(blob)
		if err != nil {
			return keyspace.Entry{}, err
		}
		s := set.New()
		for _, m := range members {
			s.Add(m, lim.SetMaxIntsetEntries)
		}
		return setEntry(s)
	case typeListZiplist, typeZSetZiplist, typeHashZiplist, typeHashListpack, typeZSetListpack:
		blob, err := r.str()
		if err != nil {
			return keyspace.Entry{}, err
		}
		var elems [][]byte
		if t == typeHashListpack || t == typeZSetListpack {
			elems, err = parseListpack(blob)
		} else {
			elems, err = parseZiplist(blob)
		}
		if err != nil {
			return keyspace.Entry{}, err
		}
		return fromFlat(t, elems, lim)
	case typeListQuicklist, typeListQuicklist2:
		nodes, err := r.count()
		if err != nil {
			return keyspace.Entry{}, err
		}
		l := list.New(lim.ListMaxListpackSize)
		for i := 0; i < nodes; i++ {
			container := uint64(2)
			if t == typeListQuicklist2 {
				if container, _, err = r.length(); err != nil {
					return keyspace.Entry{}, err
				}
			}
			blob, err := r.str()
			if err != nil {
				return keyspace.Entry{}, err
			}
			if container == 1 { // a plain node holds one large element
				l.PushBack(blob)
				continue
			}
			var elems [][]byte
			if t == typeListQuicklist2 {
				elems, err = parseListpack(blob)
			} else {
				elems, err = parseZiplist(blob)
			}
			if err != nil {
				return keyspace.Entry{}, err
			}
			for _, v := range elems {
				l.PushBack(v)
			}
		}
		return listEntry(l)
	case typeStreamListpacks, typeStream2, typeStream3:
		return keyspace.Entry{}, fmt.Errorf("streams are not supported by moonkv yet")
	case typeModule2:
		return keyspace.Entry{}, fmt.Errorf("module values cannot be loaded")
	case typeSetListpack:
		return keyspace.Entry{}, fmt.Errorf("set listpack encoding (RDB 11, Redis 7.2) is newer than this RDB version 10 loader")
	}
	return keyspace.Entry{}, fmt.Errorf("unknown RDB value type %d", t)
}

func fromFlat(t byte, elems [][]byte, lim *keyspace.Limits) (keyspace.Entry, error) {
	switch t {
	case typeListZiplist:
		l := list.New(lim.ListMaxListpackSize)
		for _, v := range elems {
			l.PushBack(v)
		}
		return listEntry(l)
	case typeZSetZiplist, typeZSetListpack:
		if len(elems)%2 != 0 {
			return keyspace.Entry{}, fmt.Errorf("zset listpack with an odd number of elements")
		}
		z := zset.New(lim)
		for i := 0; i < len(elems); i += 2 {
			score, err := strconv.ParseFloat(string(elems[i+1]), 64)
			if err != nil || math.IsNaN(score) {
				return keyspace.Entry{}, fmt.Errorf("bad zset score %q", elems[i+1])
			}
			z.Add(m2s(elems[i]), score, 0)
		}
		return zsetEntry(z)
	default: // hashes
		if len(elems)%2 != 0 {
			return keyspace.Entry{}, fmt.Errorf("hash listpack with an odd number of elements")
		}
		h := hash.New()
		hl := hashLimits(lim)
		for i := 0; i < len(elems); i += 2 {
			h.Set(elems[i], elems[i+1], hl)
		}
		return hashEntry(h)
	}
}

func m2s(b []byte) string { return string(b) }

func hashLimits(lim *keyspace.Limits) hash.Limits {
	return hash.Limits{MaxEntries: lim.HashMaxListpackEntries, MaxValue: lim.HashMaxListpackValue}
}

func listEntry(l *list.List) (keyspace.Entry, error) {
	if l.Len() == 0 {
		return keyspace.Entry{}, fmt.Errorf("empty list")
	}
	return keyspace.Entry{Type: keyspace.TypeList, Obj: l}, nil
}

func setEntry(s *set.Set) (keyspace.Entry, error) {
	if s.Len() == 0 {
		return keyspace.Entry{}, fmt.Errorf("empty set")
	}
	return keyspace.Entry{Type: keyspace.TypeSet, Obj: s}, nil
}

func zsetEntry(z *zset.ZSet) (keyspace.Entry, error) {
	if z.Len() == 0 {
		return keyspace.Entry{}, fmt.Errorf("empty zset")
	}
	return keyspace.Entry{Type: keyspace.TypeZSet, Obj: z}, nil
}

func hashEntry(h *hash.Hash) (keyspace.Entry, error) {
	if h.Len() == 0 {
		return keyspace.Entry{}, fmt.Errorf("empty hash")
	}
	return keyspace.Entry{Type: keyspace.TypeHash, Obj: h}, nil
}
