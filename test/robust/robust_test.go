package robust

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/moonkv/moonkv"
	"github.com/moonkv/moonkv/test/compat"
)

func start(t *testing.T) *moonkv.Server {
	t.Helper()
	srv, err := moonkv.Start(moonkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// client is a raw connection with a reader, closed when the test ends.
type client struct {
	net.Conn
	r *bufio.Reader
}

func dial(t *testing.T, addr string) *client {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &client{c, bufio.NewReader(c)}
}

// do sends a command and returns its raw reply, within a deadline.
func (c *client) do(t *testing.T, args ...string) string {
	t.Helper()
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write(compat.Encode(bs)); err != nil {
		t.Fatalf("%q: write: %v", args, err)
	}
	reply, err := compat.ReadReply(c.r)
	if err != nil {
		t.Fatalf("%q: read: %v", args, err)
	}
	return string(reply)
}

// readToClose reads everything until the server closes the connection,
// failing if it does not within the deadline.
func (c *client) readToClose(t *testing.T, within time.Duration) string {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(within))
	data, err := io.ReadAll(c.r)
	if err != nil && !isReset(err) {
		t.Fatalf("the server did not close the connection within %v: %v (read %q)", within, err, data)
	}
	return string(data)
}

func isReset(err error) bool {
	return err != nil && strings.Contains(err.Error(), "connection reset")
}

// healthy checks that a fresh client is served promptly.
func healthy(t *testing.T, addr string) {
	t.Helper()
	c := dial(t, addr)
	if got := c.do(t, "PING"); got != "+PONG\r\n" {
		t.Fatalf("PING: %q", got)
	}
	if got := c.do(t, "SET", "health", "ok"); got != "+OK\r\n" {
		t.Fatalf("SET: %q", got)
	}
	if got := c.do(t, "GET", "health"); got != "$2\r\nok\r\n" {
		t.Fatalf("GET: %q", got)
	}
	c.Close()
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// settleGoroutines waits for the goroutine count to come back to base
// (connections released), failing after a deadline.
func settleGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > base+2 {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			t.Fatalf("%d goroutines still running, %d before: connections were not released\n%s", runtime.NumGoroutine(), base, buf[:n])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A 1 MB inline line: Redis answers "too big inline request" and closes.
func TestHugeInline(t *testing.T) {
	const want = "-ERR Protocol error: too big inline request\r\n"
	run := func(addr string) string {
		c := dial(t, addr)
		line := append([]byte("SET k "), bytes.Repeat([]byte("a"), 1<<20)...)
		line = append(line, "\r\n"...)
		go func() {
			c.SetWriteDeadline(time.Now().Add(10 * time.Second))
			c.Write(line) // fails once the server closes; that is expected
		}()
		return c.readToClose(t, 10*time.Second)
	}
	if mode := compat.ModeFromEnv(t); mode.Live {
		if got := run(compat.StartRedis(t)); got != want {
			t.Errorf("redis-server replied %q, this test expects %q", got, want)
		}
	}
	srv := start(t)
	if got := run(srv.Addr()); got != want {
		t.Errorf("got %q, want %q and a closed connection", got, want)
	}
	c := dial(t, srv.Addr())
	if got := c.do(t, "EXISTS", "k"); got != ":0\r\n" {
		t.Errorf("EXISTS k after the rejected SET: %q", got)
	}
	healthy(t, srv.Addr())
}

// Announcing the biggest bulk or argument count Redis accepts, and then
// sending almost nothing, must not make the server allocate what was
// announced; announcing more than Redis accepts is a protocol error.
func TestDeclaredSizesStayBounded(t *testing.T) {
	srv := start(t)
	addr := srv.Addr()
	base := heapInUse()
	goroutines := runtime.NumGoroutine()
	var held []*client
	for i := 0; i < 16; i++ {
		for _, hdr := range []string{
			"*1\r\n$536870912\r\n" + strings.Repeat("x", 1000),
			"*2147483647\r\n$536870912\r\nxx",
			"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870912\r\nabc",
		} {
			c := dial(t, addr)
			c.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if _, err := c.Write([]byte(hdr)); err != nil {
				t.Fatal(err)
			}
			held = append(held, c)
		}
	}
	healthy(t, addr) // also gives the server time to read what was sent
	time.Sleep(100 * time.Millisecond)
	if grew := int64(heapInUse()) - int64(base); grew > 64<<20 {
		t.Errorf("48 clients that announced 512 MB arguments grew the heap by %d MB", grew>>20)
	}
	for _, tc := range []struct{ in, want string }{
		{"*1\r\n$2147483648\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
		{"*2147483648\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
		{"*1\r\n$9223372036854775807\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
	} {
		c := dial(t, addr)
		c.Write([]byte(tc.in))
		if got := c.readToClose(t, 5*time.Second); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
	c := dial(t, addr)
	if got := c.do(t, "EXISTS", "k"); got != ":0\r\n" {
		t.Errorf("EXISTS k: %q, want :0 (no SET completed)", got)
	}
	c.Close()
	for _, h := range held {
		h.Close()
	}
	settleGoroutines(t, goroutines)
	healthy(t, addr)
}

// Clients that disconnect in the middle of a command leave no trace: the
// command never runs, others are served throughout, and the connection's
// resources are released.
func TestDisconnectMidCommand(t *testing.T) {
	srv := start(t)
	addr := srv.Addr()
	goroutines := runtime.NumGoroutine()
	other := dial(t, addr)
	partial := []string{
		"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\nabc",
		"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\n",
		"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1",
		"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n",
		"*3\r\n$3\r\nSET\r\n$1\r\nk",
		"*3\r\n$3\r\nSE",
		"*3\r",
		"*",
		"SET k 'half",
		"SET k v",
		"MULTI\r\nSET k v\r\n",
	}
	served := 0
	for round := 0; round < 20; round++ {
		for _, p := range partial {
			c := dial(t, addr)
			c.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if _, err := c.Write([]byte(p)); err != nil {
				t.Fatal(err)
			}
			if round%2 == 0 {
				// sometimes the server has read the half command before
				// the close, sometimes not
				time.Sleep(time.Millisecond)
			}
			c.Close()
			served++
			if got := other.do(t, "SET", "served", strconv.Itoa(served)); got != "+OK\r\n" {
				t.Fatalf("SET from another client: %q", got)
			}
		}
	}
	if got := other.do(t, "EXISTS", "k"); got != ":0\r\n" {
		t.Errorf("EXISTS k: %q, want :0 (no half-sent SET may run)", got)
	}
	if got := other.do(t, "GET", "served"); got != fmt.Sprintf("$3\r\n%d\r\n", served) {
		t.Errorf("GET served: %q", got)
	}
	other.Close()
	settleGoroutines(t, goroutines)
}

// A client that pipelines a flood of commands and never reads its replies
// must not stall anyone else, nor make the server buffer without bound.
func TestPipelineWithoutReading(t *testing.T) {
	srv := start(t)
	addr := srv.Addr()
	goroutines := runtime.NumGoroutine()
	setup := dial(t, addr)
	big := strings.Repeat("v", 64<<10)
	if got := setup.do(t, "SET", "big", big); got != "+OK\r\n" {
		t.Fatalf("SET big: %q", got)
	}
	base := heapInUse()

	flood := dial(t, addr)
	req := compat.Encode([][]byte{[]byte("GET"), []byte("big")})
	chunk := bytes.Repeat(req, 1000)
	done := make(chan error, 1)
	go func() {
		// 100k GETs of 64 kB: 6.4 GB of replies nobody reads
		flood.SetWriteDeadline(time.Now().Add(30 * time.Second))
		for i := 0; i < 100; i++ {
			if _, err := flood.Write(chunk); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()

	start := time.Now()
	worker := dial(t, addr)
	for i := 0; i < 200; i++ {
		key := fmt.Sprintf("w%d", i)
		if got := worker.do(t, "SET", key, "x"); got != "+OK\r\n" {
			t.Fatalf("SET while another client floods: %q", got)
		}
		if got := worker.do(t, "GET", key); got != "$1\r\nx\r\n" {
			t.Fatalf("GET while another client floods: %q", got)
		}
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("400 commands took %v while another client flooded", d)
	}
	if grew := int64(heapInUse()) - int64(base); grew > 64<<20 {
		t.Errorf("a client that does not read grew the heap by %d MB", grew>>20)
	}
	flood.Close()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the flooding writer did not stop after its connection closed")
	}
	worker.Close()
	setup.Close()
	settleGoroutines(t, goroutines)
	healthy(t, addr)
}

// Many clients each sending a protocol error at once: every one gets its
// error and is closed, and the server carries on.
func TestManyProtocolErrors(t *testing.T) {
	srv := start(t)
	addr := srv.Addr()
	goroutines := runtime.NumGoroutine()
	errs := make(chan string, 100)
	for i := 0; i < 100; i++ {
		go func() {
			c, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err != nil {
				errs <- err.Error()
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(10 * time.Second))
			c.Write([]byte("PING\r\n*1\r\n$-7\r\n"))
			data, err := io.ReadAll(c)
			if err != nil && !isReset(err) {
				errs <- err.Error()
				return
			}
			errs <- string(data)
		}()
	}
	for i := 0; i < 100; i++ {
		if got := <-errs; got != "+PONG\r\n-ERR Protocol error: invalid bulk length\r\n" {
			t.Errorf("got %q", got)
		}
	}
	settleGoroutines(t, goroutines)
	healthy(t, addr)
}

// Before AUTH, Redis allows at most 10 arguments of at most 16 KB each
// (CVE-2021-32675): a client that has not authenticated cannot make the
// server buffer large requests.
func TestUnauthenticatedLimits(t *testing.T) {
	cases := []struct{ in, want string }{
		{"*11\r\n", "-ERR Protocol error: unauthenticated multibulk length\r\n"},
		{"*1\r\n$16385\r\n", "-ERR Protocol error: unauthenticated bulk length\r\n"},
		{"*2\r\n$4\r\nAUTH\r\n$5\r\nwrong\r\n*11\r\n", "-WRONGPASS invalid username-password pair or user is disabled.\r\n-ERR Protocol error: unauthenticated multibulk length\r\n"},
	}
	run := func(addr string) {
		for _, tc := range cases {
			c := dial(t, addr)
			c.Write([]byte(tc.in))
			if got := c.readToClose(t, 5*time.Second); got != tc.want {
				t.Errorf("%s: %q: got %q, want %q", addr, tc.in, got, tc.want)
			}
		}
		// within the limits the request is read, and refused for want of AUTH
		c := dial(t, addr)
		args := make([][]byte, 10)
		for i := range args {
			args[i] = bytes.Repeat([]byte("x"), 16384)
		}
		args[0] = []byte("DEL")
		c.SetDeadline(time.Now().Add(5 * time.Second))
		c.Write(compat.Encode(args))
		if got, err := compat.ReadReply(c.r); err != nil || string(got) != "-NOAUTH Authentication required.\r\n" {
			t.Errorf("%s: 10 arguments of 16 KB before AUTH: %q, %v", addr, got, err)
		}
		// after AUTH the normal limits apply
		c.Write([]byte("*2\r\n$4\r\nAUTH\r\n$6\r\nsecret\r\n"))
		if got, err := compat.ReadReply(c.r); err != nil || string(got) != "+OK\r\n" {
			t.Fatalf("%s: AUTH: %q, %v", addr, got, err)
		}
		args = append(args, []byte("x"))
		args[1] = bytes.Repeat([]byte("y"), 20000)
		c.Write(compat.Encode(args))
		if got, err := compat.ReadReply(c.r); err != nil || string(got) != ":0\r\n" {
			t.Errorf("%s: 11 arguments after AUTH: %q, %v", addr, got, err)
		}
		// RESET forgets the authentication, and the limits are back
		c.Write([]byte("RESET\r\n*11\r\n"))
		if got := c.readToClose(t, 5*time.Second); got != "+RESET\r\n-ERR Protocol error: unauthenticated multibulk length\r\n" {
			t.Errorf("%s: RESET then 11 arguments: %q", addr, got)
		}
	}
	if mode := compat.ModeFromEnv(t); mode.Live {
		// StartRedis checks readiness with an unauthenticated PING, so the
		// password is set once it is up
		addr := compat.StartRedis(t)
		c := dial(t, addr)
		if got := c.do(t, "CONFIG", "SET", "requirepass", "secret"); got != "+OK\r\n" {
			t.Fatalf("CONFIG SET requirepass: %q", got)
		}
		run(addr)
	}
	srv, err := moonkv.Start(moonkv.Config{Password: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	run(srv.Addr())
}
