package resp

import (
	"math"
	"strconv"
)

// Writer renders replies as RESP into a growing byte buffer. The zero value
// writes RESP2. A connection owns one Writer and flushes Buf when it has no
// more input to process, so pipelined replies leave in one write.
type Writer struct {
	Buf    []byte
	Proto3 bool
}

var _ Replier = (*Writer)(nil)

func (w *Writer) Proto() int {
	if w.Proto3 {
		return 3
	}
	return 2
}

// Reset empties the buffer, keeping its capacity.
func (w *Writer) Reset() { w.Buf = w.Buf[:0] }

func (w *Writer) Simple(s string) {
	w.Buf = append(w.Buf, '+')
	w.Buf = append(w.Buf, s...)
	w.Buf = append(w.Buf, '\r', '\n')
}

func (w *Writer) Error(s string) {
	w.Buf = append(w.Buf, '-')
	w.Buf = append(w.Buf, s...)
	w.Buf = append(w.Buf, '\r', '\n')
}

func (w *Writer) Int(n int64) { w.header(':', n) }

func (w *Writer) Bulk(b []byte) {
	w.header('$', int64(len(b)))
	w.Buf = append(w.Buf, b...)
	w.Buf = append(w.Buf, '\r', '\n')
}

func (w *Writer) BulkString(s string) {
	w.header('$', int64(len(s)))
	w.Buf = append(w.Buf, s...)
	w.Buf = append(w.Buf, '\r', '\n')
}

func (w *Writer) Null() {
	if w.Proto3 {
		w.Buf = append(w.Buf, "_\r\n"...)
		return
	}
	w.Buf = append(w.Buf, "$-1\r\n"...)
}

func (w *Writer) NullArray() {
	if w.Proto3 {
		w.Buf = append(w.Buf, "_\r\n"...)
		return
	}
	w.Buf = append(w.Buf, "*-1\r\n"...)
}

func (w *Writer) ArrayLen(n int) { w.header('*', int64(n)) }

func (w *Writer) MapLen(n int) {
	if w.Proto3 {
		w.header('%', int64(n))
		return
	}
	w.header('*', int64(2*n))
}

func (w *Writer) SetLen(n int) {
	if w.Proto3 {
		w.header('~', int64(n))
		return
	}
	w.header('*', int64(n))
}

func (w *Writer) Double(f float64) {
	if w.Proto3 {
		w.Buf = append(w.Buf, ',')
		w.Buf = AppendDouble(w.Buf, f)
		w.Buf = append(w.Buf, '\r', '\n')
		return
	}
	var tmp [32]byte
	w.Bulk(AppendDouble(tmp[:0], f))
}

func (w *Writer) Bool(b bool) {
	if w.Proto3 {
		if b {
			w.Buf = append(w.Buf, "#t\r\n"...)
		} else {
			w.Buf = append(w.Buf, "#f\r\n"...)
		}
		return
	}
	if b {
		w.Int(1)
	} else {
		w.Int(0)
	}
}

func (w *Writer) Verbatim(format, s string) {
	if !w.Proto3 {
		w.BulkString(s)
		return
	}
	w.header('=', int64(len(s)+4))
	w.Buf = append(w.Buf, format...)
	w.Buf = append(w.Buf, ':')
	w.Buf = append(w.Buf, s...)
	w.Buf = append(w.Buf, '\r', '\n')
}

func (w *Writer) BigNumber(digits string) {
	if !w.Proto3 {
		w.BulkString(digits)
		return
	}
	w.Buf = append(w.Buf, '(')
	w.Buf = append(w.Buf, digits...)
	w.Buf = append(w.Buf, '\r', '\n')
}

func (w *Writer) header(c byte, n int64) {
	w.Buf = append(w.Buf, c)
	w.Buf = strconv.AppendInt(w.Buf, n, 10)
	w.Buf = append(w.Buf, '\r', '\n')
}

// AppendDouble formats f the way Redis 7.0 replies with a double: "%.17g",
// with infinities spelled "inf" and "-inf".
func AppendDouble(dst []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(dst, "inf"...)
	case math.IsInf(f, -1):
		return append(dst, "-inf"...)
	case math.IsNaN(f):
		// glibc's %g prints the sign bit, which x86's 0/0 sets.
		if math.Signbit(f) {
			return append(dst, "-nan"...)
		}
		return append(dst, "nan"...)
	}
	return strconv.AppendFloat(dst, f, 'g', 17, 64)
}
