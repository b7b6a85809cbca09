package blocking

import (
	"bufio"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/moonkv/moonkv"
	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/test/compat"
)

// conn is one raw client connection.
type conn struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

func dial(t *testing.T, addr string) *conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &conn{t: t, c: c, r: bufio.NewReader(c)}
}

// send writes a command without waiting for its reply.
func (c *conn) send(args ...string) {
	bs := make([][]byte, len(args))
	for i, a := range args {
		bs[i] = []byte(a)
	}
	if _, err := c.c.Write(compat.Encode(bs)); err != nil {
		c.t.Fatal(err)
	}
}

// read reads one reply, failing after a deadline.
func (c *conn) read() string {
	c.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	r, err := compat.ReadReply(c.r)
	if err != nil {
		c.t.Fatalf("reading reply: %v", err)
	}
	return string(r)
}

// pending reports whether no reply arrives within d (the client is still
// blocked).
func (c *conn) pending(d time.Duration) bool {
	c.c.SetReadDeadline(time.Now().Add(d))
	_, err := c.r.Peek(1)
	c.c.SetReadDeadline(time.Time{})
	return err != nil
}

func (c *conn) do(args ...string) string {
	c.send(args...)
	return c.read()
}

// settle gives a command just sent time to block on the server.
func settle() { time.Sleep(120 * time.Millisecond) }

// scenario runs against one server address and returns the replies seen,
// in order; the same scenario must give the same transcript on both.
type scenario func(t *testing.T, addr string, out *[]string)

func note(out *[]string, label, reply string) { *out = append(*out, label+" "+reply) }

