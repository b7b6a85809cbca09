package server_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/test/compat"
)

// The event loop's own paths (loop_linux.go): replies that do not fit in
// the socket, pipelines longer than a batch, a script that keeps the loop
// busy, clients handed to goroutines for blocking commands, CLIENT KILL.
// Each test runs in both serving modes and must see the same replies.

func forModes(t *testing.T, f func(t *testing.T, addr string)) {
	for _, mode := range []struct {
		name     string
		gor, own bool
	}{{"loop", false, false}, {"loop-own-process", false, true}, {"goroutines", true, false}} {
		t.Run(mode.name, func(t *testing.T) {
			// (own process: the loop waits and spins the way it does in
			// the moonkv binary, see poll and spin)
			_, addr := startMoonkv(t, func(c *server.Config) { c.GoroutineClients, c.OwnProcess = mode.gor, mode.own })
			f(t, addr)
		})
	}
}

type tconn struct {
	t testing.TB
	c net.Conn
	r *bufio.Reader
}

func dial(t testing.TB, addr string) *tconn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &tconn{t, c, bufio.NewReader(c)}
}

func (c *tconn) send(args ...string) {
	c.t.Helper()
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	c.c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.c.Write(compat.Encode(bs)); err != nil {
		c.t.Fatal(err)
	}
}

func (c *tconn) reply() string {
	c.t.Helper()
	c.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	r, err := compat.ReadReply(c.r)
	if err != nil {
		c.t.Fatal(err)
	}
	return string(r)
}

func (c *tconn) do(args ...string) string {
	c.t.Helper()
	c.send(args...)
	return c.reply()
}

// waitFor polls cond until it holds, failing after 10 s: what the server
// does after a reply (closing, moving a client) has no reply to wait on.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
	}
}

func expect(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Fatalf("%s: got %q, want %q", what, got, want)
	}
}

// A client that asks for far more than the socket holds and reads slowly
// gets every byte in order, and does not hold up anyone else meanwhile.
func TestLoopSlowReader(t *testing.T) {
	forModes(t, func(t *testing.T, addr string) {
		a, b := dial(t, addr), dial(t, addr)
		big := strings.Repeat("x", 1<<20)
		expect(t, "SET", a.do("SET", "big", big), "+OK\r\n")
		const n = 40
		var pipe bytes.Buffer
		for i := 0; i < n; i++ {
			pipe.Write(compat.Encode([][]byte{[]byte("GET"), []byte("big")}))
		}
		a.c.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := a.c.Write(pipe.Bytes()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond) // let the server fill the socket
		for i := 0; i < 20; i++ {
			expect(t, "INCR while a is not reading", b.do("INCR", "n"), fmt.Sprintf(":%d\r\n", i+1))
		}
		want := fmt.Sprintf("$%d\r\n%s\r\n", len(big), big)
		for i := 0; i < n; i++ {
			if got := a.reply(); got != want {
				t.Fatalf("reply %d: %d bytes, want %d", i, len(got), len(want))
			}
			if i%8 == 0 {
				time.Sleep(5 * time.Millisecond)
			}
		}
		expect(t, "PING after", a.do("PING"), "+PONG\r\n")
	})
}

// A pipeline of many more commands than one batch runs in order, in one
// write from the client.
func TestLoopLongPipeline(t *testing.T) {
	forModes(t, func(t *testing.T, addr string) {
		a, b := dial(t, addr), dial(t, addr)
		const n = 5000
		var pipe bytes.Buffer
		for i := 0; i < n; i++ {
			pipe.Write(compat.Encode([][]byte{[]byte("RPUSH"), []byte("l"), []byte(fmt.Sprint(i))}))
		}
		pipe.Write(compat.Encode([][]byte{[]byte("LINDEX"), []byte("l"), []byte("-1")}))
		go a.c.Write(pipe.Bytes())
		for i := 0; i < n; i++ {
			expect(t, "RPUSH", a.reply(), fmt.Sprintf(":%d\r\n", i+1))
		}
		expect(t, "LINDEX", a.reply(), fmt.Sprintf("$%d\r\n%d\r\n", len(fmt.Sprint(n-1)), n-1))
		expect(t, "LLEN from another client", b.do("LLEN", "l"), fmt.Sprintf(":%d\r\n", n))
	})
}

