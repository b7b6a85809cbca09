package resp

import (
	"bytes"
	"errors"
	"io"
	"math"
)

// Limits Redis applies to requests. A client that exceeds them gets a
// protocol error and is disconnected.
const (
	MaxInline        = 64 * 1024 // longest inline command or header line
	MaxMultibulk     = 1<<31 - 1 // most arguments in one command (INT_MAX, as Redis)
	unauthMaxArgs    = 10        // limits before AUTH (Redis's authRequired checks)
	unauthMaxBulk    = 16 * 1024
	DefaultMaxBulk   = 512 * 1024 * 1024 // proto-max-bulk-len
	initialBufSize   = 16 * 1024
	maxPreallocArgs  = 1024
	minReadSpaceSize = 4 * 1024
)

// ProtocolError is a malformed request. Its text is what Redis replies
// ("Protocol error: ..."), after which the connection is closed.
type ProtocolError struct{ Msg string }

func (e *ProtocolError) Error() string { return "ERR Protocol error: " + e.Msg }

func protoErr(msg string) error { return &ProtocolError{msg} }

// Reader parses commands from a stream. It keeps its parse state between
// reads, so a huge command that trickles in is not re-parsed from its start
// on every read.
type Reader struct {
	rd   io.Reader
	buf  []byte
	r, w int // unread data is buf[r:w]

	// MaxBulk and MaxArgs bound one argument's length and the argument
	// count (proto-max-bulk-len; INT_MAX arguments).
	MaxBulk int64
	MaxArgs int64
	// Unauthenticated applies Redis's tighter limits to a client that
	// must still AUTH: at most 10 arguments of at most 16 KB each, with
	// their own error texts. The server keeps it equal to "auth required
	// and not yet authenticated"; it is read as each command is parsed.
	Unauthenticated bool

	// incremental state of the command being parsed, offsets relative to r
	argc  int   // -1 until the multibulk header is read
	pos   int   // next byte to look at
	spans []int // start,end pairs of the arguments read so far
	need  int   // bytes of unread data required before parsing can progress

	args    [][]byte
	inline  [][]byte // owned copies for inline commands
	readErr error
}

// NewReader returns a Reader over rd.
func NewReader(rd io.Reader) *Reader {
	return &Reader{rd: rd, buf: make([]byte, initialBufSize), argc: -1, MaxBulk: DefaultMaxBulk, MaxArgs: MaxMultibulk}
}

// Buffered reports how many unparsed bytes are waiting.
func (r *Reader) Buffered() int { return r.w - r.r }

// ReadCommand returns the next command, reading from the stream as needed.
// Empty commands ("*0", blank inline lines) are skipped. The returned slices
// are valid until the next call.
func (r *Reader) ReadCommand() ([][]byte, error) {
	for {
		args, ok, err := r.TryCommand()
		if err != nil || ok {
			return args, err
		}
		if err := r.fill(); err != nil {
			return nil, err
		}
	}
}

// TryCommand parses a command from already-buffered data without reading.
// ok is false when the buffer holds no complete command.
func (r *Reader) TryCommand() (args [][]byte, ok bool, err error) {
	for {
		if r.w-r.r < r.need || r.r == r.w {
			return nil, false, nil
		}
		args, done, err := r.parse()
		if err != nil || !done {
			return nil, false, err
		}
		if len(args) > 0 {
			return args, true, nil
		}
	}
}

// fill reads more data, first making room: consumed bytes are dropped and
// the buffer grows when one command needs more space than it has.
func (r *Reader) fill() error {
	if r.readErr != nil {
		return r.readErr
	}
	if r.r > 0 && (r.r == r.w || len(r.buf)-r.w < minReadSpaceSize) {
		n := copy(r.buf, r.buf[r.r:r.w])
		r.r, r.w = 0, n
	}
	// Grow towards what the command needs, but never past twice the data
	// already here: a declared bulk length is a promise, not data, and must
	// not make us allocate before the bytes arrive.
	want := min(r.need, 2*(r.w-r.r)+minReadSpaceSize)
	if want < r.w-r.r+minReadSpaceSize {
		want = r.w - r.r + minReadSpaceSize
	}
	if len(r.buf)-r.r < want {
		size := 2 * len(r.buf)
		for size-r.r < want {
			size *= 2
		}
		nb := make([]byte, size)
		r.w = copy(nb, r.buf[r.r:r.w])
		r.r = 0
		r.buf = nb
	}
	n, err := r.rd.Read(r.buf[r.w:])
	r.w += n
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	r.readErr = err
	return err
}