var scenarios = map[string]scenario{
	"push wakes blpop": func(t *testing.T, addr string, out *[]string) {
		a, b := dial(t, addr), dial(t, addr)
		a.send("BLPOP", "k", "0")
		settle()
		note(out, "pending", fmt.Sprint(a.pending(50*time.Millisecond)))
		note(out, "info", fmt.Sprint(strings.Contains(b.do("INFO", "clients"), "blocked_clients:1\r\n")))
		note(out, "rpush", b.do("RPUSH", "k", "x", "y"))
		note(out, "blpop", a.read())
		note(out, "lrange", b.do("LRANGE", "k", "0", "-1"))
	},
	"first blocked first served": func(t *testing.T, addr string, out *[]string) {
		a, b, c, d := dial(t, addr), dial(t, addr), dial(t, addr), dial(t, addr)
		a.send("BRPOP", "k", "0")
		settle()
		b.send("BLPOP", "other", "k", "0")
		settle()
		c.send("BLPOP", "k", "0")
		settle()
		note(out, "rpush", d.do("RPUSH", "k", "1", "2"))
		note(out, "a", a.read())
		note(out, "b", b.read())
		note(out, "c pending", fmt.Sprint(c.pending(100*time.Millisecond)))
		note(out, "rpush", d.do("RPUSH", "k", "3"))
		note(out, "c", c.read())
		note(out, "exists", d.do("EXISTS", "k"))
	},
	"served after exec": func(t *testing.T, addr string, out *[]string) {
		a, b := dial(t, addr), dial(t, addr)
		a.send("BLPOP", "k", "0")
		settle()
		note(out, "multi", b.do("MULTI"))
		note(out, "q1", b.do("RPUSH", "k", "a", "b"))
		note(out, "q2", b.do("LPOP", "k"))
		note(out, "exec", b.do("EXEC"))
		note(out, "blpop", a.read())
		note(out, "llen", b.do("LLEN", "k"))
		// a transaction that pushes and empties again serves nobody
		a.send("BLPOP", "k2", "0")
		settle()
		b.do("MULTI")
		b.do("RPUSH", "k2", "x")
		b.do("DEL", "k2")
		note(out, "exec2", b.do("EXEC"))
		note(out, "still blocked", fmt.Sprint(a.pending(100*time.Millisecond)))
		note(out, "rpush", b.do("RPUSH", "k2", "z"))
		note(out, "blpop2", a.read())
	},
	"blmove chain": func(t *testing.T, addr string, out *[]string) {
		a, b, c := dial(t, addr), dial(t, addr), dial(t, addr)
		a.send("BLMOVE", "src", "mid", "LEFT", "RIGHT", "0")
		settle()
		b.send("BRPOPLPUSH", "mid", "dst", "0")
		settle()
		note(out, "rpush", c.do("RPUSH", "src", "v"))
		note(out, "a", a.read())
		note(out, "b", b.read())
		note(out, "dst", c.do("LRANGE", "dst", "0", "-1"))
		note(out, "mid", c.do("EXISTS", "src", "mid"))
	},
	"blmpop count": func(t *testing.T, addr string, out *[]string) {
		a, b := dial(t, addr), dial(t, addr)
		a.send("BLMPOP", "0", "2", "k1", "k2", "RIGHT", "COUNT", "2")
		settle()
		note(out, "rpush", b.do("RPUSH", "k2", "a", "b", "c"))
		note(out, "blmpop", a.read())
		note(out, "left", b.do("LRANGE", "k2", "0", "-1"))
	},
	"bzpop": func(t *testing.T, addr string, out *[]string) {
		a, b, c := dial(t, addr), dial(t, addr), dial(t, addr)
		a.send("BZPOPMIN", "z", "0")
		settle()
		b.send("BZMPOP", "0", "1", "z", "MAX", "COUNT", "5")
		settle()
		note(out, "zadd", c.do("ZADD", "z", "1", "a", "2", "b", "3", "c"))
		note(out, "a", a.read())
		note(out, "b", b.read())
		note(out, "exists", c.do("EXISTS", "z"))
		a.send("BZPOPMAX", "z1", "z2", "0")
		settle()
		note(out, "zadd2", c.do("ZADD", "z2", "5", "m"))
		note(out, "a2", a.read())
	},
	"timeout": func(t *testing.T, addr string, out *[]string) {
		a := dial(t, addr)
		start := time.Now()
		note(out, "blpop", a.do("BLPOP", "k", "0.2"))
		el := time.Since(start)
		note(out, "waited", fmt.Sprint(el >= 150*time.Millisecond && el < 2*time.Second))
		note(out, "blmove", a.do("BLMOVE", "k", "d", "LEFT", "LEFT", "0.1"))
		note(out, "bzpopmin", a.do("BZPOPMIN", "k", "0.1"))
		note(out, "bzmpop", a.do("BZMPOP", "0.1", "1", "k", "MIN"))
		note(out, "ping", a.do("PING"))
	},
	"client unblock": func(t *testing.T, addr string, out *[]string) {
		a, b := dial(t, addr), dial(t, addr)
		id := strings.TrimSpace(strings.TrimPrefix(a.do("CLIENT", "ID"), ":"))
		a.send("BLPOP", "k", "0")
		settle()
		note(out, "unblock", b.do("CLIENT", "UNBLOCK", id))
		note(out, "blpop", a.read())
		a.send("BRPOPLPUSH", "k", "d", "0")
		settle()
		note(out, "unblock err", b.do("CLIENT", "UNBLOCK", id, "ERROR"))
		note(out, "brpoplpush", a.read())
		note(out, "not blocked", b.do("CLIENT", "UNBLOCK", id))
		note(out, "ping", a.do("PING"))
	},
	"disconnect loses nothing": func(t *testing.T, addr string, out *[]string) {
		a, b := dial(t, addr), dial(t, addr)
		a.send("BLPOP", "k", "0")
		settle()
		a.c.Close()
		settle()
		note(out, "rpush", b.do("RPUSH", "k", "x"))
		note(out, "llen", b.do("LLEN", "k"))
	},
	"pipelined after block": func(t *testing.T, addr string, out *[]string) {
		a, b := dial(t, addr), dial(t, addr)
		a.send("PING", "before")
		a.send("BLPOP", "k", "0")
		a.send("PING", "after")
		note(out, "before", a.read())
		settle()
		note(out, "pending", fmt.Sprint(a.pending(50*time.Millisecond)))
		note(out, "rpush", b.do("RPUSH", "k", "x"))
		note(out, "blpop", a.read())
		note(out, "after", a.read())
	},
	"type change keeps waiting": func(t *testing.T, addr string, out *[]string) {
		a, b := dial(t, addr), dial(t, addr)
		a.send("BLPOP", "k", "0")
		settle()
		note(out, "set", b.do("SET", "k", "str"))
		note(out, "pending", fmt.Sprint(a.pending(100*time.Millisecond)))
		note(out, "del", b.do("DEL", "k"))
		note(out, "rpush", b.do("RPUSH", "k", "v"))
		note(out, "blpop", a.read())
	},
	"blmove to wrong type waits": func(t *testing.T, addr string, out *[]string) {
		a, b := dial(t, addr), dial(t, addr)
		b.do("SET", "dst", "str")
		a.send("BLMOVE", "src", "dst", "LEFT", "LEFT", "0")
		settle()
		note(out, "rpush", b.do("RPUSH", "src", "v"))
		note(out, "pending", fmt.Sprint(a.pending(100*time.Millisecond)))
		note(out, "del", b.do("DEL", "dst"))
		note(out, "rpush2", b.do("RPUSH", "src", "w"))
		note(out, "blmove", a.read())
		note(out, "dst", b.do("LRANGE", "dst", "0", "-1"))
	},
	"script push wakes": func(t *testing.T, addr string, out *[]string) {
		a, b := dial(t, addr), dial(t, addr)
		a.send("BLPOP", "k", "0")
		settle()
		note(out, "eval", b.do("EVAL", "redis.call('rpush', KEYS[1], 'a'); redis.call('rpush', KEYS[1], 'b'); return redis.call('llen', KEYS[1])", "1", "k"))
		note(out, "blpop", a.read())
		// BLMPOP and BZMPOP may run in scripts, where they never block
		note(out, "eval blmpop", b.do("EVAL", "return redis.call('blmpop', 0, 1, KEYS[1], 'left')", "1", "k"))
		note(out, "eval blmpop empty", b.do("EVAL", "return redis.call('blmpop', 0, 1, KEYS[1], 'left')", "1", "k"))
		note(out, "eval bzmpop empty", b.do("EVAL", "return redis.call('bzmpop', 0, 1, KEYS[1], 'min')", "1", "k"))
	},
	"other writes wake": func(t *testing.T, addr string, out *[]string) {
		a, b := dial(t, addr), dial(t, addr)
		a.send("BLPOP", "k", "0")
		settle()
		b.do("RPUSH", "src", "renamed")
		note(out, "rename", b.do("RENAME", "src", "k"))
		note(out, "blpop", a.read())
		a.send("BZPOPMAX", "zk", "0")
		settle()
		b.do("ZADD", "za", "1", "x", "2", "y")
		note(out, "zunionstore", b.do("ZUNIONSTORE", "zk", "1", "za"))
		note(out, "bzpopmax", a.read())
		a.send("BLPOP", "sorted", "0")
		settle()
		b.do("RPUSH", "nums", "3", "1", "2")
		note(out, "sort store", b.do("SORT", "nums", "STORE", "sorted"))
		note(out, "blpop sorted", a.read())
	},
	"resp3 replies": func(t *testing.T, addr string, out *[]string) {
		a, b := dial(t, addr), dial(t, addr)
		a.do("HELLO", "3")
		a.send("BZPOPMIN", "z", "0")
		settle()
		b.do("ZADD", "z", "1.5", "m")
		note(out, "bzpopmin", a.read())
		a.send("BZMPOP", "0", "1", "z", "MIN")
		settle()
		b.do("ZADD", "z", "2", "n")
		note(out, "bzmpop", a.read())
		a.send("BLMPOP", "0", "1", "l", "LEFT", "COUNT", "2")
		settle()
		b.do("RPUSH", "l", "a", "b", "c")
		note(out, "blmpop", a.read())
		note(out, "timeout", a.do("BLMOVE", "none", "x", "LEFT", "LEFT", "0.05"))
	},
	"select db": func(t *testing.T, addr string, out *[]string) {
		a, b := dial(t, addr), dial(t, addr)
		a.do("SELECT", "3")
		a.send("BLPOP", "k", "0")
		settle()
		note(out, "push db0", b.do("RPUSH", "k", "zero"))
		note(out, "pending", fmt.Sprint(a.pending(100*time.Millisecond)))
		b.do("SELECT", "3")
		note(out, "push db3", b.do("RPUSH", "k", "three"))
		note(out, "blpop", a.read())
	},
}

