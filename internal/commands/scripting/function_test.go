package scripting_test

import (
	"strings"
	"testing"
	"time"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/test/compat"
)

// reply reads one whole reply (any type) within d.
func (c *conn) reply(d time.Duration) string {
	c.c.SetReadDeadline(time.Now().Add(d))
	r, err := compat.ReadReply(c.rd)
	if err != nil {
		c.t.Fatalf("reading reply: %v", err)
	}
	return string(r)
}

func (c *conn) call(args ...string) string {
	c.send(args...)
	return c.reply(5 * time.Second)
}

const busyLib = "#!lua name=busy\n" +
	"redis.register_function('spin', function() local i = 0 while true do i = i + 1 end end)\n" +
	"redis.register_function('spinw', function() redis.call('set', 'w', '1') local n = 0 for i = 1, 3e7 do n = n + i end return 1 end)"

// TestFunctionKill: FUNCTION KILL stops a busy function and not an EVAL
// script, SCRIPT KILL the reverse; other clients' -BUSY names the kill
// command that applies; FUNCTION STATS shows the running function.
func TestFunctionKill(t *testing.T) {
	s := startServer(t, 150*time.Millisecond)
	a, b := dial(t, s), dial(t, s)
	if got := a.call("FUNCTION", "LOAD", busyLib); got != "$4\r\nbusy\r\n" {
		t.Fatalf("FUNCTION LOAD: %q", got)
	}
	if got := b.do("FUNCTION", "KILL"); got != "-NOTBUSY No scripts in execution right now." {
		t.Fatalf("FUNCTION KILL with nothing running: %q", got)
	}
	a.send("FCALL", "spin", "1", "somekey", "arg")
	time.Sleep(400 * time.Millisecond)
	if got := b.do("PING"); got != "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE." {
		t.Fatalf("PING during a busy function: %q", got)
	}
	st := b.call("FUNCTION", "STATS")
	want := "*4\r\n$14\r\nrunning_script\r\n*6\r\n$4\r\nname\r\n$4\r\nspin\r\n$7\r\ncommand\r\n*5\r\n$5\r\nFCALL\r\n$4\r\nspin\r\n$1\r\n1\r\n$7\r\nsomekey\r\n$3\r\narg\r\n$11\r\nduration_ms\r\n:"
	if !strings.HasPrefix(st, want) || !strings.Contains(st, "$7\r\nengines\r\n*2\r\n$3\r\nLUA\r\n*4\r\n$15\r\nlibraries_count\r\n:1\r\n$15\r\nfunctions_count\r\n:2\r\n") {
		t.Fatalf("FUNCTION STATS during a busy function: %q", st)
	}
	if got := b.do("SCRIPT", "KILL"); got != "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE." {
		t.Fatalf("SCRIPT KILL of a function: %q", got)
	}
	if got := b.do("SHUTDOWN"); got != "-BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE." {
		t.Fatalf("SHUTDOWN during a busy function: %q", got)
	}
	if got := b.do("FUNCTION", "KILL"); got != "+OK" {
		t.Fatalf("FUNCTION KILL: %q", got)
	}
	if got := a.line(5 * time.Second); got != "-ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2." {
		t.Fatalf("killed function replied %q", got)
	}
	if got := b.do("PING"); got != "+PONG" {
		t.Fatalf("PING after the kill: %q", got)
	}

	// An EVAL script: FUNCTION KILL and FUNCTION STATS refuse it.
	a.send("EVAL", "while true do end", "0")
	time.Sleep(400 * time.Millisecond)
	evalBusy := "-BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
	for _, cmd := range [][]string{{"PING"}, {"FUNCTION", "KILL"}, {"FUNCTION", "STATS"}, {"SHUTDOWN"}} {
		if got := b.do(cmd...); got != evalBusy {
			t.Fatalf("%v during a busy EVAL: %q", cmd, got)
		}
	}
	if got := b.do("SCRIPT", "KILL"); got != "+OK" {
		t.Fatalf("SCRIPT KILL: %q", got)
	}
	a.line(5 * time.Second)

	// A function that wrote cannot be killed.
	a.send("FCALL", "spinw", "0")
	time.Sleep(300 * time.Millisecond)
	if got := b.do("FUNCTION", "KILL"); !strings.HasPrefix(got, "-UNKILLABLE ") && got != "-NOTBUSY No scripts in execution right now." {
		t.Fatalf("FUNCTION KILL of a function that wrote: %q", got)
	}
	if got := a.line(60 * time.Second); got != ":1" {
		t.Fatalf("writing function replied %q", got)
	}
	if got := b.call("FUNCTION", "STATS"); !strings.HasPrefix(got, "*4\r\n$14\r\nrunning_script\r\n$-1\r\n") {
		t.Fatalf("FUNCTION STATS when idle: %q", got)
	}
}

// TestFunctionPropagation: FUNCTION LOAD/DELETE/FLUSH/RESTORE reach the
// AOF as sent, failed ones not at all; FCALL's effects as one MULTI/EXEC.
func TestFunctionPropagation(t *testing.T) {
	s, expect, none := effectsServer(t)
	c := dial(t, s)
	lib := "#!lua name=p\nredis.register_function('two', function(k, a) redis.call('set', k[1], a[1]) redis.call('incr', 'n') return 1 end)"
	c.call("FUNCTION", "LOAD", lib)
	expect("FUNCTION LOAD " + lib)
	c.call("FUNCTION", "LOAD", lib) // fails: exists
	c.call("FCALL", "two", "1", "k", "v")
	expect("MULTI|set k v|incr n|EXEC")
	dump := c.call("FUNCTION", "DUMP")
	payload := dump[strings.Index(dump, "\r\n")+2 : len(dump)-2]
	c.call("FUNCTION", "DELETE", "p")
	expect("FUNCTION DELETE p")
	c.call("FUNCTION", "DELETE", "p") // fails: gone
	c.call("FUNCTION", "RESTORE", payload, "APPEND")
	expect("FUNCTION RESTORE " + payload + " APPEND")
	c.call("FUNCTION", "FLUSH", "SYNC")
	expect("FUNCTION FLUSH SYNC")
	none()
}

