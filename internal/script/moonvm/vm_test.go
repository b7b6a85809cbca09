package moonvm_test

import (
	"strings"
	"testing"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/script"
	"github.com/moonkv/moonkv/internal/script/luabridge"
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

// TestSameAsLuabridge runs scripts on both VMs: replies must be equal.
func TestSameAsLuabridge(t *testing.T) {
	moon, bridge := newServer(moonvm.New), newServer(luabridge.New)
	for _, src := range []string{
		"return {1, 'a', false, true, {ok='S'}, {err='E x'}, 3.9}",
		"return x",
		"x = 1",
		"rawset(_G, 'x', 1)",
		"return redis.call('nosuch')",
		"return redis.pcall('incr', 's')",
		"redis.call('set', 's', 'x') return redis.call('incr', 's')",
		"return pcall(redis.call, 'incr', 's')",
		"local ok, e = pcall(redis.call, 'incr', 's') return e",
		"return redis.error_reply('MY err')",
		"return redis.status_reply(1)",
		"return {math.random(), math.random(10), math.random(5, 9)}",
		"local t = {}\n\nerror(t)",
		"error('boom', 0)",
		"local f = loadstring('return nope') return f()",
		"redis.setresp(3) return redis.call('hgetall', 'nokey')",
		"return tostring(cjson.null)",
		"return {unpack({1, 2, 3})}",
		"return cjson.encode({a = {1, 2}})",
		"return redis.sha1hex(12)",
		"return string.format('%s', 1/3)",
		"if",
	} {
		m, b := do(moon, "EVAL", src, "0"), do(bridge, "EVAL", src, "0")
		if m != b {
			t.Errorf("%q:\nmoonvm    %q\nluabridge %q", src, m, b)
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
	if got := do(s, "EVAL", "math.randomseed(7) return math.random(100)", "0"); got != do(newServer(luabridge.New), "EVAL", "math.randomseed(7) return math.random(100)", "0") {
		t.Fatalf("seeded random: %q", got)
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

func BenchmarkEvalshaCounterMoon(b *testing.B)      { benchCounter(b, moonvm.New) }
func BenchmarkEvalshaCounterLuabridge(b *testing.B) { benchCounter(b, luabridge.New) }

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
