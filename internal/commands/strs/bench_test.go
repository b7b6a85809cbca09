package strs_test

import (
	"strconv"
	"testing"

	"github.com/moonkv/moonkv/internal/commands/strs"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/server"
)

// bench calls a handler the way the dispatcher does, minus the network
// and the command lookup: a Ctx over the server's first database and a
// reused resp.Writer.
type bench struct {
	srv *server.Server
	w   resp.Writer
	c   server.Ctx
}

func newBench() *bench {
	reg := server.NewRegistry()
	strs.Register(reg)
	b := &bench{srv: server.New(server.DefaultConfig(), reg)}
	b.c = server.Ctx{Srv: b.srv, KS: b.srv.KS, DB: b.srv.KS.DBs[0], R: &b.w}
	return b
}

// prepare sets the command the following calls of call run.
func (b *bench) prepare(args [][]byte) {
	b.c.Args = args
	b.c.Spec = b.srv.Reg.Lookup(args[0])
}

func (b *bench) call() {
	b.w.Reset()
	b.c.Spec.Handler(&b.c)
}

func (b *bench) run(args [][]byte) {
	b.prepare(args)
	b.call()
}

func argv(s ...string) [][]byte {
	out := make([][]byte, len(s))
	for i, a := range s {
		out[i] = []byte(a)
	}
	return out
}

func BenchmarkGet(b *testing.B) {
	bn := newBench()
	bn.run(argv("SET", "key:000000000001", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"))
	args := argv("GET", "key:000000000001")
	bn.prepare(args)
	b.ReportAllocs()
	for b.Loop() {
		bn.call()
	}
}

func BenchmarkGetMissing(b *testing.B) {
	bn := newBench()
	args := argv("GET", "key:000000000001")
	bn.prepare(args)
	b.ReportAllocs()
	for b.Loop() {
		bn.call()
	}
}

// BenchmarkSet overwrites one key: the only allocation is the stored copy
// of the value.
func BenchmarkSet(b *testing.B) {
	bn := newBench()
	args := argv("SET", "key:000000000001", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
	bn.prepare(args)
	b.ReportAllocs()
	for b.Loop() {
		bn.call()
	}
}

// BenchmarkSetNewKeys writes 100k distinct keys over and over (redis-benchmark's
// -r 100000 pattern): new keys cost the key and the table entry too.
func BenchmarkSetNewKeys(b *testing.B) {
	bn := newBench()
	keys := make([][]byte, 100000)
	for i := range keys {
		keys[i] = []byte("key:" + strconv.Itoa(i))
	}
	args := argv("SET", "", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
	bn.prepare(args)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		args[1] = keys[i%len(keys)]
		i++
		bn.call()
	}
}

func BenchmarkSetOptions(b *testing.B) {
	bn := newBench()
	args := argv("SET", "key:000000000001", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "XX", "KEEPTTL")
	bn.run(args[:3])
	bn.prepare(args)
	b.ReportAllocs()
	for b.Loop() {
		bn.call()
	}
}

func BenchmarkSetEX(b *testing.B) {
	bn := newBench()
	args := argv("SET", "key:000000000001", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "EX", "100")
	bn.prepare(args)
	b.ReportAllocs()
	for b.Loop() {
		bn.call()
	}
}

func BenchmarkIncr(b *testing.B) {
	bn := newBench()
	args := argv("INCR", "counter")
	bn.prepare(args)
	b.ReportAllocs()
	for b.Loop() {
		bn.call()
	}
}

func BenchmarkIncrByFloat(b *testing.B) {
	bn := newBench()
	args := argv("INCRBYFLOAT", "counter", "1.5")
	bn.prepare(args)
	b.ReportAllocs()
	for b.Loop() {
		bn.call()
	}
}

func BenchmarkMGet10(b *testing.B) {
	bn := newBench()
	args := argv("MGET")
	for i := 0; i < 10; i++ {
		k := "key:" + strconv.Itoa(i)
		bn.run(argv("SET", k, "value"))
		args = append(args, []byte(k))
	}
	bn.prepare(args)
	b.ReportAllocs()
	for b.Loop() {
		bn.call()
	}
}

func BenchmarkSetBit(b *testing.B) {
	bn := newBench()
	args := argv("SETBIT", "bits", "", "1")
	offs := make([][]byte, 1024)
	for i := range offs {
		offs[i] = []byte(strconv.Itoa(i * 97 % 80000))
	}
	bn.prepare(args)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		args[2] = offs[i%len(offs)]
		i++
		bn.call()
	}
}

func BenchmarkBitCount1MB(b *testing.B) {
	bn := newBench()
	bn.run(argv("SETRANGE", "big", "1048575", "x"))
	args := argv("BITCOUNT", "big")
	b.SetBytes(1 << 20)
	bn.prepare(args)
	b.ReportAllocs()
	for b.Loop() {
		bn.call()
	}
}
