package script

import (
	"testing"

	"github.com/moonkv/moonkv/internal/server"
)

// testRegistry has a few commands with the key specs Redis gives them:
// single keys, ranges, a key count (movable), and a container.
func testRegistry() *server.Registry {
	r := server.NewRegistry()
	one := []server.KeySpec{{BeginIndex: 1, LastKey: 0, KeyStep: 1}}
	r.Add(
		&server.Spec{Name: "get", Arity: 2, KeySpecs: one},
		&server.Spec{Name: "set", Arity: -3, KeySpecs: one},
		&server.Spec{Name: "ping", Arity: -1},
		&server.Spec{Name: "mset", Arity: -3, KeySpecs: []server.KeySpec{{BeginIndex: 1, LastKey: -1, KeyStep: 2}}},
		&server.Spec{Name: "exists", Arity: -2, KeySpecs: []server.KeySpec{{BeginIndex: 1, LastKey: -1, KeyStep: 1}}},
		&server.Spec{Name: "smove", Arity: 4, KeySpecs: []server.KeySpec{{BeginIndex: 1, KeyStep: 1}, {BeginIndex: 2, KeyStep: 1}}},
		&server.Spec{Name: "zunionstore", Arity: -4, KeySpecs: []server.KeySpec{
			{BeginIndex: 1, KeyStep: 1},
			{BeginIndex: 2, KeyNum: true, KeyNumIdx: 0, FirstKey: 1, KeyStep: 1}}},
		&server.Spec{Name: "object", Arity: -2, Subs: map[string]*server.Spec{
			"encoding": {Arity: 3, KeySpecs: []server.KeySpec{{BeginIndex: 2, KeyStep: 1}}},
		}},
	)
	return r
}

func TestScanBodyKeys(t *testing.T) {
	reg := testRegistry()
	cases := []struct {
		body     string
		skip     int
		n        int
		cmd, key string
		line     int
	}{
		{"return redis.call('get', KEYS[1])", 0, 0, "", "", 0},
		{"return redis.call('get', 'user:1')", 0, 1, "get", "user:1", 1},
		{"return redis.pcall(\"GET\", \"a\\\"b\")", 0, 1, "get", "a\"b", 1},
		{"local x = 1\n\nredis.call('set', 'k', ARGV[1])", 0, 1, "set", "k", 3},
		{"redis.call('set', KEYS[1], 'value')", 0, 0, "", "", 0},
		{"redis . call ( 'get' , [[long]] )", 0, 1, "get", "long", 1},
		{"redis.call('mset', 'a', '1', KEYS[1], '2', 'c', x)", 0, 2, "mset", "a", 1},
		{"redis.call('exists', 'a', 'b', 'c')", 0, 3, "exists", "a", 1},
		{"redis.call('smove', KEYS[1], 'dst', 'm')", 0, 1, "smove", "dst", 1},
		{"redis.call('zunionstore', 'd', 2, 'a', 'b')", 0, 3, "zunionstore", "d", 1},
		{"redis.call('zunionstore', KEYS[1], 2.0, 'a', 'b')", 0, 0, "", "", 0},
		{"redis.call('zunionstore', KEYS[1], 0x2, 'a', 'b')", 0, 0, "", "", 0},
		{"redis.call('zunionstore', 'd', '2', 'a', KEYS[1])", 0, 2, "zunionstore", "d", 1},
		{"redis.call('object', 'encoding', 'k')", 0, 1, "object|encoding", "k", 1},
		{"redis.call('object', 'nosuch', 'k')", 0, 0, "", "", 0},
		{"redis.call('nosuch', 'k')", 0, 0, "", "", 0},
		{"redis.call(cmd, 'k')", 0, 0, "", "", 0},
		{"redis.call('get', 'a' .. ARGV[1])", 0, 0, "", "", 0},
		{"redis.call('get', f('a', 'b'))", 0, 0, "", "", 0},
		{"redis.call('get', ('x'))", 0, 0, "", "", 0},
		{"redis.call('ping', 'hello')", 0, 0, "", "", 0},
		// not calls: comments, strings, other tables' fields
		{"-- redis.call('get', 'a')\nreturn 1", 0, 0, "", "", 0},
		{"--[[ redis.call('get', 'a') ]] return 1", 0, 0, "", "", 0},
		{"--[==[ ]] redis.call('get', 'a') ]==] return 1", 0, 0, "", "", 0},
		{"return \"redis.call('get', 'a')\"", 0, 0, "", "", 0},
		{"return [[redis.call('get', 'a')]]", 0, 0, "", "", 0},
		{"x.redis.call('get', 'a')", 0, 0, "", "", 0},
		{"local c = redis.call c('get', 'a')", 0, 0, "", "", 0},
		// concatenation is not a field access
		{"return 'v'..redis.call('get', 'a')", 0, 1, "get", "a", 1},
		// escapes, line continuation, numbers
		{"redis.call('get', '\\107\\101y')", 0, 1, "get", "key", 1},
		{"local s = 'a\\\nb'\nredis.call('get', 'z')", 0, 1, "get", "z", 3},
		{"local n = 1e5 redis.call('get', 'q')", 0, 1, "get", "q", 1},
		// a shebang line counts as line 1
		{"#!lua flags=no-writes\nreturn redis.call('get', 'a')", 21, 1, "get", "a", 2},
		// several calls: the first key is reported, all are counted
		{"redis.call('get', KEYS[1])\nredis.call('get', 'b')\nredis.call('set', 'c', 1)", 0, 2, "get", "b", 2},
		// unfinished source
		{"redis.call('get', 'a'", 0, 0, "", "", 0},
		{"redis.call('get', ", 0, 0, "", "", 0},
		{"redis.call('get", 0, 0, "", "", 0},
		{"redis", 0, 0, "", "", 0},
	}
	for _, c := range cases {
		n, first := scanBodyKeys([]byte(c.body), c.skip, reg)
		if n != c.n || (n > 0 && (first.cmd != c.cmd || first.key != c.key || first.line != c.line)) {
			t.Errorf("%q: %d %+v, want %d {%s %s %d}", c.body, n, first, c.n, c.cmd, c.key, c.line)
		}
	}
}

// FuzzScanBodyKeys: the scan never panics nor loops on any input.
func FuzzScanBodyKeys(f *testing.F) {
	reg := testRegistry()
	for _, s := range []string{"redis.call('get','a')", "--[[", "[==[", "'\\", "redis.pcall(", "redis . call ( [[x]]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, _ := scanBodyKeys([]byte(s), 0, reg)
		if n < 0 || n > len(s) {
			t.Fatalf("%d keys in %d bytes", n, len(s))
		}
	})
}

// BenchmarkScanBodyKeys is the load-time scan of a 1.4 KB script with
// twelve redis.call (paid once, when a body is first cached).
func BenchmarkScanBodyKeys(b *testing.B) {
	reg := testRegistry()
	var body []byte
	for i := 0; i < 12; i++ {
		body = append(body, "-- read, then write back\nlocal v = redis.call('get', KEYS[1])\n"+
			"if v then redis.call('set', KEYS[2], v .. ARGV[1]) end\n"...)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if n, _ := scanBodyKeys(body, 0, reg); n != 0 {
			b.Fatal(n)
		}
	}
}
