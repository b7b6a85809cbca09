package compat

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"
)

// Mode says which servers a differential test talks to.
type Mode struct {
	Live   bool // compare with a live redis-server too
	Record bool // rewrite golden files from redis-server
}

// ModeFromEnv reads MOONKV_ORACLE, MOONKV_RECORD and CI. In CI the live
// oracle is required: a missing redis-server fails the test.
func ModeFromEnv(t testing.TB) Mode {
	m := Mode{
		Live:   os.Getenv("MOONKV_ORACLE") == "live" || os.Getenv("CI") == "true",
		Record: os.Getenv("MOONKV_RECORD") == "1",
	}
	if m.Record {
		m.Live = true
	}
	if m.Live {
		if _, err := exec.LookPath("redis-server"); err != nil {
			if os.Getenv("CI") == "true" || m.Record || os.Getenv("MOONKV_ORACLE") == "live" {
				t.Fatalf("the live Redis oracle is required here but redis-server is not installed (apt-get install -y redis-server)")
			}
			m.Live = false
		}
	}
	return m
}

// StartRedis starts a throw-away redis-server on a free loopback port and
// returns its address; the test's cleanup stops it by its pid.
func StartRedis(t testing.TB, extra ...string) string {
	t.Helper()
	return StartRedisIn(t, t.TempDir(), extra...)
}

// StartRedisIn is StartRedis with its data directory in dir.
func StartRedisIn(t testing.TB, dir string, extra ...string) string {
	t.Helper()
	port := freePort(t)
	args := append([]string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--daemonize", "no", "--dir", dir, "--logfile", dir + "/redis.log"}, extra...)
	cmd := exec.Command("redis-server", args...)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	waitPong(t, addr)
	return addr
}

// waitPong waits for a server starting on addr to answer PING.
func waitPong(t testing.TB, addr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Write([]byte("PING\r\n"))
			c.SetReadDeadline(time.Now().Add(time.Second))
			line, _ := bufio.NewReader(c).ReadString('\n')
			c.Close()
			if line == "+PONG\r\n" {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("redis-server did not answer on %s", addr)
}

func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Session is a set of numbered connections to one server.
type Session struct {
	addr  string
	conns map[int]*conn
}

type conn struct {
	c net.Conn
	r *bufio.Reader
}

// NewSession prepares connections to addr, dialled on first use.
func NewSession(addr string) *Session { return &Session{addr: addr, conns: map[int]*conn{}} }

// Close closes every connection.
func (s *Session) Close() {
	for _, c := range s.conns {
		c.c.Close()
	}
}

// Do runs one step and returns the raw reply. For a step that must close
// the connection, the reply is followed by "<closed>" when it did.
func (s *Session) Do(st Step) ([]byte, error) {
	c := s.conns[st.Conn]
	if c == nil {
		nc, err := net.Dial("tcp", s.addr)
		if err != nil {
			return nil, err
		}
		c = &conn{nc, bufio.NewReaderSize(nc, 1<<16)}
		s.conns[st.Conn] = c
	}
	if st.Sleep > 0 {
		time.Sleep(time.Duration(st.Sleep) * time.Millisecond)
	}
	payload := st.Raw
	if payload == nil {
		payload = Encode(st.Args)
	}
	// generous: some steps (deep recursion in a script) are slow under -race
	c.c.SetDeadline(time.Now().Add(60 * time.Second))
	if _, err := c.c.Write(payload); err != nil {
		return nil, err
	}
	reply, err := ReadReply(c.r)
	if err != nil && !(st.Close && len(reply) == 0) {
		return nil, fmt.Errorf("reading reply: %w", err)
	}
	if st.Close {
		c.c.SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := c.r.ReadByte(); err != nil {
			reply = append(reply, "<closed>"...)
		}
		c.c.Close()
		delete(s.conns, st.Conn)
	}
	return reply, nil
}

// NeedRedis skips a test that needs redis-server when it is not
// installed, except in CI (CI=true), where a missing oracle fails the
// test: CI must run every comparison.
func NeedRedis(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redis-server is required in CI (apt-get install -y redis-server)")
		}
		t.Skip("redis-server not installed")
	}
}