// expected transcripts for moonkv when no redis-server is available.
var expected = map[string][]string{
	"push wakes blpop": {"pending true", "info true", "rpush :2\r\n", "blpop *2\r\n$1\r\nk\r\n$1\r\nx\r\n", "lrange *1\r\n$1\r\ny\r\n"},
	"timeout":          {"blpop *-1\r\n", "waited true", "blmove *-1\r\n", "bzpopmin *-1\r\n", "bzmpop *-1\r\n", "ping +PONG\r\n"},
}

func TestBlocking(t *testing.T) {
	mode := compat.ModeFromEnv(t)
	_, haveRedis := exec.LookPath("redis-server")
	for name, sc := range scenarios {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			t.Parallel()
			srv, err := moonkv.Start(moonkv.Config{})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			var got []string
			sc(t, srv.Addr(), &got)
			if mode.Live || haveRedis == nil {
				var want []string
				sc(t, compat.StartRedis(t), &want)
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Fatalf("transcripts differ\nredis:  %q\nmoonkv: %q", want, got)
				}
				return
			}
			if exp, ok := expected[name]; ok && strings.Join(got, "\n") != strings.Join(exp, "\n") {
				t.Fatalf("got %q want %q", got, exp)
			}
		})
	}
}

// With the AOF on, a served waiter's pop is logged after the push that
// woke it.
func TestServedPopReachesAOF(t *testing.T) {
	dir := t.TempDir()
	cfg := server.DefaultConfig()
	cfg.Port = 0
	cfg.Dir = dir
	cfg.AppendOnly = true
	cfg.AppendFsync = "always"
	srv := server.New(cfg, commands.Registry())
	if err := srv.OpenPersistence(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	srv.Serve()
	defer srv.Close()
	addr := srv.Addr().String()
	a, b := dial(t, addr), dial(t, addr)
	a.send("BLPOP", "q", "0")
	settle()
	b.do("RPUSH", "q", "1", "2")
	if got := a.read(); got != "*2\r\n$1\r\nq\r\n$1\r\n1\r\n" {
		t.Fatalf("BLPOP got %q", got)
	}
	var log []byte
	files, _ := filepathGlob(dir)
	for _, f := range files {
		log = append(log, f...)
	}
	push := strings.Index(string(log), "RPUSH")
	pop := strings.Index(string(log), "LPOP")
	if push < 0 || pop < 0 || pop < push {
		t.Fatalf("AOF does not log RPUSH then LPOP:\n%q", log)
	}
}