// parse continues parsing the current command. done reports whether a whole
// command was consumed (args may be empty for an empty command).
func (r *Reader) parse() (args [][]byte, done bool, err error) {
	data := r.buf[r.r:r.w]
	if r.argc < 0 {
		if data[0] != '*' {
			return r.parseInline(data)
		}
		n, next, ok, err := readHeader(data, 0, "multibulk count")
		if err != nil || !ok {
			return nil, false, r.tooLong(data, err, 0)
		}
		if n > r.MaxArgs {
			return nil, false, protoErr("invalid multibulk length")
		}
		if n > unauthMaxArgs && r.Unauthenticated {
			return nil, false, protoErr("unauthenticated multibulk length")
		}
		if n <= 0 {
			r.consume(next)
			return nil, true, nil
		}
		r.argc = int(n)
		r.pos = next
		r.spans = r.spans[:0]
		if cap(r.spans) < 2*int(min(n, maxPreallocArgs)) {
			r.spans = make([]int, 0, 2*int(min(n, maxPreallocArgs)))
		}
	}
	for len(r.spans)/2 < r.argc {
		if r.pos >= len(data) {
			r.need = r.pos + 1
			return nil, false, nil
		}
		// As Redis, the '$' is checked once the whole header line is in.
		n, next, ok, err := readHeader(data, r.pos, "bulk count")
		if !ok && err == nil {
			return nil, false, r.tooLong(data, nil, r.pos)
		}
		if data[r.pos] != '$' {
			c := data[r.pos]
			if c == '\r' || c == '\n' {
				c = ' ' // error replies stay on one line
			}
			return nil, false, protoErr("expected '$', got '" + string(c) + "'")
		}
		if err != nil {
			return nil, false, err
		}
		if n < 0 || n > r.MaxBulk {
			return nil, false, protoErr("invalid bulk length")
		}
		if n > unauthMaxBulk && r.Unauthenticated {
			return nil, false, protoErr("unauthenticated bulk length")
		}
		end := next + int(n)
		if end+2 > len(data) {
			r.need = end + 2
			return nil, false, nil
		}
		r.spans = append(r.spans, next, end)
		r.pos = end + 2
	}
	args = r.args[:0]
	for i := 0; i < len(r.spans); i += 2 {
		args = append(args, data[r.spans[i]:r.spans[i+1]:r.spans[i+1]])
	}
	r.args = args
	r.consume(r.pos)
	return args, true, nil
}

// tooLong turns an incomplete header into a protocol error once it is
// longer than any valid header could be.
func (r *Reader) tooLong(data []byte, err error, from int) error {
	if err != nil {
		return err
	}
	if len(data)-from > MaxInline {
		if from == 0 {
			return protoErr("too big mbulk count string")
		}
		return protoErr("too big bulk count string")
	}
	r.need = len(data) + 1
	return nil
}

func (r *Reader) consume(n int) {
	r.r += n
	r.argc, r.pos, r.need = -1, 0, 0
	r.spans = r.spans[:0]
	if r.r == r.w {
		r.r, r.w = 0, 0
	}
}

// readHeader reads "<c><integer>\r\n" at data[at:]. Like Redis it ends the
// line at the first '\r', skips the byte after it unchecked, and takes only
// canonical integers (string2ll: no sign but '-', no leading zeros).
func readHeader(data []byte, at int, what string) (n int64, next int, ok bool, err error) {
	cr := bytes.IndexByte(data[at:], '\r')
	if cr < 0 || at+cr+2 > len(data) {
		return 0, 0, false, nil
	}
	n, valid := int64(0), false
	if cr > 0 {
		n, valid = parseLL(data[at+1 : at+cr])
	}
	if !valid {
		if what == "multibulk count" {
			return 0, 0, false, protoErr("invalid multibulk length")
		}
		return 0, 0, false, protoErr("invalid bulk length")
	}
	return n, at + cr + 2, true, nil
}

