package debug_test

import (
	"bufio"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/test/compat"
)

// client is one connection sending commands and reading raw replies.
type client struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

func dial(t *testing.T, addr string) *client {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &client{t, c, bufio.NewReader(c)}
}

// do sends one command (arguments as given) and returns its raw reply.
func (cl *client) do(args ...string) string {
	cl.t.Helper()
	var a [][]byte
	for _, s := range args {
		a = append(a, []byte(s))
	}
	cl.c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := cl.c.Write(compat.Encode(a)); err != nil {
		cl.t.Fatal(err)
	}
	r, err := compat.ReadReply(cl.r)
	if err != nil {
		cl.t.Fatalf("%v: %v", args, err)
	}
	return string(r)
}

// raw sends bytes and reads until the reply ends with want's last line,
// returning everything read (for replies followed by out-of-band data).
func (cl *client) rawUntil(payload, suffix string) string {
	cl.t.Helper()
	cl.c.SetDeadline(time.Now().Add(10 * time.Second))
	cl.c.Write([]byte(payload))
	var b strings.Builder
	for !strings.HasSuffix(b.String(), suffix) {
		line, err := cl.r.ReadString('\n')
		if err != nil {
			cl.t.Fatalf("after %q: %v", b.String(), err)
		}
		b.WriteString(line)
	}
	return b.String()
}

