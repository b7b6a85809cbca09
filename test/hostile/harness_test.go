package hostile

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"runtime"
	"runtime/metrics"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moonkv/moonkv"
	"github.com/moonkv/moonkv/test/compat"
)

// attack is one hostile script and the reply it must get.
type attack struct {
	name   string
	script string
	keys   []string
	args   []string
	// want is the exact reply for scripts redis-server 7.0.15 cannot
	// answer (it crashes or is made to misbehave): moonkv's own choice.
	// When empty, the reply is Redis's, recorded in testdata/redis.golden
	// (MOONKV_RECORD=1 re-records it; MOONKV_ORACLE=live also compares
	// with a live redis-server).
	want string
	// within bounds how long the reply may take (0: the default deadline).
	within time.Duration
	// writes lists keys the script is allowed to change.
	writes []string
}

func (a attack) cmd() []string {
	c := []string{"EVAL", a.script, strconv.Itoa(len(a.keys))}
	c = append(c, a.keys...)
	return append(c, a.args...)
}

// sha is the script's SHA1, as error replies name it.
func sha(script string) string {
	s := sha1.Sum([]byte(script))
	return hex.EncodeToString(s[:])
}

// scriptErr is the reply of a script failing with msg raised on line 1.
func scriptErr(script, msg string) string {
	return "-" + msg + " script: " + sha(script) + ", on @user_script:1.\r\n"
}

// conn is a raw RESP connection.
type conn struct {
	c net.Conn
	r *bufio.Reader
}

func dial(t testing.TB, addr string) *conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &conn{c, newReader(c)}
}

func newReader(c net.Conn) *bufio.Reader { return bufio.NewReaderSize(c, 1<<16) }

// do sends a command and returns its raw reply, within d.
func (c *conn) do(t testing.TB, d time.Duration, args ...string) string {
	t.Helper()
	r, err := c.try(d, args...)
	if err != nil {
		t.Fatalf("%.80q: %v", args, err)
	}
	return r
}

func (c *conn) try(d time.Duration, args ...string) (string, error) {
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	c.c.SetDeadline(time.Now().Add(d))
	if _, err := c.c.Write(compat.Encode(bs)); err != nil {
		return "", err
	}
	reply, err := compat.ReadReply(c.r)
	return string(reply), err
}

const deadline = 60 * time.Second

// env is one embedded moonkv (and, in live or record mode, a redis-server)
// with a canary key that no attack may change.
type env struct {
	t      *testing.T
	srv    *moonkv.Server
	addr   string
	redis  string // "" unless live
	mode   compat.Mode
	golden map[string]string
	rec    *recorder
}

const canaryKey, canaryVal = "hostile:canary", "still here"

