package server_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/test/compat"
)

func startMoonkv(t testing.TB, opts ...func(*server.Config)) (*server.Server, string) {
	t.Helper()
	cfg := server.DefaultConfig()
	cfg.Port = 0
	for _, o := range opts {
		o(&cfg)
	}
	s := server.New(cfg, commands.Registry())
	s.ApplyConfig()
	if err := s.ListenConfigured(); err != nil {
		t.Fatal(err)
	}
	s.Serve()
	t.Cleanup(func() { s.Close() })
	return s, s.Addr().String()
}

// do sends one command and returns its raw reply.
func do(t testing.TB, c net.Conn, r *bufio.Reader, args ...string) []byte {
	t.Helper()
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Write(compat.Encode(bs)); err != nil {
		t.Fatal(err)
	}
	reply, err := compat.ReadReply(r)
	if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return reply
}

// TestManyClients opens 2,000 connections at once, runs a command on each
// and closes them, within a time bound.
func TestManyClients(t *testing.T) {
	const n = 2000
	s, addr := startMoonkv(t)
	start := time.Now()
	conns := make([]net.Conn, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range conns {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := net.DialTimeout("tcp", addr, 10*time.Second)
			if err != nil {
				errs <- err
				return
			}
			conns[i] = c
			key := fmt.Sprintf("k%d", i)
			c.SetDeadline(time.Now().Add(20 * time.Second))
			fmt.Fprintf(c, "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1\r\nv\r\n", len(key), key)
			line, err := bufio.NewReader(c).ReadString('\n')
			if err != nil || line != "+OK\r\n" {
				errs <- fmt.Errorf("client %d: %q %v", i, line, err)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := len(s.Clients()); got != n {
		t.Errorf("connected clients: %d, want %d", got, n)
	}
	// (read through a command: the keyspace belongs to the lock holder)
	if got, want := string(do(t, conns[0], bufio.NewReader(conns[0]), "DBSIZE")), fmt.Sprintf(":%d\r\n", n); got != want {
		t.Errorf("DBSIZE: %q, want %q", got, want)
	}
	for _, c := range conns {
		c.Close()
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(s.Clients()) > 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := len(s.Clients()); got != 0 {
		t.Errorf("%d clients still registered after closing", got)
	}
	if el := time.Since(start); el > 30*time.Second {
		t.Errorf("2,000 clients took %v", el)
	}
}

func redisOrSkip(t *testing.T) string {
	t.Helper()
	mode := compat.ModeFromEnv(t)
	if !mode.Live {
		if _, err := os.Stat("/usr/bin/redis-server"); err != nil {
			t.Skip("redis-server not installed; set MOONKV_ORACLE=live to require it")
		}
	}
	return compat.StartRedis(t)
}

// infoFields parses an INFO reply into its sections and each section's
// field names, in order.
func infoFields(reply []byte) (sections []string, fields map[string][]string) {
	body := reply
	if i := bytes.Index(reply, []byte("\r\n")); i >= 0 {
		body = reply[i+2:]
	}
	fields = map[string][]string{}
	cur := ""
	for _, line := range strings.Split(string(body), "\r\n") {
		switch {
		case strings.HasPrefix(line, "# "):
			cur = line[2:]
			sections = append(sections, cur)
		case strings.Contains(line, ":"):
			name, _, _ := strings.Cut(line, ":")
			if strings.HasPrefix(name, "moonkv_") || laterRedisFields[name] {
				continue // moonkv's own additions
			}
			fields[cur] = append(fields[cur], name)
		}
	}
	return sections, fields
}

// laterRedisFields are INFO fields of Redis versions after 7.0 that moonkv
// reports (Redis 7.4's evicted_scripts: the EVAL cache is bounded).
var laterRedisFields = map[string]bool{"evicted_scripts": true}

// TestInfoFieldsMatchRedis compares the sections of INFO default and INFO
// all, and the names and order of their fields, with redis-server's.
// Sections whose lines depend on the traffic (commandstats, errorstats,
// keyspace) are compared as sets after the same commands; latencystats is
// not produced by moonkv.
func TestInfoFieldsMatchRedis(t *testing.T) {
	raddr := redisOrSkip(t)
	_, maddr := startMoonkv(t)
	get := func(addr string, args ...string) []byte {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		r := bufio.NewReader(c)
		do(t, c, r, "PING") // the oracle's readiness probe sent one
		do(t, c, r, "SET", "k", "v")
		do(t, c, r, "GET", "k")
		do(t, c, r, "CONFIG", "GET", "hz")
		do(t, c, r, "NOSUCH")
		do(t, c, r, "GET")
		return do(t, c, r, args...)
	}
	for _, which := range [][]string{{"INFO"}, {"INFO", "default"}, {"INFO", "all"}, {"INFO", "everything"}, {"INFO", "server", "keyspace"}} {
		wantSecs, want := infoFields(get(raddr, which...))
		gotSecs, got := infoFields(get(maddr, which...))
		var filtered []string
		for _, s := range wantSecs {
			if s != "Latencystats" {
				filtered = append(filtered, s)
			}
		}
		if strings.Join(filtered, ",") != strings.Join(gotSecs, ",") {
			t.Errorf("%v sections:\n redis:  %v\n moonkv: %v", which, filtered, gotSecs)
		}
		for _, sec := range filtered {
			w, g := want[sec], got[sec]
			if sec == "Commandstats" || sec == "Errorstats" || sec == "Keyspace" {
				w, g = sortedCopy(w), sortedCopy(g)
			}
			if strings.Join(w, ",") != strings.Join(g, ",") {
				t.Errorf("%v section %s fields:\n redis:  %v\n moonkv: %v", which, sec, w, g)
			}
		}
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// ownCommands are the commands of this package's files: their COMMAND
// INFO must match Redis byte for byte (with subcommands in the same order).
var ownCommands = []string{"ping", "echo", "quit", "reset", "select", "auth", "hello", "info", "time", "lastsave",
	"shutdown", "config", "command", "multi", "exec", "discard", "watch", "unwatch",
	"client|id", "client|setname", "client|getname", "client|list", "client|info", "client|kill", "client|no-evict", "client|reply", "client|help"}

// TestCommandInfoMatchesRedis compares COMMAND INFO for every command
// moonkv has with redis-server's. Mismatches in this package's commands
// fail the test; those of other families are logged (with -v) for their
// owners.
func TestCommandInfoMatchesRedis(t *testing.T) {
	raddr := redisOrSkip(t)
	s, maddr := startMoonkv(t)
	own := map[string]bool{}
	for _, n := range ownCommands {
		own[n] = true
	}
	var names []string
	for _, sp := range s.Reg.All() {
		if sp.Subs != nil && !own[sp.Name] {
			for _, sub := range sp.Subs {
				names = append(names, sub.Name)
			}
			continue
		}
		names = append(names, sp.Name)
	}
	sort.Strings(names)
	rc, err := net.Dial("tcp", raddr)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	mc, err := net.Dial("tcp", maddr)
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Close()
	rr, mr := bufio.NewReader(rc), bufio.NewReader(mc)
	for _, n := range names {
		want := do(t, rc, rr, "COMMAND", "INFO", n)
		got := do(t, mc, mr, "COMMAND", "INFO", n)
		if !strings.Contains(n, "|") && strings.Contains(string(want), "|") {
			want, got = normalizeSubcommands(want), normalizeSubcommands(got)
		}
		if bytes.Equal(want, got) {
			continue
		}
		if own[n] {
			t.Errorf("COMMAND INFO %s:\n redis:  %q\n moonkv: %q", n, want, got)
		} else {
			t.Logf("COMMAND INFO %s differs (another family's spec):\n redis:  %q\n moonkv: %q", n, want, got)
		}
	}
}

// normalizeSubcommands sorts the subcommand entries of a container's
// COMMAND INFO (Redis lists them in hash order).
func normalizeSubcommands(reply []byte) []byte {
	r := bufio.NewReader(bytes.NewReader(reply))
	head, _ := r.ReadBytes('\n')  // *1
	inner, _ := r.ReadBytes('\n') // *10
	var b bytes.Buffer
	b.Write(head)
	b.Write(inner)
	for i := 0; i < 9; i++ {
		one, err := compat.ReadReply(r)
		if err != nil {
			return reply
		}
		b.Write(one)
	}
	last, err := compat.ReadReply(r)
	if err != nil {
		return reply
	}
	b.Write(compat.Canonical(last))
	return b.Bytes()
}

// TestClientListFields checks CLIENT LIST's field names and order against
// Redis's.
func TestClientListFields(t *testing.T) {
	raddr := redisOrSkip(t)
	_, maddr := startMoonkv(t)
	names := func(addr string) []string {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		r := bufio.NewReader(c)
		reply := do(t, c, r, "CLIENT", "INFO")
		_, body, _ := bytes.Cut(reply, []byte("\r\n"))
		var out []string
		for _, kv := range strings.Fields(string(body)) {
			k, _, _ := strings.Cut(kv, "=")
			out = append(out, k)
		}
		return out
	}
	want, got := names(raddr), names(maddr)
	if strings.Join(want, " ") != strings.Join(got, " ") {
		t.Errorf("CLIENT INFO fields:\n redis:  %v\n moonkv: %v", want, got)
	}
}

// value is a parsed RESP reply: string, int64, nil, []value or
// map[string]value (maps keep key order in keys).
type value struct {
	s    string
	n    int64
	arr  []value
	keys []string
	m    map[string]value
	kind byte
}

func parseValue(r *bufio.Reader) (value, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return value{}, err
	}
	line = strings.TrimSuffix(line, "\r\n")
	v := value{kind: line[0]}
	switch line[0] {
	case '+', '-':
		v.s = line[1:]
	case ':':
		fmt.Sscan(line[1:], &v.n)
	case '$':
		var n int
		fmt.Sscan(line[1:], &n)
		if n >= 0 {
			buf := make([]byte, n+2)
			if _, err := io.ReadFull(r, buf); err != nil {
				return v, err
			}
			v.s = string(buf[:n])
		}
	case '*', '~', '%':
		var n int
		fmt.Sscan(line[1:], &n)
		if line[0] == '%' {
			v.m = map[string]value{}
			for i := 0; i < n; i++ {
				k, err := parseValue(r)
				if err != nil {
					return v, err
				}
				e, err := parseValue(r)
				if err != nil {
					return v, err
				}
				v.keys = append(v.keys, k.s)
				v.m[k.s] = e
			}
			return v, nil
		}
		for i := 0; i < n; i++ {
			e, err := parseValue(r)
			if err != nil {
				return v, err
			}
			v.arr = append(v.arr, e)
		}
	}
	return v, nil
}

// docShape renders a COMMAND DOCS entry without its free texts (summary,
// complexity, history descriptions), keeping the keys, argument names,
// types, tokens, flags and versions that redis-cli's hints use.
func docShape(v value, path string) string {
	switch {
	case v.m != nil:
		var b strings.Builder
		b.WriteString("{")
		keys := append([]string(nil), v.keys...)
		sort.Strings(keys)
		for _, k := range keys {
			b.WriteString(k + ":")
			switch k {
			case "summary", "complexity":
				b.WriteString("<text>")
			case "history":
				b.WriteString(fmt.Sprintf("<%d entries>", len(v.m[k].arr)))
			default:
				b.WriteString(docShape(v.m[k], path+"."+k))
			}
			b.WriteString(",")
		}
		b.WriteString("}")
		return b.String()
	case v.kind == '*' || v.kind == '~':
		parts := make([]string, len(v.arr))
		for i, e := range v.arr {
			parts[i] = docShape(e, path)
		}
		if strings.HasSuffix(path, "subcommands") || v.kind == '~' {
			sort.Strings(parts)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case v.kind == ':':
		return fmt.Sprint(v.n)
	}
	return v.s
}

// TestCommandDocsShapeMatchesRedis compares the structure of COMMAND DOCS
// for this package's commands with Redis's (in RESP3, where the reply is
// made of maps): the same keys, arguments, types, tokens and flags; only
// the summaries and complexity texts are moonkv's own.
func TestCommandDocsShapeMatchesRedis(t *testing.T) {
	raddr := redisOrSkip(t)
	_, maddr := startMoonkv(t)
	dial := func(addr string) (net.Conn, *bufio.Reader) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		r := bufio.NewReader(c)
		do(t, c, r, "HELLO", "3")
		return c, r
	}
	rc, rr := dial(raddr)
	mc, mr := dial(maddr)
	get := func(c net.Conn, r *bufio.Reader, name string) string {
		fmt.Fprintf(c, "*3\r\n$7\r\nCOMMAND\r\n$4\r\nDOCS\r\n$%d\r\n%s\r\n", len(name), name)
		v, err := parseValue(r)
		if err != nil {
			t.Fatal(err)
		}
		return docShape(v, "")
	}
	for _, n := range ownCommands {
		if n == "client" {
			continue
		}
		want, got := get(rc, rr, n), get(mc, mr, n)
		if want != got {
			t.Errorf("COMMAND DOCS %s shape:\n redis:  %s\n moonkv: %s", n, want, got)
		}
	}
}

func benchConn(b *testing.B) (net.Conn, *bufio.Reader) {
	_, addr := startMoonkv(b)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return c, bufio.NewReader(c)
}

func benchCommand(b *testing.B, args ...string) {
	c, r := benchConn(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		do(b, c, r, args...)
	}
}

func BenchmarkPing(b *testing.B)          { benchCommand(b, "PING") }
func BenchmarkInfoDefault(b *testing.B)   { benchCommand(b, "INFO") }
func BenchmarkClientList(b *testing.B)    { benchCommand(b, "CLIENT", "LIST") }
func BenchmarkConfigGetStar(b *testing.B) { benchCommand(b, "CONFIG", "GET", "*") }
func BenchmarkCommandInfoGet(b *testing.B) {
	benchCommand(b, "COMMAND", "INFO", "get")
}

// TestIntrospectionUnderLoad runs CLIENT LIST, CLIENT INFO, INFO and
// CONFIG SET while other clients work (for the race detector).
func TestIntrospectionUnderLoad(t *testing.T) {
	_, addr := startMoonkv(t)
	stop := make(chan struct{})
	var wg, named sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		named.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				named.Done()
				t.Error(err)
				return
			}
			defer c.Close()
			r := bufio.NewReader(c)
			do(t, c, r, "CLIENT", "SETNAME", fmt.Sprintf("w%d", i))
			named.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				do(t, c, r, "SET", "k", "v")
				do(t, c, r, "MULTI")
				do(t, c, r, "GET", "k")
				do(t, c, r, "EXEC")
				if n%10 == 0 {
					do(t, c, r, "HELLO", "3")
					do(t, c, r, "HELLO", "2")
				}
			}
		}(i)
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	// the workers stop before the test returns, whatever happens here
	defer wg.Wait()
	defer close(stop)
	named.Wait()
	for i := 0; i < 100; i++ {
		if reply := do(t, c, r, "CLIENT", "LIST"); !bytes.Contains(reply, []byte("name=w")) {
			t.Errorf("CLIENT LIST: %q", reply)
			return
		}
		do(t, c, r, "CLIENT", "INFO")
		do(t, c, r, "INFO", "all")
		do(t, c, r, "CONFIG", "SET", "timeout", fmt.Sprint(100+i), "maxclients", fmt.Sprint(1000+i))
	}
}

// TestClientListBlockedFlag checks the "b" flag of a client waiting in
// BLPOP, and that INFO counts it in blocked_clients.
func TestClientListBlockedFlag(t *testing.T) {
	_, addr := startMoonkv(t)
	waiter, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer waiter.Close()
	wr := bufio.NewReader(waiter)
	do(t, waiter, wr, "CLIENT", "SETNAME", "waiter")
	fmt.Fprintf(waiter, "*3\r\n$5\r\nBLPOP\r\n$4\r\nlist\r\n$1\r\n0\r\n")
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	deadline := time.Now().Add(5 * time.Second)
	for {
		list := string(do(t, c, r, "CLIENT", "LIST"))
		if strings.Contains(list, "name=waiter age=") && strings.Contains(list, "flags=b ") &&
			strings.Contains(string(do(t, c, r, "INFO", "clients")), "blocked_clients:1\r\n") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no blocked client in:\n%s", list)
		}
		time.Sleep(10 * time.Millisecond)
	}
	do(t, c, r, "RPUSH", "list", "x")
	waiter.SetDeadline(time.Now().Add(5 * time.Second))
	if reply, err := compat.ReadReply(wr); err != nil || string(reply) != "*2\r\n$4\r\nlist\r\n$1\r\nx\r\n" {
		t.Fatalf("BLPOP reply %q, %v", reply, err)
	}
	if list := string(do(t, c, r, "CLIENT", "LIST")); strings.Contains(list, "flags=b ") {
		t.Fatalf("still blocked:\n%s", list)
	}
}