// parseLL parses a decimal integer as Redis's string2ll does.
func parseLL(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	if len(b) == 1 && b[0] == '0' {
		return 0, true
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || b[0] < '1' || b[0] > '9' {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if v > (math.MaxUint64-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		if v > 1<<63 {
			return 0, false
		}
		return int64(-v), true
	}
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

func (r *Reader) parseInline(data []byte) ([][]byte, bool, error) {
	// r.pos remembers how far an incomplete line was searched, so a line
	// that trickles in is not rescanned from its start on every read.
	nl := bytes.IndexByte(data[r.pos:], '\n')
	if nl < 0 {
		if len(data) > MaxInline {
			return nil, false, protoErr("too big inline request")
		}
		r.pos = len(data)
		r.need = len(data) + 1
		return nil, false, nil
	}
	nl += r.pos
	line := data[:nl]
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	args, err := SplitArgs(r.inline[:0], line)
	if err != nil {
		return nil, false, protoErr("unbalanced quotes in request")
	}
	r.inline = args
	r.consume(nl + 1)
	return args, true, nil
}

var errUnbalanced = errors.New("unbalanced quotes")

// SplitArgs splits a line into arguments the way redis-cli and Redis's
// inline protocol do: blanks separate arguments, "double quotes" take
// backslash escapes (\n \r \t \b \a \\ \" \xHH), 'single quotes' take only
// \'. A closing quote must be followed by a blank or the end of the line.
func SplitArgs(dst [][]byte, line []byte) ([][]byte, error) {
	i := 0
	for {
		for i < len(line) && isSpace(line[i]) {
			i++
		}
		if i >= len(line) {
			return dst, nil
		}
		var cur []byte
		inDQ, inSQ := false, false
		for {
			if inDQ {
				if i >= len(line) {
					return nil, errUnbalanced
				}
				c := line[i]
				switch {
				case c == '\\' && i+3 < len(line) && line[i+1] == 'x' && isHex(line[i+2]) && isHex(line[i+3]):
					cur = append(cur, unhex(line[i+2])<<4|unhex(line[i+3]))
					i += 3
				case c == '\\' && i+1 < len(line):
					i++
					switch line[i] {
					case 'n':
						cur = append(cur, '\n')
					case 'r':
						cur = append(cur, '\r')
					case 't':
						cur = append(cur, '\t')
					case 'b':
						cur = append(cur, '\b')
					case 'a':
						cur = append(cur, '\a')
					default:
						cur = append(cur, line[i])
					}
				case c == '"':
					if i+1 < len(line) && !isSpace(line[i+1]) {
						return nil, errUnbalanced
					}
					inDQ = false
					i++
					goto next
				default:
					cur = append(cur, c)
				}
				i++
				continue
			}
			if inSQ {
				if i >= len(line) {
					return nil, errUnbalanced
				}
				c := line[i]
				switch {
				case c == '\\' && i+1 < len(line) && line[i+1] == '\'':
					cur = append(cur, '\'')
					i++
				case c == '\'':
					if i+1 < len(line) && !isSpace(line[i+1]) {
						return nil, errUnbalanced
					}
					inSQ = false
					i++
					goto next
				default:
					cur = append(cur, c)
				}
				i++
				continue
			}
			if i >= len(line) {
				goto next
			}
			switch c := line[i]; {
			case c == ' ' || c == '\n' || c == '\r' || c == '\t':
				// only these end a token (sdssplitargs); \v and \f do not
				goto next
			case c == '"':
				inDQ = true
			case c == '\'':
				inSQ = true
			default:
				cur = append(cur, c)
			}
			i++
		}
	next:
		if cur == nil {
			cur = []byte{}
		}
		dst = append(dst, cur)
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f'
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