// A script that runs past busy-reply-threshold: other clients, old and
// newly connected, are answered -BUSY; SCRIPT KILL ends it; all go on.
func TestLoopBusyScript(t *testing.T) {
	forModes(t, func(t *testing.T, addr string) {
		a, b := dial(t, addr), dial(t, addr)
		expect(t, "CONFIG SET", b.do("CONFIG", "SET", "busy-reply-threshold", "50"), "+OK\r\n")
		t.Cleanup(func() {
			// a failure must not leave the script running: Close would
			// wait for it forever
			if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
				c.SetDeadline(time.Now().Add(time.Second))
				c.Write([]byte("SCRIPT KILL\r\n"))
				bufio.NewReader(c).ReadString('\n')
				c.Close()
			}
		})
		// (b's first GET often shares the loop's turn with the EVAL: its
		// reply, queued before the script started, must still go out)
		a.send("EVAL", "while true do end", "0")
		busy := "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\r\n"
		// (answered at once, or after the lock once the script is past
		// the threshold: "$-1" only if the script has not started yet)
		waitFor(t, "GET answered -BUSY", func() bool {
			got := b.do("GET", "k")
			if got != busy && got != "$-1\r\n" {
				t.Fatalf("GET while the script runs: %q", got)
			}
			return got == busy
		})
		c := dial(t, addr)
		expect(t, "a new client while busy", c.do("SET", "k", "v"), busy)
		expect(t, "SCRIPT KILL", b.do("SCRIPT", "KILL"), "+OK\r\n")
		got := a.reply()
		if !strings.HasPrefix(got, "-ERR Script killed by user with SCRIPT KILL...") {
			t.Fatalf("the script's reply: %q", got)
		}
		expect(t, "a after", a.do("SET", "k", "1"), "+OK\r\n")
		expect(t, "b after", b.do("GET", "k"), "$1\r\n1\r\n")
		expect(t, "c after", c.do("INCR", "k"), ":2\r\n")
	})
}

// A blocking command moves its client to a goroutine: pipelined commands
// around it keep their order, the client is woken by a push, and it goes
// on being served.
func TestLoopBlockingHandoff(t *testing.T) {
	forModes(t, func(t *testing.T, addr string) {
		a, b := dial(t, addr), dial(t, addr)
		var pipe bytes.Buffer
		for _, cmd := range [][]string{{"SET", "x", "1"}, {"BLPOP", "q", "0"}, {"INCR", "x"}} {
			bs := make([][]byte, len(cmd))
			for i, s := range cmd {
				bs[i] = []byte(s)
			}
			pipe.Write(compat.Encode(bs))
		}
		a.c.Write(pipe.Bytes())
		expect(t, "SET", a.reply(), "+OK\r\n")
		waitFor(t, "a blocked client", func() bool { return infoField(t, b, "blocked_clients") == "1" })
		expect(t, "LPUSH", b.do("LPUSH", "q", "job"), ":1\r\n")
		expect(t, "BLPOP", a.reply(), "*2\r\n$1\r\nq\r\n$3\r\njob\r\n")
		expect(t, "INCR", a.reply(), ":2\r\n")
		expect(t, "MULTI", a.do("MULTI"), "+OK\r\n")
		expect(t, "BLPOP in MULTI", a.do("BLPOP", "q", "0"), "+QUEUED\r\n")
		expect(t, "EXEC", a.do("EXEC"), "*1\r\n*-1\r\n")
		expect(t, "BLPOP with a timeout", a.do("BLPOP", "q", "0.05"), "*-1\r\n")
	})
}

