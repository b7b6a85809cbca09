package moonvm_test

import (
	"strings"
	"testing"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/script"
	"github.com/moonkv/moonkv/internal/script/moonvm"
	"github.com/moonkv/moonkv/internal/server"
)

const counter = `local current = redis.call('get', KEYS[1])
if current then
    current = tonumber(current)
    redis.call('set', KEYS[1], current + ARGV[1])
    return current + ARGV[1]
else
    redis.call('set', KEYS[1], ARGV[1])
    return ARGV[1]
end`

// newServer makes a server whose scripts run on the VM newVM makes.
func newServer(newVM func(*script.Engine) script.VM) *server.Server {
	s := server.New(server.DefaultConfig(), commands.Registry())
	s.Scripts = script.New(s, newVM)
	return s
}

func newCtx(s *server.Server, w *resp.Writer, args ...string) *server.Ctx {
	a := make([][]byte, len(args))
	for i, x := range args {
		a[i] = []byte(x)
	}
	return &server.Ctx{Srv: s, KS: s.KS, DB: s.KS.DBs[0], R: w, Args: a, Spec: s.Reg.LookupArgs(a)}
}

func do(s *server.Server, args ...string) string {
	var w resp.Writer
	s.Call(newCtx(s, &w, args...))
	return string(w.Buf)
}

func TestCounter(t *testing.T) {
	s := newServer(moonvm.New)
	for _, want := range []string{"$1\r\n5\r\n", ":10\r\n", ":15\r\n"} {
		if got := do(s, "EVAL", counter, "1", "c", "5"); got != want {
			t.Fatalf("counter: %q, want %q", got, want)
		}
	}
}

// TestRepliesAsRedis runs scripts one after another on one server and
// compares each reply with the one redis-server 7.0.15 gave for the same
// sequence (recorded with EVAL ... 0 on a fresh redis-server).
func TestRepliesAsRedis(t *testing.T) {
	s := newServer(moonvm.New)
	for _, c := range []struct{ src, want string }{
		{"return {1, 'a', false, true, {ok='S'}, {err='E x'}, 3.9}",
			"*7\r\n:1\r\n$1\r\na\r\n$-1\r\n:1\r\n+S\r\n-E x\r\n:3\r\n"},
		{"return x",
			"-ERR user_script:1: Script attempted to access nonexistent global variable 'x' script: 03c387736bb5cc009ff35151572cee04677aa374, on @user_script:1.\r\n"},
		{"x = 1",
			"-ERR user_script:1: Attempt to modify a readonly table script: 34bce5f775de97f557a34088509c8bfe1ea17e52, on @user_script:1.\r\n"},
		{"rawset(_G, 'x', 1)",
			"-ERR Attempt to modify a readonly table script: e2c706419da183d6229a1230c3be09cc32cdeee0, on @user_script:1.\r\n"},
		{"return redis.call('nosuch')",
			"-ERR Unknown Redis command called from script script: 206396248e12c6e742fd7296250433c8d7343b74, on @user_script:1.\r\n"},
		{"return redis.pcall('incr', 's')",
			":1\r\n"},
		{"redis.call('set', 's', 'x') return redis.call('incr', 's')",
			"-ERR value is not an integer or out of range script: 27e8b6f8f50143312c6319f57a2812657c059582, on @user_script:1.\r\n"},
		{"return pcall(redis.call, 'incr', 's')",
			"$-1\r\n"},
		{"local ok, e = pcall(redis.call, 'incr', 's') return e",
			"$43\r\nERR value is not an integer or out of range\r\n"},
		{"return redis.error_reply('MY err')",
			"-MY err\r\n"},
		{"return redis.status_reply(1)",
			"-ERR wrong number or type of arguments\r\n"},
		{"error('boom', 0)",
			"-ERR boom script: 90724e16396e5864c1184910ba6d7440461cee4f, on @user_script:1.\r\n"},
		{"local f = loadstring('return nope') return f()",
			"-ERR [string \"return nope\"]:1: Script attempted to access nonexistent global variable 'nope' script: 4287a1cbace537edde25d75cb3d2b26d6eecf70d, on return nope:1.\r\n"},
		{"redis.setresp(3) return redis.call('hgetall', 'nokey')",
			"*0\r\n"},
		{"return tostring(cjson.null)",
			"$15\r\nuserdata: (nil)\r\n"},
		{"return {unpack({1, 2, 3})}",
			"*3\r\n:1\r\n:2\r\n:3\r\n"},
		{"return cjson.encode({a = {1, 2}})",
			"$11\r\n{\"a\":[1,2]}\r\n"},
		{"return redis.sha1hex(12)",
			"$40\r\n7b52009b64fd0a2a49e6d8a939753077792b0554\r\n"},
		{"return string.format('%s', 1/3)",
			"$16\r\n0.33333333333333\r\n"},
		{"if",
			"-ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'\r\n"},
		{"math.randomseed(7) return math.random(100)",
			":27\r\n"},
	} {
		if got := do(s, "EVAL", c.src, "0"); got != c.want {
			t.Errorf("%q:\n got  %q\n want %q", c.src, got, c.want)
		}
	}
}

func TestFlushKeepsRandom(t *testing.T) {
	s := newServer(moonvm.New)
	a := do(s, "EVAL", "return tostring(math.random())", "0")
	do(s, "SCRIPT", "FLUSH")
	b := do(s, "EVAL", "return tostring(math.random())", "0")
	if a == b || !strings.HasPrefix(a, "$") {
		t.Fatalf("math.random after SCRIPT FLUSH: %q then %q", a, b)
	}
}

func benchCounter(b *testing.B, newVM func(*script.Engine) script.VM) {
	s := newServer(newVM)
	var w resp.Writer
	s.Call(newCtx(s, &w, "SCRIPT", "LOAD", counter))
	sha := strings.Split(string(w.Buf), "\r\n")[1]
	c := newCtx(s, &w, "EVALSHA", sha, "1", "counter", "1")
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

func BenchmarkEvalshaCounter(b *testing.B) { benchCounter(b, moonvm.New) }

// TestWhereLuabridgeDiffers: replies redis-server 7.0.15 gave where the
// gopher-lua bridge differs.
func TestWhereLuabridgeDiffers(t *testing.T) {
	s := newServer(moonvm.New)
	for _, c := range []struct{ src, want string }{
		{"local f = coroutine.wrap(function() error('in wrap') end) f()",
			"-ERR user_script:1: user_script:1: in wrap script: 405f92a1fde09046e481dcdb54f28e03de3c9970, on @user_script:1.\r\n"},
		{"return getmetatable('').__index == string", ":1\r\n"},
		{"return cjson.encode({a=1, b=2, c={3}})", "$21\r\n{\"a\":1,\"c\":[3],\"b\":2}\r\n"},
		{"local function f()\n error('lvl2', 2)\nend\nlocal x = 1\nf()",
			"-ERR user_script:5: lvl2 script: db6a0e889e8fd17f4838417a58a8cae9ce75c24e, on @user_script:2.\r\n"},
		{"error(nil)", "-ERR nil script: c402aa49952c86c38f35fb311d54977d08f3bf01, on @user_script:1.\r\n"},
		{"error(42)", "-ERR user_script:1: 42 script: acc7142a53d840846449a0a8c6055f5a674809fd, on @user_script:1.\r\n"},
		{"local ok, e = pcall(error, {err='X y'}) return e", "$3\r\nX y\r\n"},
	} {
		if got := do(s, "EVAL", c.src, "0"); got != c.want {
			t.Errorf("%q: %q, want %q", c.src, got, c.want)
		}
	}
}
