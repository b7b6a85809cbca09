package resp

import (
	"bytes"
	"strconv"
	"testing"
)

// pipelineStream is n SET/GET pairs as a client pipelines them.
func pipelineStream(n int) []byte {
	var w Writer
	for i := 0; i < n; i++ {
		key := "key:" + strconv.Itoa(i)
		w.ArrayLen(3)
		w.BulkString("SET")
		w.BulkString(key)
		w.BulkString("value-of-some-length")
		w.ArrayLen(2)
		w.BulkString("GET")
		w.BulkString(key)
	}
	return w.Buf
}

// BenchmarkReaderPipelinedSetGet parses a pipelined stream of SET and GET
// commands; one op is one command.
func BenchmarkReaderPipelinedSetGet(b *testing.B) {
	const pairs = 1000
	stream := pipelineStream(pairs)
	src := bytes.NewReader(stream)
	r := NewReader(src)
	b.SetBytes(int64(len(stream)) / (2 * pairs))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%(2*pairs) == 0 {
			src.Reset(stream)
			r.readErr = nil
		}
		if _, err := r.ReadCommand(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReaderInline parses pipelined inline commands.
func BenchmarkReaderInline(b *testing.B) {
	const n = 1000
	stream := bytes.Repeat([]byte("SET key \"a value\"\r\n"), n)
	src := bytes.NewReader(stream)
	r := NewReader(src)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%n == 0 {
			src.Reset(stream)
			r.readErr = nil
		}
		if _, err := r.ReadCommand(); err != nil {
			b.Fatal(err)
		}
	}
}

func benchWriter(b *testing.B, proto3 bool, write func(w *Writer)) {
	w := &Writer{Proto3: proto3}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if len(w.Buf) > 64<<10 {
			w.Reset()
		}
		write(w)
	}
}

func BenchmarkWriterBulk(b *testing.B) {
	v := []byte("value-of-some-length")
	benchWriter(b, false, func(w *Writer) { w.Bulk(v) })
}

func BenchmarkWriterInt(b *testing.B) {
	benchWriter(b, false, func(w *Writer) { w.Int(1234567) })
}

// BenchmarkWriterArray writes a 10-element array of bulk strings, as an
// MGET or LRANGE reply.
func BenchmarkWriterArray(b *testing.B) {
	v := []byte("member")
	benchWriter(b, false, func(w *Writer) {
		w.ArrayLen(10)
		for j := 0; j < 10; j++ {
			w.Bulk(v)
		}
	})
}

func BenchmarkWriterMapRESP3(b *testing.B) {
	benchWriter(b, true, func(w *Writer) {
		w.MapLen(5)
		for j := 0; j < 5; j++ {
			w.BulkString("field")
			w.Int(int64(j))
		}
	})
}

func BenchmarkWriterDouble(b *testing.B) {
	benchWriter(b, false, func(w *Writer) { w.Double(3.14159) })
}
