package strs_test

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/test/compat"
)

// fakeClock can be moved while the server reads it.
type fakeClock struct{ ms atomic.Int64 }

func (c *fakeClock) NowMs() int64            { return c.ms.Load() }
func (c *fakeClock) Advance(d time.Duration) { c.ms.Add(d.Milliseconds()) }

// rig is a moonkv on a fake clock that records its propagated effects.
type rig struct {
	t     *testing.T
	clk   *fakeClock
	sess  *compat.Session
	mu    sync.Mutex
	props []string
}

const t0 = 1_700_000_000_000

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{t: t, clk: &fakeClock{}}
	r.clk.ms.Store(t0)
	cfg := server.DefaultConfig()
	cfg.Port = 0
	cfg.Clock = r.clk
	cfg.Hz = 1 // keep active expiry out of the way of lazy-expiry checks
	srv := server.New(cfg, commands.Registry())
	srv.Propagator = func(effects []server.Effect) {
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, e := range effects {
			parts := make([]string, len(e.Args))
			for i, a := range e.Args {
				parts[i] = string(a)
			}
			r.props = append(r.props, strings.Join(parts, " "))
		}
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	srv.Serve()
	r.sess = compat.NewSession(srv.Addr().String())
	t.Cleanup(func() {
		r.sess.Close()
		srv.Close()
	})
	return r
}

// do runs a command and returns its raw reply.
func (r *rig) do(args ...string) string {
	r.t.Helper()
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	raw, err := r.sess.Do(compat.Step{Conn: 1, Args: bs})
	if err != nil {
		r.t.Fatalf("%v: %v", args, err)
	}
	return string(raw)
}

func (r *rig) expect(want string, args ...string) {
	r.t.Helper()
	if got := r.do(args...); got != want {
		r.t.Errorf("%s: got %q, want %q", strings.Join(args, " "), got, want)
	}
}

// effects returns and forgets the effects propagated so far.
func (r *rig) effects() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.props
	r.props = nil
	return p
}

func (r *rig) expectEffects(what string, want ...string) {
	r.t.Helper()
	got := r.effects()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		r.t.Errorf("%s propagated %q, want %q", what, got, want)
	}
}

func TestPropagation(t *testing.T) {
	r := newRig(t)
	at := func(d time.Duration) string { return strconv.FormatInt(r.clk.NowMs()+d.Milliseconds(), 10) }

	r.do("SET", "k", "v")
	r.expectEffects("SET", "SET k v")
	r.do("SET", "k", "v", "EX", "10")
	r.expectEffects("SET EX", "SET k v PXAT "+at(10*time.Second))
	r.do("set", "k", "v", "px", "1500", "get")
	r.expectEffects("SET PX GET", "SET k v PXAT "+at(1500*time.Millisecond))
	r.do("SET", "k", "v", "EXAT", "1800000000")
	r.expectEffects("SET EXAT", "SET k v PXAT 1800000000000")
	r.do("SET", "k", "v", "PXAT", "1800000000123", "KEEPTTL")
	r.expectEffects("SET PXAT KEEPTTL (a syntax error)")
	r.do("SET", "k", "w", "KEEPTTL", "GET", "get")
	r.expectEffects("SET KEEPTTL GET", "SET k w KEEPTTL")
	r.do("SET", "k", "x", "NX")
	r.expectEffects("SET NX on an existing key")
	r.do("SET", "k", "x", "NX", "GET")
	r.expectEffects("SET NX GET on an existing key")
	r.do("SET", "k2", "x", "XX")
	r.expectEffects("SET XX on a missing key")
	r.do("SETEX", "k", "5", "v")
	r.expectEffects("SETEX", "SET k v PXAT "+at(5*time.Second))
	r.do("PSETEX", "k", "5", "v")
	r.expectEffects("PSETEX", "SET k v PXAT "+at(5*time.Millisecond))
	r.do("SETNX", "k", "v")
	r.expectEffects("SETNX on an existing key")
	r.do("SETNX", "n", "v")
	r.expectEffects("SETNX", "SETNX n v")
	r.do("GETSET", "k", "z")
	r.expectEffects("GETSET", "SET k z")
	r.do("GETDEL", "k")
	r.expectEffects("GETDEL", "DEL k")
	r.do("GETDEL", "k")
	r.expectEffects("GETDEL of a missing key")

	r.do("SET", "g", "v")
	r.effects()
	r.do("GETEX", "g")
	r.expectEffects("GETEX")
	r.do("GETEX", "g", "PERSIST")
	r.expectEffects("GETEX PERSIST without a deadline")
	r.do("GETEX", "g", "EX", "100")
	r.expectEffects("GETEX EX", "PEXPIREAT g "+at(100*time.Second))
	r.do("GETEX", "g", "PXAT", "1800000000000")
	r.expectEffects("GETEX PXAT", "PEXPIREAT g 1800000000000")
	r.do("GETEX", "g", "PERSIST")
	r.expectEffects("GETEX PERSIST", "PERSIST g")
	r.do("GETEX", "g", "EXAT", "1")
	r.expectEffects("GETEX EXAT in the past", "DEL g")
	r.expect("$-1\r\n", "GET", "g")

	r.do("INCRBYFLOAT", "f", "1.5")
	r.expectEffects("INCRBYFLOAT", "SET f 1.5 KEEPTTL")
	r.do("INCRBYFLOAT", "f", "x")
	r.expectEffects("INCRBYFLOAT error")
	r.do("INCR", "i")
	r.expectEffects("INCR", "INCR i")
	r.do("MSETNX", "i", "1", "j", "2")
	r.expectEffects("MSETNX refused")
	r.do("MSET", "i", "1", "j", "2")
	r.expectEffects("MSET", "MSET i 1 j 2")
	r.do("SETRANGE", "s", "0", "")
	r.expectEffects("SETRANGE of nothing")
	r.do("SETRANGE", "s", "1", "ab")
	r.expectEffects("SETRANGE", "SETRANGE s 1 ab")
	r.do("APPEND", "s", "c")
	r.expectEffects("APPEND", "APPEND s c")
	r.do("BITFIELD", "s", "GET", "u8", "0")
	r.expectEffects("BITFIELD GET")
	r.do("BITFIELD", "s", "OVERFLOW", "FAIL", "SET", "u8", "0", "256")
	r.expectEffects("BITFIELD failed SET")
	r.do("BITFIELD", "s", "SET", "u8", "8", "97")
	r.expectEffects("BITFIELD SET of the same value")
	r.do("BITFIELD", "s", "SET", "u8", "8", "98")
	r.expectEffects("BITFIELD SET", "BITFIELD s SET u8 8 98")
	r.do("SETBIT", "s", "0", "0")
	r.expectEffects("SETBIT of a clear bit to 0")
	r.do("SETBIT", "s", "0", "1")
	r.expectEffects("SETBIT", "SETBIT s 0 1")
	r.do("SETBIT", "s", "100", "0")
	r.expectEffects("SETBIT that grows", "SETBIT s 100 0")
	r.do("BITOP", "AND", "d", "nokey")
	r.expectEffects("BITOP of nothing onto nothing")
	r.do("BITOP", "OR", "d", "s")
	r.expectEffects("BITOP", "BITOP OR d s")

	// A write over a key whose deadline passed removes it first.
	r.do("SET", "e", "v", "PX", "100")
	r.effects()
	r.clk.Advance(200 * time.Millisecond)
	r.do("SET", "e", "w", "XX")
	r.expectEffects("SET XX over an expired key", "DEL e")
	r.do("SET", "e", "v", "PX", "100")
	r.effects()
	r.clk.Advance(200 * time.Millisecond)
	r.do("SET", "e", "w")
	r.expectEffects("SET over an expired key", "DEL e", "SET e w")

	// MULTI/EXEC wraps the effects.
	r.do("MULTI")
	r.do("SET", "m", "1", "EX", "10")
	r.do("INCRBYFLOAT", "m", "1")
	r.do("EXEC")
	r.expectEffects("MULTI", "MULTI", "SET m 1 PXAT "+at(10*time.Second), "SET m 2 KEEPTTL", "EXEC")
}

