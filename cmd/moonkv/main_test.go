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
	bin, dir := buildBin(t)
	p := startBin(t, bin, "--dir", dir, "--appendonly", "no", "--save", "")
	p.signal(t, syscall.SIGTERM)
	p.exited(t)
	if !strings.Contains(p.logs.String(), "Received SIGTERM") {
		t.Errorf("log lacks the signal:\n%s", p.logs.String())
	}
}

// SIGTERM whose final save fails leaves the server running with its data,
// as Redis does (exiting would lose what could not be saved); once the
// save can succeed, SIGTERM stops it and the data is in the dump. With
// shutdown-on-sigterm force it exits all the same.
func TestSIGTERMKeepsServingWhenSaveFails(t *testing.T) {
	bin, _ := buildBin(t)
	dir := filepath.Join(t.TempDir(), "data")
	os.Mkdir(dir, 0o755)
	p := startBin(t, bin, "--dir", dir, "--appendonly", "no", "--save", "3600 1")
	if r := p.do(t, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"); r != "+OK\r\n" {
		t.Fatalf("SET: %q", r)
	}
	os.RemoveAll(dir)
	p.signal(t, syscall.SIGTERM)
	waitLog(t, p, "SIGTERM received but errors trying to shut down the server")
	if r := p.do(t, "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"); r != "$1\r\nv\r\n" {
		t.Fatalf("after a refused SIGTERM, GET: %q\n%s", r, p.logs.String())
	}
	os.Mkdir(dir, 0o755)
	p.signal(t, syscall.SIGTERM)
	p.exited(t)
	if _, err := os.Stat(filepath.Join(dir, "dump.rdb")); err != nil {
		t.Fatalf("no dump after the second SIGTERM: %v\n%s", err, p.logs.String())
	}

	os.RemoveAll(dir)
	os.Mkdir(dir, 0o755)
	p = startBin(t, bin, "--dir", dir, "--appendonly", "no", "--save", "3600 1", "--shutdown-on-sigterm", "force")
	os.RemoveAll(dir)
	p.signal(t, syscall.SIGTERM)
	p.exited(t)
}

type binProc struct {
	cmd  *exec.Cmd
	logs *syncBuf
	addr string
	done chan error
}

func buildBin(t *testing.T) (bin, dir string) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	dir = t.TempDir()
	bin = filepath.Join(dir, "moonkv")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin, dir
}

// startBin starts the program on a free port and waits until it serves.
func startBin(t *testing.T, bin string, args ...string) *binProc {
	port := freePort(t)
	p := &binProc{logs: &syncBuf{}, addr: fmt.Sprintf("127.0.0.1:%d", port), done: make(chan error, 1)}
	p.cmd = exec.Command(bin, append([]string{"--port", strconv.Itoa(port)}, args...)...)
	p.cmd.Stderr = p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	go func() { p.done <- p.cmd.Wait() }()
	ready := false
	for i := 0; i < 500 && !ready; i++ {
		if c, err := net.Dial("tcp", p.addr); err == nil {
			c.Close()
			ready = strings.Contains(p.logs.String(), "Ready to accept connections")
		}
		if !ready {
			time.Sleep(10 * time.Millisecond)
		}
	}
	if !ready {
		t.Fatalf("not ready:\n%s", p.logs.String())
	}
	time.Sleep(50 * time.Millisecond) // the signal handler is installed right after
	return p
}

func (p *binProc) signal(t *testing.T, sig os.Signal) {
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// do sends one raw command on a new connection and reads one line of
// reply (and the next, for a bulk string).
func (p *binProc) do(t *testing.T, raw string) string {
	c, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	c.Write([]byte(raw))
	r := bufio.NewReader(c)
	line, _ := r.ReadString('\n')
	if strings.HasPrefix(line, "$") && line != "$-1\r\n" {
		next, _ := r.ReadString('\n')
		line += next
	}
	return line
}

// exited waits for a clean exit.
func (p *binProc) exited(t *testing.T) {
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, p.logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("the signal did not stop the server:\n%s", p.logs.String())
	}
}

func waitLog(t *testing.T, p *binProc, text string) {
	for i := 0; i < 500; i++ {
		if strings.Contains(p.logs.String(), text) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("log lacks %q:\n%s", text, p.logs.String())
}
