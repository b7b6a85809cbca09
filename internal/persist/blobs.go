package persist

import (
	"encoding/binary"
	"errors"
	"strconv"
)

// The compact encodings Redis writes into RDB files as opaque strings:
// LZF-compressed strings, intsets, ziplists and listpacks. Every reader
// here checks every length against the blob, so a corrupt file is an
// error, never a panic or a huge allocation.

var errBlob = errors.New("corrupt compact encoding in RDB")

func lzfDecompress(in []byte, outLen int) ([]byte, error) {
	out := make([]byte, 0, outLen)
	for i := 0; i < len(in); {
		c := int(in[i])
		i++
		if c < 32 { // a literal run of c+1 bytes
			n := c + 1
			if i+n > len(in) || len(out)+n > outLen {
				return nil, errBlob
			}
			out = append(out, in[i:i+n]...)
			i += n
			continue
		}
		n := c >> 5
		if n == 7 {
			if i >= len(in) {
				return nil, errBlob
			}
			n += int(in[i])
			i++
		}
		if i >= len(in) {
			return nil, errBlob
		}
		ref := len(out) - ((c&0x1f)<<8 | int(in[i])) - 1
		i++
		n += 2
		if ref < 0 || len(out)+n > outLen {
			return nil, errBlob
		}
		for k := 0; k < n; k++ { // byte by byte: the source may overlap
			out = append(out, out[ref+k])
		}
	}
	if len(out) != outLen {
		return nil, errBlob
	}
	return out, nil
}

func parseIntset(b []byte) ([][]byte, error) {
	if len(b) < 8 {
		return nil, errBlob
	}
	width := int(binary.LittleEndian.Uint32(b))
	n := int(binary.LittleEndian.Uint32(b[4:]))
	if (width != 2 && width != 4 && width != 8) || n < 0 || 8+n*width != len(b) {
		return nil, errBlob
	}
	out := make([][]byte, 0, n)
	for i := 0; i < n; i++ {
		p := b[8+i*width:]
		var v int64
		switch width {
		case 2:
			v = int64(int16(binary.LittleEndian.Uint16(p)))
		case 4:
			v = int64(int32(binary.LittleEndian.Uint32(p)))
		default:
			v = int64(binary.LittleEndian.Uint64(p))
		}
		out = append(out, strconv.AppendInt(nil, v, 10))
	}
	return out, nil
}

// parseListpack decodes a listpack (Redis 7's compact list format).
func parseListpack(b []byte) ([][]byte, error) {
	if len(b) < 7 || int(binary.LittleEndian.Uint32(b)) != len(b) || b[len(b)-1] != 0xFF {
		return nil, errBlob
	}
	var out [][]byte
	i := 6
	for {
		if i >= len(b) {
			return nil, errBlob
		}
		c := b[i]
		if c == 0xFF {
			if i != len(b)-1 {
				return nil, errBlob
			}
			return out, nil
		}
		var val []byte
		var hdr, dlen int
		switch {
		case c&0x80 == 0: // 7-bit unsigned
			val, hdr = strconv.AppendInt(nil, int64(c&0x7f), 10), 1
		case c&0xC0 == 0x80: // 6-bit length string
			hdr, dlen = 1, int(c&0x3f)
		case c&0xE0 == 0xC0: // 13-bit signed
			if i+1 >= len(b) {
				return nil, errBlob
			}
			u := int64(c&0x1f)<<8 | int64(b[i+1])
			if u >= 1<<12 {
				u -= 1 << 13
			}
			val, hdr = strconv.AppendInt(nil, u, 10), 2
		case c&0xF0 == 0xE0: // 12-bit length string
			if i+1 >= len(b) {
				return nil, errBlob
			}
			hdr, dlen = 2, int(c&0x0f)<<8|int(b[i+1])
		case c == 0xF0: // 32-bit length string
			if i+5 > len(b) {
				return nil, errBlob
			}
			hdr, dlen = 5, int(binary.LittleEndian.Uint32(b[i+1:]))
		case c >= 0xF1 && c <= 0xF4:
			w := map[byte]int{0xF1: 2, 0xF2: 3, 0xF3: 4, 0xF4: 8}[c]
			if i+1+w > len(b) {
				return nil, errBlob
			}
			var u uint64
			for k := w - 1; k >= 0; k-- {
				u = u<<8 | uint64(b[i+1+k])
			}
			v := int64(u<<(64-8*w)) >> (64 - 8*w) // sign-extend
			val, hdr = strconv.AppendInt(nil, v, 10), 1+w
		default:
			return nil, errBlob
		}
		if val == nil {
			if dlen < 0 || i+hdr+dlen > len(b) {
				return nil, errBlob
			}
			val = append([]byte{}, b[i+hdr:i+hdr+dlen]...)
		}
		l := hdr + dlen
		// skip the entry's back-length
		back := 1
		switch {
		case l >= 268435456:
			back = 5
		case l >= 2097152:
			back = 4
		case l >= 16384:
			back = 3
		case l >= 128:
			back = 2
		}
		i += l + back
		out = append(out, val)
	}
}