func newEnv(t *testing.T) *env {
	t.Helper()
	srv, err := moonkv.Start(moonkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	e := &env{t: t, srv: srv, addr: srv.Addr(), mode: compat.ModeFromEnv(t), golden: loadGolden(t)}
	if e.mode.Live {
		e.redis = compat.StartRedis(t)
	}
	if e.mode.Record {
		e.rec = theRecorder
	}
	for _, a := range e.addrs() {
		c := dial(t, a)
		if r := c.do(t, deadline, "SET", canaryKey, canaryVal); r != "+OK\r\n" {
			t.Fatalf("SET canary on %s: %q", a, r)
		}
	}
	return e
}

func (e *env) addrs() []string {
	if e.redis != "" {
		return []string{e.addr, e.redis}
	}
	return []string{e.addr}
}

// run sends every attack on one connection, checks its reply and, after
// each, that the server is healthy and unharmed.
func (e *env) run(attacks []attack) {
	e.t.Helper()
	c := dial(e.t, e.addr)
	for _, a := range attacks {
		e.t.Run(a.name, func(t *testing.T) {
			if !e.one(t, c, a) {
				// A reply that did not come in time may still come:
				// later attacks use a new connection.
				c = dial(e.t, e.addr)
			}
		})
	}
}

// one runs an attack on c; false means c is out of step.
func (e *env) one(t *testing.T, c *conn, a attack) bool {
	t.Helper()
	d := deadline
	if a.within > 0 {
		d = a.within
	}
	start := time.Now()
	got, err := c.try(d, a.cmd()...)
	took := time.Since(start)
	if err != nil {
		t.Errorf("no reply within %v: %v", d, err)
		return false
	}
	key := e.t.Name() + "/" + a.name
	want := a.want
	if want == "" {
		if e.redis != "" {
			rc := dial(t, e.redis)
			rr := rc.do(t, deadline, a.cmd()...)
			if e.rec != nil {
				e.rec.set(key, rr)
			}
			want = rr
			if g, ok := e.golden[key]; ok && g != rr && e.rec == nil {
				t.Errorf("redis-server replied %q, the golden file says %q", rr, g)
			}
			e.checkUnharmed(t, e.redis, a)
		} else {
			g, ok := e.golden[key]
			if !ok {
				t.Fatalf("no recorded Redis reply for %s (record with MOONKV_RECORD=1)", key)
			}
			want = g
		}
	}
	if got != want {
		t.Errorf("reply (after %v)\n got: %.600q\nwant: %.600q", took, got, want)
	}
	e.checkUnharmed(t, e.addr, a)
	return true
}

// checkUnharmed checks that addr answers a new client, that the canary
// and the key count are as before (plus what the attack may write), and
// that a benign script of another client still sees the real string
// library, globals and cjson.
func (e *env) checkUnharmed(t *testing.T, addr string, a attack) {
	t.Helper()
	o := dial(t, addr)
	if r := o.do(t, deadline, "PING"); r != "+PONG\r\n" {
		t.Fatalf("PING after the attack: %q", r)
	}
	if r := o.do(t, deadline, "GET", canaryKey); r != "$10\r\n"+canaryVal+"\r\n" {
		t.Fatalf("canary after the attack: %q", r)
	}
	if r := o.do(t, deadline, "DBSIZE"); r != ":"+strconv.Itoa(1+len(a.writes))+"\r\n" {
		t.Fatalf("DBSIZE after the attack: %q (allowed writes %q)", r, a.writes)
	}
	for _, k := range a.writes {
		o.do(t, deadline, "DEL", k)
	}
	const benign = "return {('abc'):upper(), #KEYS, cjson.encode({1, 'x'}), tostring(0.1), type(redis.call), select('#', unpack({1, 2, 3}))}"
	want := "*6\r\n$3\r\nABC\r\n:1\r\n$7\r\n[1,\"x\"]\r\n$3\r\n0.1\r\n$8\r\nfunction\r\n:3\r\n"
	if r := o.do(t, deadline, "EVAL", benign, "1", "k"); r != want {
		t.Fatalf("another client's script after the attack:\n got: %q\nwant: %q", r, want)
	}
}

// The golden file holds Redis's replies, one per line: name, a tab, the
// Go-quoted reply.
const goldenPath = "testdata/redis.golden"

var (
	goldenOnce sync.Once
	goldenMap  map[string]string
)

func loadGolden(t *testing.T) map[string]string {
	goldenOnce.Do(func() {
		goldenMap = map[string]string{}
		b, err := os.ReadFile(goldenPath)
		if err != nil {
			return
		}
		for _, line := range strings.Split(string(b), "\n") {
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			name, q, ok := strings.Cut(line, "\t")
			if !ok {
				continue
			}
			v, err := strconv.Unquote(q)
			if err != nil {
				panic(fmt.Sprintf("%s: %v", goldenPath, err))
			}
			goldenMap[name] = v
		}
	})
	return goldenMap
}

type recorder struct {
	mu sync.Mutex
	m  map[string]string
}

var theRecorder = &recorder{m: map[string]string{}}

func (r *recorder) set(k, v string) {
	r.mu.Lock()
	r.m[k] = v
	r.mu.Unlock()
}

// TestMain writes the golden file after a recording run, keeping the
// entries of tests that did not run.
func TestMain(m *testing.M) {
	code := m.Run()
	if os.Getenv("MOONKV_RECORD") == "1" && len(theRecorder.m) > 0 {
		all := map[string]string{}
		if b, err := os.ReadFile(goldenPath); err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				if name, q, ok := strings.Cut(line, "\t"); ok && !strings.HasPrefix(line, "#") {
					if v, err := strconv.Unquote(q); err == nil {
						all[name] = v
					}
				}
			}
		}
		for k, v := range theRecorder.m {
			all[k] = v
		}
		names := make([]string, 0, len(all))
		for k := range all {
			names = append(names, k)
		}
		sort.Strings(names)
		var b bytes.Buffer
		b.WriteString("# Replies recorded from redis-server 7.0.15; re-record with MOONKV_RECORD=1.\n")
		for _, k := range names {
			b.WriteString(k + "\t" + strconv.Quote(all[k]) + "\n")
		}
		if err := os.WriteFile(goldenPath, b.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// heapLive is the process's live heap after a full collection (the
// embedded server runs in the test's process).
func heapLive() uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
