package keys_test

import (
	"strconv"
	"testing"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/server"
)

// bench runs handlers in process, without a connection, over a database
// of n string keys "key:0".."key:n-1".
type bench struct {
	srv *server.Server
	w   resp.Writer
}

func newBench(n int) *bench {
	x := &bench{srv: server.New(server.DefaultConfig(), commands.Registry())}
	for i := 0; i < n; i++ {
		x.run("SET", "key:"+strconv.Itoa(i), "value")
	}
	return x
}

func (x *bench) run(args ...string) {
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	x.runBytes(bs)
}

func (x *bench) runBytes(args [][]byte) {
	x.w.Reset()
	ctx := &server.Ctx{Srv: x.srv, KS: x.srv.KS, DB: x.srv.KS.DBs[0], R: &x.w, Args: args, Spec: x.srv.Reg.LookupArgs(args)}
	x.srv.Call(ctx)
}

func args(a ...string) [][]byte {
	out := make([][]byte, len(a))
	for i, s := range a {
		out[i] = []byte(s)
	}
	return out
}

func BenchmarkHandlers(b *testing.B) {
	const n = 10000
	b.Run("EXISTS", func(b *testing.B) {
		x := newBench(n)
		a := args("EXISTS", "key:42")
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			x.runBytes(a)
		}
	})
	b.Run("EXPIRE", func(b *testing.B) {
		x := newBench(n)
		a := args("EXPIRE", "key:42", "1000")
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			x.runBytes(a)
		}
	})
	b.Run("TTL", func(b *testing.B) {
		x := newBench(n)
		x.run("EXPIRE", "key:42", "1000")
		a := args("TTL", "key:42")
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			x.runBytes(a)
		}
	})
	b.Run("RENAME", func(b *testing.B) {
		x := newBench(n)
		ab, ba := args("RENAME", "key:42", "other"), args("RENAME", "other", "key:42")
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			x.runBytes(ab)
			x.runBytes(ba)
		}
	})
	b.Run("SCAN-step", func(b *testing.B) {
		x := newBench(n)
		a := args("SCAN", "0", "COUNT", "10")
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			x.runBytes(a)
		}
	})
	b.Run("SCAN-full-match", func(b *testing.B) {
		x := newBench(n)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			cursor := uint64(0)
			for {
				x.runBytes(args("SCAN", strconv.FormatUint(cursor, 10), "MATCH", "key:1*", "COUNT", "100"))
				// the reply starts "*2\r\n$<len>\r\n<cursor>\r\n"
				buf := x.w.Buf
				i := 4
				for buf[i] != '\n' {
					i++
				}
				j := i + 1
				for buf[j] != '\r' {
					j++
				}
				cursor, _ = strconv.ParseUint(string(buf[i+1:j]), 10, 64)
				if cursor == 0 {
					break
				}
			}
		}
	})
	b.Run("KEYS-prefix-10k", func(b *testing.B) {
		x := newBench(n)
		a := args("KEYS", "key:99*")
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			x.runBytes(a)
		}
	})
	b.Run("RANDOMKEY", func(b *testing.B) {
		x := newBench(n)
		a := args("RANDOMKEY")
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			x.runBytes(a)
		}
	})
}
