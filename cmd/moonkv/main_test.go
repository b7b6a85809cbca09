package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestBadConfigFileStopsTheStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.conf")
	os.WriteFile(path, []byte("port 7000\n\n# comment\nfrobnicate yes\n"), 0o644)
	var out syncBuf
	if code := run([]string{path}, &out); code != 1 {
		t.Fatalf("exit code %d", code)
	}
	msg := out.String()
	for _, want := range []string{"FATAL CONFIG FILE ERROR", path + ", at line 4", "'frobnicate yes'", "Bad directive"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	out = syncBuf{}
	if code := run([]string{"--port", "notaport"}, &out); code != 1 || !strings.Contains(out.String(), "couldn't be parsed into an integer") {
		t.Fatalf("exit code %d, message %s", code, out.String())
	}
}

// TestStartFileFlagsShutdown starts the program with a config file whose
// port a flag overrides, checks the flag won, and stops it with SHUTDOWN.
func TestStartFileFlagsShutdown(t *testing.T) {
	dir := t.TempDir()
	port := freePort(t)
	path := filepath.Join(dir, "moonkv.conf")
	os.WriteFile(path, []byte("port 1\nbind 127.0.0.1\nhz 20\nsave \"\"\nappendonly no\n"), 0o644)
	var out syncBuf
	done := make(chan int, 1)
	go func() { done <- run([]string{path, "--port", strconv.Itoa(port), "--maxclients", "50"}, &out) }()

	addr := fmt.Sprintf("127.0.0.1:%d", port)
	var c net.Conn
	var err error
	for i := 0; i < 200; i++ {
		if c, err = net.Dial("tcp", addr); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server did not start: %v\n%s", err, out.String())
	}
	defer c.Close()
	r := bufio.NewReader(c)
	send := func(cmd string) string {
		c.SetDeadline(time.Now().Add(5 * time.Second))
		fmt.Fprintf(c, "%s\r\n", cmd)
		line, _ := r.ReadString('\n')
		if strings.HasPrefix(line, "*") || strings.HasPrefix(line, "$") {
			n, _ := strconv.Atoi(strings.TrimSpace(line[1:]))
			if line[0] == '*' {
				var parts []string
				for i := 0; i < n; i++ {
					r.ReadString('\n')
					v, _ := r.ReadString('\n')
					parts = append(parts, strings.TrimSpace(v))
				}
				return strings.Join(parts, " ")
			}
			v, _ := r.ReadString('\n')
			return strings.TrimSpace(v)
		}
		return strings.TrimSpace(line)
	}
	if got := send("CONFIG GET port"); got != "port "+strconv.Itoa(port) {
		t.Errorf("CONFIG GET port = %q", got)
	}
	if got := send("CONFIG GET hz"); got != "hz 20" {
		t.Errorf("CONFIG GET hz = %q", got)
	}
	if got := send("CONFIG GET maxclients"); got != "maxclients 50" {
		t.Errorf("CONFIG GET maxclients = %q", got)
	}
	if got := send("CONFIG SET hz 30"); got != "+OK" {
		t.Errorf("CONFIG SET = %q", got)
	}
	if got := send("CONFIG REWRITE"); got != "+OK" {
		t.Errorf("CONFIG REWRITE = %q", got)
	}
	fmt.Fprintf(c, "SHUTDOWN NOSAVE\r\n")
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit code %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("SHUTDOWN did not stop the server")
	}
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), "hz 30\n") || !strings.Contains(string(data), "maxclients 50\n") {
		t.Errorf("rewritten file:\n%s", data)
	}
	for _, want := range []string{"Ready to accept connections", "User requested shutdown"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, out.String())
		}
	}
}

// TestSIGTERMStopsCleanly runs the built program, sends it SIGTERM once it
// serves, and expects a clean exit with the shutdown logged.
func TestSIGTERMStopsCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "moonkv")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	port := freePort(t)
	var logs syncBuf
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--dir", dir, "--appendonly", "no", "--save", "")
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	ready := false
	for i := 0; i < 500 && !ready; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			ready = strings.Contains(logs.String(), "Ready to accept connections")
		}
		if !ready {
			time.Sleep(10 * time.Millisecond)
		}
	}
	if !ready {
		t.Fatalf("not ready:\n%s", logs.String())
	}
	time.Sleep(50 * time.Millisecond) // the signal handler is installed right after
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("SIGTERM did not stop the server:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "Received SIGTERM") {
		t.Errorf("log lacks the signal:\n%s", logs.String())
	}
}
