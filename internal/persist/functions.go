package persist

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"

	"github.com/moonkv/moonkv/internal/rerr"
)

// Function libraries are kept as Redis 7.0 keeps them: each library's
// code (shebang line included) as an RDB string after the opcode
// RDB_OPCODE_FUNCTION2, before the keys of a snapshot. FUNCTION DUMP's
// payload is the same sequence followed by the RDB version (2 bytes,
// little endian) and a CRC-64 of all that precedes it (8 bytes, little
// endian), as the DUMP of a key is.

// Functions writes the libraries' codes. It must come before the first
// key, as Redis writes them.
func (r *RDBWriter) Functions(codes [][]byte) error {
	for _, c := range codes {
		r.byte(opFunction2)
		r.str(c)
	}
	return r.err
}

// FunctionDump encodes libraries as FUNCTION DUMP's payload.
func FunctionDump(codes [][]byte) []byte {
	var buf bytes.Buffer
	r := &RDBWriter{w: &buf, db: -1}
	r.Functions(codes)
	r.tmp[0], r.tmp[1] = byte(rdbVersion), byte(rdbVersion>>8)
	r.write(r.tmp[:2])
	r.flushBuf()
	binary.LittleEndian.PutUint64(r.tmp[:8], r.crc)
	buf.Write(r.tmp[:8])
	return buf.Bytes()
}

// ParseFunctionDump decodes a FUNCTION RESTORE payload into the codes of
// its libraries. Its errors are the replies Redis gives.
func ParseFunctionDump(p []byte) ([][]byte, error) {
	if len(p) < 10 {
		return nil, rerr.FunctionDumpPayload
	}
	footer := p[len(p)-10:]
	if ver := binary.LittleEndian.Uint16(footer); ver > rdbVersion {
		return nil, rerr.FunctionDumpPayload
	}
	if crc64Update(0, p[:len(p)-8]) != binary.LittleEndian.Uint64(footer[2:]) {
		return nil, rerr.FunctionDumpPayload
	}
	body := p[:len(p)-10]
	r := &rdbReader{r: bufio.NewReader(bytes.NewReader(body))}
	var codes [][]byte
	for r.off < int64(len(body)) {
		t, err := r.byte()
		if err != nil {
			return nil, errors.New("ERR can not read data type")
		}
		if t != opFunction2 && t != opFunction {
			return nil, errors.New("ERR " + rerr.LibNotAFunction)
		}
		code, msg := r.function(t)
		if msg != "" {
			return nil, errors.New("ERR " + msg)
		}
		codes = append(codes, code)
	}
	return codes, nil
}

// function reads one library after its opcode. RDB_OPCODE_FUNCTION is
// the format of Redis 7.0's release candidates (name, engine, optional
// description, code without shebang), which Redis 7.0 still reads: it
// becomes the code with a shebang, the description dropped. The error is
// Redis's text, "" when none.
func (r *rdbReader) function(op byte) ([]byte, string) {
	if op == opFunction2 {
		code, err := r.str()
		if err != nil {
			return nil, rerr.LibPayloadFailed
		}
		return code, ""
	}
	name, err := r.str()
	if err != nil {
		return nil, "Failed loading library name"
	}
	engine, err := r.str()
	if err != nil {
		return nil, "Failed loading engine name"
	}
	hasDesc, enc, err := r.length()
	if err != nil || enc >= 0 {
		return nil, "Failed loading library description indicator"
	}
	if hasDesc != 0 {
		if _, err := r.str(); err != nil {
			return nil, "Failed loading library description"
		}
	}
	blob, err := r.str()
	if err != nil {
		return nil, "Failed loading library blob"
	}
	code := append([]byte("#!"), engine...)
	code = append(append(append(code, " name="...), name...), '\n')
	return append(code, blob...), ""
}