// TestFunctionInfo: INFO memory counts the libraries and functions.
func TestFunctionInfo(t *testing.T) {
	s := startServer(t, time.Second)
	c := dial(t, s)
	c.call("FUNCTION", "LOAD", busyLib)
	c.call("SCRIPT", "LOAD", "return 1")
	info := c.call("INFO", "memory")
	for _, want := range []string{"number_of_functions:2\r\n", "number_of_libraries:1\r\n", "number_of_cached_scripts:1\r\n"} {
		if !strings.Contains(info, want) {
			t.Fatalf("INFO memory lacks %q:\n%s", want, info)
		}
	}
}

// TestFunctionDumpInterop: a FUNCTION DUMP of redis-server (whose code
// strings are LZF-compressed) restores here, and ours restores there.
func TestFunctionDumpInterop(t *testing.T) {
	compat.NeedRedis(t)
	addr := compat.StartRedis(t)
	r := compat.NewSession(addr)
	defer r.Close()
	do := func(args ...string) string {
		t.Helper()
		b := make([][]byte, len(args))
		for i, a := range args {
			b[i] = []byte(a)
		}
		out, err := r.Do(compat.Step{Conn: 1, Args: b})
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	long := "#!lua name=long\n-- " + strings.Repeat("padding that compresses well ", 20) + "\n" +
		"redis.register_function{function_name='hello', callback=function(k, a) return 'hello ' .. a[1] end, flags={'no-writes'}, description='greets'}"
	short := "#!lua name=short\nredis.register_function('s', function() return 1 end)"
	do("FUNCTION", "LOAD", long)
	do("FUNCTION", "LOAD", short)
	dump := do("FUNCTION", "DUMP")
	payload := dump[strings.Index(dump, "\r\n")+2 : len(dump)-2]

	s := startServer(t, time.Second)
	c := dial(t, s)
	if got := c.call("FUNCTION", "RESTORE", payload); got != "+OK\r\n" {
		t.Fatalf("RESTORE of redis-server's dump: %q", got)
	}
	if got := c.call("FCALL_RO", "hello", "0", "moon"); got != "$10\r\nhello moon\r\n" {
		t.Fatalf("FCALL after restore: %q", got)
	}
	if got, want := c.call("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "long"), do("FUNCTION", "LIST", "WITHCODE", "LIBRARYNAME", "long"); got != want {
		t.Fatalf("FUNCTION LIST after restore:\n got %q\nwant %q", got, want)
	}
	ours := c.call("FUNCTION", "DUMP")
	ourPayload := ours[strings.Index(ours, "\r\n")+2 : len(ours)-2]
	if got := do("FUNCTION", "RESTORE", ourPayload, "FLUSH"); got != "+OK\r\n" {
		t.Fatalf("redis-server's RESTORE of our dump: %q", got)
	}
	if got := do("FCALL", "s", "0"); got != ":1\r\n" {
		t.Fatalf("redis-server FCALL after restoring our dump: %q", got)
	}
	// A corrupt payload is refused by both alike.
	bad := []byte(payload)
	bad[5] ^= 0xff
	if got, want := c.call("FUNCTION", "RESTORE", string(bad)), do("FUNCTION", "RESTORE", string(bad)); got != want {
		t.Fatalf("corrupt payload: got %q, redis %q", got, want)
	}
}

// BenchmarkFcallCounter is BenchmarkEvalshaCounter's script as a
// function: FCALL against EVALSHA of the same body.
func BenchmarkFcallCounter(b *testing.B) {
	s := server.New(server.DefaultConfig(), commands.Registry())
	var w resp.Writer
	lib := "#!lua name=bench\nredis.register_function('counter', function(KEYS, ARGV)\n" + counter + "\nend)"
	s.Call(newCtx(s, &w, "FUNCTION", "LOAD", lib))
	if string(w.Buf) != "$5\r\nbench\r\n" {
		b.Fatalf("FUNCTION LOAD: %q", w.Buf)
	}
	c := newCtx(s, &w, "FCALL", "counter", "1", "counter", "1")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.Reset()
		s.Call(c)
	}
	if w.Buf[0] == '-' {
		b.Fatalf("reply %q", w.Buf)
	}
}

// BenchmarkFunctionLoad is FUNCTION LOAD REPLACE of a small library.
func BenchmarkFunctionLoad(b *testing.B) {
	s := server.New(server.DefaultConfig(), commands.Registry())
	var w resp.Writer
	lib := "#!lua name=bench\nredis.register_function('counter', function(KEYS, ARGV)\n" + counter + "\nend)"
	c := newCtx(s, &w, "FUNCTION", "LOAD", "REPLACE", lib)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.Reset()
		s.Call(c)
	}
	if string(w.Buf) != "$5\r\nbench\r\n" {
		b.Fatalf("FUNCTION LOAD: %q", w.Buf)
	}
}