func TestExpiryOnFakeClock(t *testing.T) {
	r := newRig(t)
	r.expect("+OK\r\n", "SET", "k", "v", "PX", "100")
	r.clk.Advance(100 * time.Millisecond)
	r.expect("$1\r\nv\r\n", "GET", "k")
	r.clk.Advance(time.Millisecond)
	r.expect("$-1\r\n", "GET", "k")

	r.expect("+OK\r\n", "SETEX", "k", "1", "v")
	r.expect("$1\r\nv\r\n", "GETEX", "k", "PX", "50")
	r.clk.Advance(51 * time.Millisecond)
	r.expect("$-1\r\n", "GETEX", "k")

	// KEEPTTL and the counters keep the deadline, SET drops it.
	r.expect("+OK\r\n", "SET", "c", "1", "PX", "100")
	r.expect(":2\r\n", "INCR", "c")
	r.expect("+OK\r\n", "SET", "c", "5", "KEEPTTL")
	r.expect("$3\r\n6.5\r\n", "INCRBYFLOAT", "c", "1.5")
	r.expect(":5\r\n", "APPEND", "c", "01")
	r.clk.Advance(101 * time.Millisecond)
	r.expect("$-1\r\n", "GET", "c")

	r.expect("+OK\r\n", "SET", "c", "1", "PX", "100")
	r.expect("+OK\r\n", "SET", "c", "2")
	r.clk.Advance(time.Second)
	r.expect("$1\r\n2\r\n", "GET", "c")
}

// TestBigValues checks the paths that grow strings, the size limit, and
// in-place changes of a value GET already returned.
func TestBigValues(t *testing.T) {
	r := newRig(t)
	r.expect(":1048577\r\n", "SETRANGE", "k", "1048576", "x")
	r.expect(":1048577\r\n", "STRLEN", "k")
	r.expect(":0\r\n", "SETBIT", "k", "8388615", "1")
	r.expect(":1048577\r\n", "STRLEN", "k")
	r.expect(":5\r\n", "BITCOUNT", "k")
	r.expect(":8388609\r\n", "BITPOS", "k", "1")
	r.expect("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", "SETRANGE", "k", "536870911", "xy")
	r.expect("-ERR bit offset is not an integer or out of range\r\n", "SETBIT", "k", "4294967296", "1")

	// A value changed in place after a GET: the reply already left.
	r.expect("+OK\r\n", "SET", "s", "abc")
	r.expect("$3\r\nabc\r\n", "GET", "s")
	r.expect(":3\r\n", "SETRANGE", "s", "0", "x")
	r.expect("$3\r\nxbc\r\n", "GET", "s")
	for i := 0; i < 100; i++ {
		r.do("APPEND", "s", "0123456789")
	}
	r.expect(":1003\r\n", "STRLEN", "s")
	r.expect("$5\r\nxbc01\r\n", "GETRANGE", "s", "0", "4")
	r.expect("$3\r\n789\r\n", "GETRANGE", "s", "-3", "-1")
}