func must(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// objectData builds values of every type and encoding, including strings
// and listpacks long enough for LZF and a list of several nodes.
var objectData = [][]string{
	{"SET", "s1", "hello"},
	{"SET", "s2", "12345"},
	{"SET", "s3", "99999999999"},
	{"SET", "s4", strings.Repeat("a", 99)},
	{"SET", "s5", "the quick brown fox jumps over the lazy dog the quick brown fox jumps over the lazy dog"},
	{"SET", "s6", "abcdefghijklmnopqrstuvwxyz0123456789"},
	{"SET", "s7", "-12"},
	{"RPUSH", "l1", "a", "b", "c"},
	{"EVAL", "for i=1,2000 do redis.call('rpush', KEYS[1], 'element-number-' .. i) end", "1", "l2"},
	{"EVAL", "for i=1,300 do redis.call('rpush', KEYS[1], i * 1000 - 150000) end", "1", "l3"},
	{"SADD", "i1", "1", "2", "3", "70000"},
	{"SADD", "i2", "1", "5000000000"},
	{"SADD", "h1", "a", "b", "c"},
	{"HSET", "hh", "f1", "v1", "f2", "v2", "num", "12", "neg", "-300", "big", "123456789012"},
	{"EVAL", "for i=1,100 do redis.call('hset', KEYS[1], 'field' .. i, 'value' .. i) end", "1", "hbig"},
	{"EVAL", "for i=1,1000 do redis.call('hset', KEYS[1], 'field' .. i, 'value' .. i) end", "1", "hht"},
	{"ZADD", "z1", "1", "a", "2.5", "b", "3", "c", "1e20", "d", "-0.25", "e"},
	{"EVAL", "for i=1,100 do redis.call('zadd', KEYS[1], i*1.5, 'member' .. i) end", "1", "z2"},
	{"EVAL", "for i=1,200 do redis.call('zadd', KEYS[1], i*1.5, 'member' .. i) end", "1", "z3"},
}

// objectWant is DEBUG OBJECT on redis-server 7.0.15 for objectData, with
// the address and LRU figures cut out.
var objectWant = map[string]string{
	"s1":   "refcount:1 encoding:embstr serializedlength:6",
	"s2":   "refcount:1 encoding:int serializedlength:3",
	"s3":   "refcount:1 encoding:int serializedlength:12",
	"s4":   "refcount:1 encoding:raw serializedlength:13",
	"s5":   "refcount:1 encoding:raw serializedlength:56",
	"s6":   "refcount:1 encoding:embstr serializedlength:37",
	"l1":   "refcount:1 encoding:quicklist serializedlength:19 ql_nodes:1 ql_avg_node:3.00 ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:16",
	"l2":   "refcount:1 encoding:quicklist serializedlength:10225 ql_nodes:6 ql_avg_node:333.33 ql_listpack_max:-2 ql_compressed:0 ql_uncompressed_size:40935",
	"i1":   "refcount:1 encoding:intset serializedlength:25",
	"i2":   "refcount:1 encoding:intset serializedlength:25",
	"h1":   "refcount:1 encoding:hashtable serializedlength:7",
	"hh":   "refcount:1 encoding:listpack serializedlength:54",
	"hbig": "refcount:1 encoding:listpack serializedlength:794",
	"hht":  "refcount:1 encoding:hashtable serializedlength:17788",
	"z1":   "refcount:1 encoding:listpack serializedlength:46",
	"z2":   "refcount:1 encoding:listpack serializedlength:818",
	"z3":   "refcount:1 encoding:skiplist serializedlength:3494",
}

var objectVolatile = regexp.MustCompile(`^\+Value at:0x[0-9a-f]+ (.*) lru:\d+ lru_seconds_idle:\d+(.*)\r\n$`)

func objectLines(t *testing.T, addr string, extra ...[]string) map[string]string {
	cl := dial(t, addr)
	for _, cmd := range append(objectData, extra...) {
		cl.do(cmd...)
	}
	out := map[string]string{}
	for _, cmd := range objectData {
		k := cmd[1]
		if cmd[0] == "EVAL" {
			k = cmd[3]
		}
		r := cl.do("DEBUG", "OBJECT", k)
		m := objectVolatile.FindStringSubmatch(r)
		if m == nil {
			t.Fatalf("%s: DEBUG OBJECT reply %q has not Redis's shape", k, r)
		}
		out[k] = m[1] + m[2]
	}
	return out
}

// TestObjectMatchesRedis: refcount, encoding, serializedlength (Redis's
// RDB encodings, listpacks and intsets rebuilt, LZF as Redis compresses)
// and the quicklist figures equal redis-server's.
func TestObjectMatchesRedis(t *testing.T) {
	_, addr := startMoonkv(t, nil)
	got := objectLines(t, addr)
	for k, w := range objectWant {
		if got[k] != w {
			t.Errorf("%s: got %q, want %q", k, got[k], w)
		}
	}
	if compat.ModeFromEnv(t).Live {
		want := objectLines(t, compat.StartRedis(t, "--enable-debug-command", "yes"))
		for k, w := range want {
			if got[k] != w {
				t.Errorf("%s against redis-server: got %q, want %q", k, got[k], w)
			}
		}
	}
	// shared integers, missing keys, lru fields
	cl := dial(t, addr)
	cl.do("SET", "small", "42")
	if r := cl.do("DEBUG", "OBJECT", "small"); !strings.Contains(r, " refcount:2147483647 encoding:int serializedlength:2 ") {
		t.Errorf("shared integer: %q", r)
	}
	must(t, cl.do("DEBUG", "OBJECT", "nokey"), "-ERR no such key\r\n")
}

// TestObjectExpiredKey: DEBUG OBJECT and DIGEST-VALUE see a key whose
// deadline has passed but which was not removed yet, as Redis's do.
func TestObjectExpiredKey(t *testing.T) {
	_, addr := startMoonkv(t, nil)
	cl := dial(t, addr)
	must(t, cl.do("DEBUG", "SET-ACTIVE-EXPIRE", "0"), "+OK\r\n")
	cl.do("SET", "k", "v", "PX", "1")
	time.Sleep(20 * time.Millisecond)
	if r := cl.do("DEBUG", "OBJECT", "k"); !strings.HasPrefix(r, "+Value at:") {
		t.Fatalf("DEBUG OBJECT of an expired key: %q", r)
	}
	if r := cl.do("DEBUG", "DIGEST-VALUE", "k"); strings.Contains(r, "+0000000000000000000000000000000000000000") {
		t.Fatalf("DIGEST-VALUE of an expired key: %q", r)
	}
	must(t, cl.do("DBSIZE"), ":1\r\n")
	must(t, cl.do("GET", "k"), "$-1\r\n")
	must(t, cl.do("DBSIZE"), ":0\r\n")
}

// protocolWant are redis-server 7.0.15's bytes for DEBUG PROTOCOL push
// under RESP3 (followed by its real reply) and under RESP2.
const (
	pushRESP3 = ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n"
	pushRESP2 = "-ERR RESP2 is not supported by this command\r\n"
)

var protocolTypes = []string{"string", "integer", "double", "bignum", "null", "array", "set", "map",
	"attrib", "push", "verbatim", "true", "false", "bogus"}

// protocolBytes returns, per type, every byte the server sends for DEBUG
// PROTOCOL <type> up to the PING sent after it.
func protocolBytes(t *testing.T, addr string, proto string) map[string]string {
	cl := dial(t, addr)
	cl.do("HELLO", proto)
	out := map[string]string{}
	for _, typ := range protocolTypes {
		all := cl.rawUntil("DEBUG PROTOCOL "+typ+"\r\nPING\r\n", "+PONG\r\n")
		out[typ] = strings.TrimSuffix(all, "+PONG\r\n")
	}
	return out
}

func TestProtocolBytes(t *testing.T) {
	_, addr := startMoonkv(t, nil)
	got3, got2 := protocolBytes(t, addr, "3"), protocolBytes(t, addr, "2")
	must(t, got3["push"], pushRESP3)
	must(t, got2["push"], pushRESP2)
	if compat.ModeFromEnv(t).Live {
		raddr := compat.StartRedis(t, "--enable-debug-command", "yes")
		want3, want2 := protocolBytes(t, raddr, "3"), protocolBytes(t, raddr, "2")
		for _, typ := range protocolTypes {
			if got3[typ] != want3[typ] {
				t.Errorf("RESP3 %s: got %q, want %q", typ, got3[typ], want3[typ])
			}
			if got2[typ] != want2[typ] {
				t.Errorf("RESP2 %s: got %q, want %q", typ, got2[typ], want2[typ])
			}
		}
	}
}

// redisHelpBlocks are the entries of redis-server 7.0.15's DEBUG HELP
// that moonkv serves, each as Redis prints it.
func helpOf(t *testing.T, addr string) []string {
	r := dial(t, addr).do("DEBUG", "HELP")
	lines := strings.Split(strings.TrimSuffix(r, "\r\n"), "\r\n")[1:]
	for i := range lines {
		lines[i] = strings.TrimPrefix(lines[i], "+")
	}
	return lines
}

// TestHelp: DEBUG HELP lists exactly the served subcommands, each entry
// word for word as Redis's help has it, in Redis's order.
func TestHelp(t *testing.T) {
	_, addr := startMoonkv(t, nil)
	got := helpOf(t, addr)
	var entries []string
	for _, l := range got[1:] {
		if !strings.HasPrefix(l, " ") {
			entries = append(entries, strings.ToLower(strings.Fields(l)[0]))
		}
	}
	want := "digest digest-value error log loadaof object pause-cron populate protocol reload set-active-expire sleep stringmatch-test help"
	if strings.Join(entries, " ") != want {
		t.Errorf("entries %v, want %s", entries, want)
	}
	if !compat.ModeFromEnv(t).Live {
		return
	}
	redis := strings.Join(helpOf(t, compat.StartRedis(t, "--enable-debug-command", "yes")), "\n")
	// each of our entries (a head line and its indented lines) appears
	// in Redis's text
	var block []string
	flush := func() {
		if len(block) > 0 && !strings.Contains(redis, strings.Join(block, "\n")) {
			t.Errorf("entry not in Redis's help: %q", block)
		}
		block = nil
	}
	for _, l := range got[1:] {
		if !strings.HasPrefix(l, " ") {
			flush()
		}
		block = append(block, l)
	}
	flush()
	if got[0] != "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:" {
		t.Errorf("first line %q", got[0])
	}
}

// TestGate: enable-debug-command no refuses DEBUG, yes and local (for a
// loopback client) allow it.
func TestGate(t *testing.T) {
	for _, c := range []struct{ setting, want string }{
		{"no", "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n"},
		{"local", "+OK\r\n"},
		{"yes", "+OK\r\n"},
	} {
		_, addr := startMoonkv(t, func(sc *server.Config) { sc.EnableDebugCommand = c.setting; sc.RequirePass = "pw" })
		cl := dial(t, addr)
		// the gate comes before authentication, as in Redis
		must(t, cl.do("DEBUG", "LOG", "x"), strings.Replace(c.want, "+OK\r\n", "-NOAUTH Authentication required.\r\n", 1))
		cl.do("AUTH", "pw")
		must(t, cl.do("DEBUG", "LOG", "x"), c.want)
	}
}

// TestSetActiveExpireAndPauseCron: with active expiry off, an expired key
// stays until it is touched; PAUSE-CRON stops the periodic task.
func TestSetActiveExpireAndPauseCron(t *testing.T) {
	for _, sub := range [][]string{{"SET-ACTIVE-EXPIRE", "0", "1"}, {"PAUSE-CRON", "1", "0"}} {
		_, addr := startMoonkv(t, nil)
		cl := dial(t, addr)
		must(t, cl.do("DEBUG", sub[0], sub[1]), "+OK\r\n")
		cl.do("SET", "k", "v", "PX", "1")
		time.Sleep(400 * time.Millisecond) // 4 cron periods at hz 10
		must(t, cl.do("DBSIZE"), ":1\r\n")
		must(t, cl.do("DEBUG", sub[0], sub[2]), "+OK\r\n")
		deadline := time.Now().Add(5 * time.Second)
		for cl.do("DBSIZE") != ":0\r\n" {
			if time.Now().After(deadline) {
				t.Fatalf("%s %s: the expired key was never removed", sub[0], sub[2])
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// TestSleepBlocksServer: DEBUG SLEEP holds the server, as in Redis.
func TestSleepBlocksServer(t *testing.T) {
	_, addr := startMoonkv(t, nil)
	a, b := dial(t, addr), dial(t, addr)
	a.do("PING")
	b.do("PING")
	start := time.Now()
	a.c.Write([]byte("DEBUG SLEEP 0.3\r\n"))
	time.Sleep(50 * time.Millisecond)
	must(t, b.do("PING"), "+PONG\r\n")
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Fatalf("PING answered after %v while DEBUG SLEEP 0.3 ran", d)
	}
	r, _ := compat.ReadReply(a.r)
	must(t, string(r), "+OK\r\n")
}