// parseZiplist decodes a ziplist (the compact format of RDBs from Redis
// 6 and older).
func parseZiplist(b []byte) ([][]byte, error) {
	if len(b) < 11 || int(binary.LittleEndian.Uint32(b)) != len(b) || b[len(b)-1] != 0xFF {
		return nil, errBlob
	}
	var out [][]byte
	i := 10
	for {
		if i >= len(b) {
			return nil, errBlob
		}
		if b[i] == 0xFF {
			return out, nil
		}
		// previous entry length
		if b[i] == 0xFE {
			i += 5
		} else {
			i++
		}
		if i >= len(b) {
			return nil, errBlob
		}
		c := b[i]
		var val []byte
		var hdr, dlen int
		switch c >> 6 {
		case 0:
			hdr, dlen = 1, int(c&0x3f)
		case 1:
			if i+1 >= len(b) {
				return nil, errBlob
			}
			hdr, dlen = 2, int(c&0x3f)<<8|int(b[i+1])
		case 2:
			if i+5 > len(b) {
				return nil, errBlob
			}
			hdr, dlen = 5, int(binary.BigEndian.Uint32(b[i+1:]))
		default:
			var v int64
			switch {
			case c == 0xC0:
				if i+3 > len(b) {
					return nil, errBlob
				}
				v, hdr = int64(int16(binary.LittleEndian.Uint16(b[i+1:]))), 3
			case c == 0xD0:
				if i+5 > len(b) {
					return nil, errBlob
				}
				v, hdr = int64(int32(binary.LittleEndian.Uint32(b[i+1:]))), 5
			case c == 0xE0:
				if i+9 > len(b) {
					return nil, errBlob
				}
				v, hdr = int64(binary.LittleEndian.Uint64(b[i+1:])), 9
			case c == 0xF0:
				if i+4 > len(b) {
					return nil, errBlob
				}
				u := int32(uint32(b[i+1])<<8|uint32(b[i+2])<<16|uint32(b[i+3])<<24) >> 8
				v, hdr = int64(u), 4
			case c == 0xFE:
				if i+2 > len(b) {
					return nil, errBlob
				}
				v, hdr = int64(int8(b[i+1])), 2
			case c >= 0xF1 && c <= 0xFD:
				v, hdr = int64(c&0x0f)-1, 1
			default:
				return nil, errBlob
			}
			val = strconv.AppendInt(nil, v, 10)
		}
		if val == nil {
			if dlen < 0 || i+hdr+dlen > len(b) {
				return nil, errBlob
			}
			val = append([]byte{}, b[i+hdr:i+hdr+dlen]...)
		}
		i += hdr + dlen
		out = append(out, val)
	}
}