// A client that left the loop for a blocking command comes back once it
// has run a few dozen commands without blocking again, and is served
// there as before; one that keeps blocking stays on its goroutine.
func TestLoopReturn(t *testing.T) {
	s, addr := startMoonkv(t)
	inLoop := func(id string) bool {
		for _, c := range s.Clients() {
			if fmt.Sprint(c.ID) == id {
				return c.InLoop()
			}
		}
		t.Fatalf("client %s not found", id)
		return false
	}
	a := dial(t, addr)
	id := strings.TrimSuffix(strings.TrimPrefix(a.do("CLIENT", "ID"), ":"), "\r\n")
	if !inLoop(id) {
		t.Fatal("a new client is not in the loop")
	}
	expect(t, "BLPOP", a.do("BLPOP", "q", "0.01"), "*-1\r\n")
	if inLoop(id) {
		t.Fatal("still in the loop after a blocking command")
	}
	for i := 0; i < 10; i++ {
		a.do("INCR", "n")
		expect(t, "BLPOP", a.do("BLPOP", "q", "0.001"), "*-1\r\n")
	}
	if inLoop(id) {
		t.Fatal("a client that keeps blocking went back to the loop")
	}
	for i := 0; i < 40; i++ {
		expect(t, "INCR", a.do("INCR", "n"), fmt.Sprintf(":%d\r\n", i+11))
	}
	// (it moves after its last reply has gone out)
	waitFor(t, "back in the loop after 40 commands", func() bool { return inLoop(id) })
	expect(t, "MULTI", a.do("MULTI"), "+OK\r\n")
	expect(t, "SET", a.do("SET", "k", "v"), "+QUEUED\r\n")
	expect(t, "EXEC", a.do("EXEC"), "*1\r\n+OK\r\n")
	b := dial(t, addr)
	a.send("BLPOP", "q", "0")
	waitFor(t, "a blocked client", func() bool { return infoField(t, b, "blocked_clients") == "1" })
	expect(t, "LPUSH", b.do("LPUSH", "q", "x"), ":1\r\n")
	expect(t, "BLPOP after coming back", a.reply(), "*2\r\n$1\r\nq\r\n$1\r\nx\r\n")
}

func infoField(t *testing.T, c *tconn, field string) string {
	t.Helper()
	info := c.do("INFO", "clients")
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return v
		}
	}
	t.Fatalf("no %s in %q", field, info)
	return ""
}

// CLIENT KILL closes another client's connection, and QUIT one's own after
// its reply.
func TestLoopClientKill(t *testing.T) {
	forModes(t, func(t *testing.T, addr string) {
		a, b := dial(t, addr), dial(t, addr)
		id := strings.TrimSuffix(strings.TrimPrefix(a.do("CLIENT", "ID"), ":"), "\r\n")
		expect(t, "CLIENT KILL", b.do("CLIENT", "KILL", "ID", id), ":1\r\n")
		a.c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := a.r.ReadByte(); err != io.EOF {
			t.Fatalf("read from the killed client: %v, want EOF", err)
		}
		expect(t, "QUIT", b.do("QUIT"), "+OK\r\n")
		b.c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := b.r.ReadByte(); err != io.EOF {
			t.Fatalf("read after QUIT: %v, want EOF", err)
		}
		c := dial(t, addr)
		waitFor(t, "one client left", func() bool { return infoField(t, c, "connected_clients") == "1" })
	})
}

// Input the loop must not trip on: an empty command name (the loop peeks
// at the first byte of each name), a protocol error (answered, then the
// connection closes), a client killed after it left the loop for a
// goroutine.
func TestLoopOddInput(t *testing.T) {
	forModes(t, func(t *testing.T, addr string) {
		a := dial(t, addr)
		got := a.do("")
		if !strings.HasPrefix(got, "-ERR unknown command ''") {
			t.Fatalf("empty command name: %q", got)
		}
		a.c.Write([]byte("*1\r\n$x\r\n"))
		expect(t, "protocol error", a.reply(), "-ERR Protocol error: invalid bulk length\r\n")
		a.c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := a.r.ReadByte(); err != io.EOF {
			t.Fatalf("after a protocol error: %v, want EOF", err)
		}

		b, c := dial(t, addr), dial(t, addr)
		id := strings.TrimSuffix(strings.TrimPrefix(b.do("CLIENT", "ID"), ":"), "\r\n")
		expect(t, "BLPOP with a timeout", b.do("BLPOP", "nothing", "0.01"), "*-1\r\n")
		b.send("BLPOP", "nothing", "0")
		waitFor(t, "a blocked client", func() bool { return infoField(t, c, "blocked_clients") == "1" })
		expect(t, "CLIENT KILL of the blocked client", c.do("CLIENT", "KILL", "ID", id), ":1\r\n")
		b.c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := b.r.ReadByte(); err != io.EOF {
			t.Fatalf("read from the killed client: %v, want EOF", err)
		}
		waitFor(t, "no blocked client", func() bool { return infoField(t, c, "blocked_clients") == "0" })
	})
}
