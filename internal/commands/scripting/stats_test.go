package scripting_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"math/rand"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/script"
	"github.com/moonkv/moonkv/internal/server"
)

// value is a parsed RESP reply: an int, a string (bulk, simple or error,
// errors with a leading '-'), nil, or a list (arrays and maps, flat).
type value any

func parseReply(t *testing.T, b []byte) value {
	t.Helper()
	v, rest := parseOne(t, b)
	if len(rest) != 0 {
		t.Fatalf("trailing bytes after reply: %q", rest)
	}
	return v
}

func parseOne(t *testing.T, b []byte) (value, []byte) {
	t.Helper()
	i := bytes.Index(b, []byte("\r\n"))
	if i < 1 {
		t.Fatalf("bad reply %q", b)
	}
	head, rest := string(b[1:i]), b[i+2:]
	switch b[0] {
	case '+':
		return head, rest
	case '-':
		return "-" + head, rest
	case ':':
		n, _ := strconv.ParseInt(head, 10, 64)
		return n, rest
	case '_':
		return nil, rest
	case '$':
		n, _ := strconv.Atoi(head)
		if n < 0 {
			return nil, rest
		}
		return string(rest[:n]), rest[n+2:]
	case '*', '%':
		n, _ := strconv.Atoi(head)
		if n < 0 {
			return nil, rest
		}
		if b[0] == '%' {
			n *= 2
		}
		out := make([]value, 0, n)
		for k := 0; k < n; k++ {
			var v value
			v, rest = parseOne(t, rest)
			out = append(out, v)
		}
		return out, rest
	}
	t.Fatalf("unknown reply type in %q", b)
	return nil, nil
}

type tserver struct {
	t *testing.T
	s *server.Server
	w resp.Writer
}

func newTServer(t *testing.T, log *bytes.Buffer) *tserver {
	cfg := server.DefaultConfig()
	if log != nil {
		cfg.Logger = slog.New(slog.NewTextHandler(log, nil))
	}
	return &tserver{t: t, s: server.New(cfg, commands.Registry())}
}

func (ts *tserver) raw(args ...string) []byte {
	ts.w.Reset()
	ts.s.Call(newCtx(ts.s, &ts.w, args...))
	return append([]byte(nil), ts.w.Buf...)
}

func (ts *tserver) do(args ...string) value {
	ts.t.Helper()
	return parseReply(ts.t, ts.raw(args...))
}

func (ts *tserver) engine() *script.Engine {
	if ts.s.Scripts == nil {
		ts.do("SCRIPT", "EXISTS", "x")
	}
	return ts.s.Scripts.(*script.Engine)
}

func (ts *tserver) info(field string) string {
	ts.t.Helper()
	s := ts.do("INFO", "stats").(string)
	for _, l := range strings.Split(s, "\r\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			return v
		}
	}
	ts.t.Fatalf("INFO stats has no %s", field)
	return ""
}

// statsLine is one script's SCRIPT STATS entry.
type statsLine map[string]value

func toStats(t *testing.T, v value) statsLine {
	l, ok := v.([]value)
	if !ok || len(l) != 14 {
		t.Fatalf("stats entry %#v", v)
	}
	out := statsLine{}
	for i := 0; i < len(l); i += 2 {
		out[l[i].(string)] = l[i+1]
	}
	want := []string{"calls", "errors", "total_run_time_us", "p99_run_time_us", "loaded_by",
		"undeclared_key_accesses", "undeclared_keys_in_body"}
	for i, k := range want {
		if l[2*i] != k {
			t.Fatalf("field %d is %v, want %s", i, l[2*i], k)
		}
	}
	return out
}

func (ts *tserver) allStats() map[string]statsLine {
	ts.t.Helper()
	l := ts.do("SCRIPT", "STATS").([]value)
	out := map[string]statsLine{}
	var shas []string
	for i := 0; i < len(l); i += 2 {
		sha := l[i].(string)
		shas = append(shas, sha)
		out[sha] = toStats(ts.t, l[i+1])
	}
	if !slices.IsSorted(shas) {
		ts.t.Fatalf("SCRIPT STATS not in SHA1 order: %v", shas)
	}
	return out
}

// The model's scripts: kind decides what a run does.
const (
	kindOK         = iota // replies with an array
	kindErrReply          // returns redis.error_reply: an error
	kindRuntimeErr        // raises an error
	kindUndeclared        // touches ARGV[1] and a literal key: two undeclared accesses
	kindWriteRO           // a shebang script that writes, run with EVAL_RO: refused
	kinds
)

func modelBody(i int) string {
	switch i % kinds {
	case kindOK:
		return fmt.Sprintf("return {KEYS[1], ARGV[1], %d}", i)
	case kindErrReply:
		return fmt.Sprintf("return redis.error_reply('E%d')", i)
	case kindRuntimeErr:
		return fmt.Sprintf("error('boom %d')", i)
	case kindUndeclared:
		return fmt.Sprintf("redis.call('get', KEYS[1]) return redis.call('exists', ARGV[1], 'lit%d')", i)
	default:
		return fmt.Sprintf("#!lua\nreturn redis.call('set', KEYS[1], '%d')", i)
	}
}

type modelScript struct {
	calls, errors, undeclared, bodyKeys int64
	loaded                              bool
}

// TestScriptStatsModel runs random EVAL, EVALSHA, SCRIPT LOAD and SCRIPT
// FLUSH against a model of the cache (an LRU of EVAL-only scripts beside
// the SCRIPT LOAD-ed ones) and of every script's counters, and compares
// SCRIPT STATS, SCRIPT EXISTS, INFO evicted_scripts and EVALSHA's
// NOSCRIPT with it after every step.
func TestScriptStatsModel(t *testing.T) {
	const nbodies, max = 30, 6
	ts := newTServer(t, &bytes.Buffer{})
	ts.engine().SetEvalCacheMax(max)
	model := map[string]*modelScript{}
	var lru []string // EVAL-only, oldest first
	evicted := 0
	shas := make([]string, nbodies)
	for i := range shas {
		shas[i] = script.SHA1Hex([]byte(modelBody(i)))
	}
	remove := func(sha string) {
		if k := slices.Index(lru, sha); k >= 0 {
			lru = slices.Delete(lru, k, k+1)
		}
	}
	run := func(i int, m *modelScript, reply value) {
		m.calls++
		if s, ok := reply.(string); ok && strings.HasPrefix(s, "-") {
			m.errors++
		}
		switch i % kinds {
		case kindOK:
			if _, ok := reply.([]value); !ok {
				t.Fatalf("script %d replied %#v", i, reply)
			}
		case kindErrReply, kindRuntimeErr, kindWriteRO:
			if s, _ := reply.(string); !strings.HasPrefix(s, "-") {
				t.Fatalf("script %d replied %#v, want an error", i, reply)
			}
		case kindUndeclared:
			m.undeclared += 2
		}
		// a run moves an EVAL-only script to the most recent end; a run
		// refused before it started does not (Redis 7.4 moves a script
		// after its run)
		if !m.loaded && i%kinds != kindWriteRO {
			remove(shas[i])
			lru = append(lru, shas[i])
		}
	}
	args := func(cmd string, i int) []string {
		name := cmd
		if i%kinds == kindWriteRO {
			name += "_RO"
		}
		return []string{name, "", "1", "key", "other"}
	}
	rng := rand.New(rand.NewSource(7))
	for step := 0; step < 3000; step++ {
		i := rng.Intn(nbodies)
		sha := shas[i]
		switch op := rng.Intn(100); {
		case op < 50: // EVAL
			a := args("EVAL", i)
			a[1] = modelBody(i)
			m := model[sha]
			if m == nil {
				if len(lru) >= max {
					delete(model, lru[0])
					lru = lru[1:]
					evicted++
				}
				m = &modelScript{}
				if i%kinds == kindUndeclared {
					m.bodyKeys = 1
				}
				model[sha] = m
				lru = append(lru, sha)
			}
			run(i, m, ts.do(a...))
		case op < 80: // EVALSHA
			a := args("EVALSHA", i)
			a[1] = sha
			if rng.Intn(2) == 0 {
				a[1] = strings.ToUpper(sha)
			}
			reply := ts.do(a...)
			m := model[sha]
			if m == nil {
				if reply != "-NOSCRIPT No matching script. Please use EVAL." {
					t.Fatalf("step %d: EVALSHA of an uncached script: %#v", step, reply)
				}
				continue
			}
			run(i, m, reply)
		case op < 97: // SCRIPT LOAD
			if got := ts.do("SCRIPT", "LOAD", modelBody(i)); got != sha {
				t.Fatalf("SCRIPT LOAD replied %#v", got)
			}
			m := model[sha]
			if m == nil {
				m = &modelScript{}
				if i%kinds == kindUndeclared {
					m.bodyKeys = 1
				}
				model[sha] = m
			}
			m.loaded = true
			remove(sha)
		default:
			ts.do("SCRIPT", "FLUSH")
			model = map[string]*modelScript{}
			lru = nil
		}
		checkModel(t, ts, step, shas, model, lru, evicted)
	}
	if evicted == 0 {
		t.Fatal("the model run evicted nothing")
	}
}

func checkModel(t *testing.T, ts *tserver, step int, shas []string, model map[string]*modelScript, lru []string, evicted int) {
	t.Helper()
	got := ts.allStats()
	if len(got) != len(model) {
		t.Fatalf("step %d: %d scripts in SCRIPT STATS, model has %d", step, len(got), len(model))
	}
	for sha, m := range model {
		g := got[sha]
		loadedBy := "eval"
		if m.loaded {
			loadedBy = "script-load"
		}
		if g == nil || g["calls"] != m.calls || g["errors"] != m.errors || g["loaded_by"] != loadedBy ||
			g["undeclared_key_accesses"] != m.undeclared || g["undeclared_keys_in_body"] != m.bodyKeys {
			t.Fatalf("step %d: %s: got %v, model %+v", step, sha, g, *m)
		}
		if g["total_run_time_us"].(int64) < 0 || g["p99_run_time_us"].(int64) < 0 {
			t.Fatalf("step %d: negative times %v", step, g)
		}
	}
	exists := ts.do(append([]string{"SCRIPT", "EXISTS"}, shas...)...).([]value)
	for k, sha := range shas {
		want := int64(0)
		if model[sha] != nil {
			want = 1
		}
		if exists[k] != want {
			t.Fatalf("step %d: SCRIPT EXISTS %s = %v, want %d", step, sha, exists[k], want)
		}
	}
	if n := ts.engine().EvalCached(); n != len(lru) {
		t.Fatalf("step %d: %d EVAL-only scripts, model %d", step, n, len(lru))
	}
	if got := ts.info("evicted_scripts"); got != strconv.Itoa(evicted) {
		t.Fatalf("step %d: evicted_scripts %s, model %d", step, got, evicted)
	}
}

// TestEvalCacheLRU: the script evicted is the least recently used one
// (EVALSHA counts as a use); SCRIPT LOAD promotes an EVAL-only script and
// an EVAL of a loaded body does not demote it.
func TestEvalCacheLRU(t *testing.T) {
	ts := newTServer(t, nil)
	ts.engine().SetEvalCacheMax(3)
	body := func(i int) string { return "return " + strconv.Itoa(i) }
	sha := func(i int) string { return script.SHA1Hex([]byte(body(i))) }
	exists := func(i int) bool { return ts.do("SCRIPT", "EXISTS", sha(i)).([]value)[0] == int64(1) }
	for i := 0; i < 3; i++ {
		ts.do("EVAL", body(i), "0")
	}
	ts.do("EVALSHA", sha(0), "0") // 0 is now the most recent: 1 goes next
	ts.do("EVAL", body(3), "0")
	if exists(1) || !exists(0) || !exists(2) || !exists(3) {
		t.Fatal("EVALSHA did not count as a use")
	}
	ts.do("SCRIPT", "LOAD", body(2)) // promoted: never evicted
	ts.do("EVAL", body(2), "0")      // and not demoted
	for i := 4; i < 10; i++ {
		ts.do("EVAL", body(i), "0")
	}
	if !exists(2) || exists(0) || exists(3) || !exists(9) {
		t.Fatal("a SCRIPT LOAD-ed script was evicted, or an old one kept")
	}
	if got := ts.do("EVALSHA", sha(0), "0"); got != "-NOSCRIPT No matching script. Please use EVAL." {
		t.Fatalf("EVALSHA of an evicted script: %#v", got)
	}
	if got := ts.do("EVAL", body(0), "0"); got != int64(0) {
		t.Fatalf("EVAL after eviction: %#v", got)
	}
	ts.engine().SetEvalCacheMax(1)
	if n := ts.engine().EvalCached(); n != 1 {
		t.Fatalf("after shrinking: %d EVAL-only scripts", n)
	}
	st := ts.do("SCRIPT", "STATS", sha(2))
	if toStats(t, st)["loaded_by"] != "script-load" {
		t.Fatalf("promoted script: %v", st)
	}
	ts.do("SCRIPT", "FLUSH")
	if ts.engine().EvalCached() != 0 || ts.do("SCRIPT", "STATS") == nil || len(ts.do("SCRIPT", "STATS").([]value)) != 0 {
		t.Fatal("SCRIPT FLUSH left scripts behind")
	}
	if got := ts.info("evicted_scripts"); got == "0" {
		t.Fatal("evicted_scripts is 0 after evictions")
	}
}

// TestEvalCacheBoundedMemory sends thousands of generated scripts, as an
// application building its scripts by string formatting does: the cache
// stays at Redis 7.4's 500 EVAL-only scripts and the heap stops growing.
func TestEvalCacheBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 20000 scripts")
	}
	ts := newTServer(t, &bytes.Buffer{})
	loaded := ts.do("SCRIPT", "LOAD", "return 'kept'").(string)
	gen := func(i int) string {
		return fmt.Sprintf("local t = {} for i = 1, 10 do t[i] = '%d-' .. i end return #t", i)
	}
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	for i := 0; i < 2000; i++ {
		if got := ts.do("EVAL", gen(i), "0"); got != int64(10) {
			t.Fatalf("script %d: %#v", i, got)
		}
	}
	before := heap()
	for i := 2000; i < 20000; i++ {
		ts.do("EVAL", gen(i), "0")
	}
	after := heap()
	e := ts.engine()
	if e.Len() != script.EvalCacheMax+1 || e.EvalCached() != script.EvalCacheMax {
		t.Fatalf("cache holds %d scripts, %d EVAL-only", e.Len(), e.EvalCached())
	}
	if got := ts.info("evicted_scripts"); got != strconv.Itoa(20000-script.EvalCacheMax) {
		t.Fatalf("evicted_scripts %s", got)
	}
	// 18000 more scripts; a leak of even 100 bytes each would show
	if after > before+1<<20 {
		t.Fatalf("heap grew from %d to %d bytes over 18000 evicted scripts", before, after)
	}
	ex := ts.do("SCRIPT", "EXISTS", loaded, script.SHA1Hex([]byte(gen(0))),
		script.SHA1Hex([]byte(gen(19499))), script.SHA1Hex([]byte(gen(19500))), script.SHA1Hex([]byte(gen(19999)))).([]value)
	if fmt.Sprint(ex) != "[1 0 0 1 1]" {
		t.Fatalf("SCRIPT EXISTS: %v", ex)
	}
	t.Logf("heap %d -> %d bytes", before, after)
}

// TestScriptStatsTimes: run times are measured per run; the p99 lies
// within the histogram's 12.5% of the longest run's wall time, and the
// total does not exceed the wall time of all runs.
func TestScriptStatsTimes(t *testing.T) {
	ts := newTServer(t, nil)
	slow := "local s = 0 for i = 1, tonumber(ARGV[1]) do s = s + i end return s"
	all := time.Now()
	sha := ts.do("SCRIPT", "LOAD", slow).(string)
	var wall []time.Duration
	for i := 0; i < 50; i++ {
		n := "1000"
		if i%10 == 0 {
			n = "300000"
		}
		start := time.Now()
		ts.do("EVALSHA", sha, "0", n)
		wall = append(wall, time.Since(start))
	}
	// A run is timed from its command's start: the dispatcher's last
	// clock reading, here the end of the command before it.
	sum := time.Since(all)
	st := toStats(t, ts.do("SCRIPT", "STATS", sha))
	total, p99 := st["total_run_time_us"].(int64), st["p99_run_time_us"].(int64)
	maxWall := slices.Max(wall)
	if st["calls"] != int64(50) || st["errors"] != int64(0) {
		t.Fatalf("stats %v", st)
	}
	if total <= 0 || total > sum.Microseconds() {
		t.Fatalf("total %d µs, wall %d µs", total, sum.Microseconds())
	}
	// 5 runs in 50 are long: the p99 is a long run's
	if p99 <= 0 || float64(p99) > float64(maxWall.Microseconds())*1.125+1 {
		t.Fatalf("p99 %d µs, longest run %v", p99, maxWall)
	}
	if p99 < total/50 {
		t.Fatalf("p99 %d µs below the mean %d µs", p99, total/50)
	}
}

// TestScriptStatsExcludesCompile: the first EVAL of a body compiles it;
// its run time starts after the compile.
func TestScriptStatsExcludesCompile(t *testing.T) {
	ts := newTServer(t, nil)
	// a large body whose run does almost nothing: f is never called
	var b strings.Builder
	b.WriteString("local function f()\nlocal x\n")
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&b, "x = {%d, '%d', {%d}}\n", i, i, i)
	}
	b.WriteString("end\nreturn 1")
	start := time.Now()
	if got := ts.do("EVAL", b.String(), "0"); got != int64(1) {
		t.Fatalf("EVAL: %#v", got)
	}
	wall := time.Since(start)
	st := toStats(t, ts.do("SCRIPT", "STATS", script.SHA1Hex([]byte(b.String()))))
	if total := st["total_run_time_us"].(int64); total <= 0 || total > wall.Microseconds()/2 {
		t.Fatalf("run time %d µs of an EVAL that took %v with its compile", total, wall)
	}
}

// TestScriptStatsReply: the reply's shape under RESP2 and RESP3, one
// script by its SHA1 in any case, unknown SHA1s, wrong arity, and the
// help text.
func TestScriptStatsReply(t *testing.T) {
	ts := newTServer(t, nil)
	if got := string(ts.raw("SCRIPT", "STATS")); got != "*0\r\n" {
		t.Fatalf("empty SCRIPT STATS: %q", got)
	}
	sha := ts.do("SCRIPT", "LOAD", "return 1").(string)
	want := "*14\r\n$5\r\ncalls\r\n:0\r\n$6\r\nerrors\r\n:0\r\n$17\r\ntotal_run_time_us\r\n:0\r\n" +
		"$15\r\np99_run_time_us\r\n:0\r\n$9\r\nloaded_by\r\n$11\r\nscript-load\r\n" +
		"$23\r\nundeclared_key_accesses\r\n:0\r\n$23\r\nundeclared_keys_in_body\r\n:0\r\n"
	if got := string(ts.raw("SCRIPT", "STATS", strings.ToUpper(sha))); got != want {
		t.Fatalf("SCRIPT STATS sha:\n got %q\nwant %q", got, want)
	}
	if got := string(ts.raw("SCRIPT", "STATS")); got != "*2\r\n$40\r\n"+sha+"\r\n"+want {
		t.Fatalf("SCRIPT STATS: %q", got)
	}
	ts.w.Proto3 = true
	defer func() { ts.w.Proto3 = false }()
	want3 := "%7" + strings.TrimPrefix(want, "*14")
	if got := string(ts.raw("SCRIPT", "STATS", sha)); got != want3 {
		t.Fatalf("RESP3 SCRIPT STATS sha: %q", got)
	}
	if got := string(ts.raw("SCRIPT", "STATS")); got != "%1\r\n$40\r\n"+sha+"\r\n"+want3 {
		t.Fatalf("RESP3 SCRIPT STATS: %q", got)
	}
	for _, arg := range []string{"0000000000000000000000000000000000000000", "abc", ""} {
		if got := string(ts.raw("SCRIPT", "STATS", arg)); got != "_\r\n" {
			t.Fatalf("SCRIPT STATS %q under RESP3: %q", arg, got)
		}
	}
	ts.w.Proto3 = false
	if got := string(ts.raw("SCRIPT", "STATS", "abc")); got != "$-1\r\n" {
		t.Fatalf("SCRIPT STATS of an unknown script: %q", got)
	}
	if got := string(ts.raw("SCRIPT", "STATS", sha, "x")); got != "-ERR wrong number of arguments for 'script|stats' command\r\n" {
		t.Fatalf("SCRIPT STATS with two arguments: %q", got)
	}
	help := ts.do("SCRIPT", "HELP").([]value)
	if !slices.Contains(help, value("STATS [<sha1>]")) || help[len(help)-2] != "HELP" {
		t.Fatalf("SCRIPT HELP: %v", help)
	}
}

// TestUndeclaredKeyWarning: a script touching a key it did not declare
// gets one warning at load (for keys written in its body) and one at its
// first such run, naming the script, the command and the key; its replies
// do not change, and every access is counted.
func TestUndeclaredKeyWarning(t *testing.T) {
	var log bytes.Buffer
	ts := newTServer(t, &log)
	ts.do("SET", "a", "1")
	ts.do("SET", "user:1", "2")
	good := "return redis.call('get', KEYS[1])"
	ts.do("EVAL", good, "1", "a")
	ts.do("EVAL", good, "1", "a")
	if log.Len() != 0 {
		t.Fatalf("a script declaring its keys was warned about: %s", log.String())
	}
	bad := "local x = redis.call('get', KEYS[1])\nreturn {x, redis.call('get', 'user:1'), redis.call('get', ARGV[1])}"
	sha := script.SHA1Hex([]byte(bad))
	for i := 0; i < 3; i++ {
		got := ts.do("EVAL", bad, "1", "a", "user:1")
		if fmt.Sprint(got) != "[1 2 2]" {
			t.Fatalf("reply changed: %#v", got)
		}
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 warnings, got:\n%s", log.String())
	}
	for _, want := range []string{"level=WARN", sha, `names the key \"user:1\"`, "line 2", "'get'"} {
		if !strings.Contains(lines[0], want) {
			t.Fatalf("load warning %q lacks %q", lines[0], want)
		}
	}
	for _, want := range []string{"level=WARN", sha, `accessed the key \"user:1\"`, "'get'", "SCRIPT STATS"} {
		if !strings.Contains(lines[1], want) {
			t.Fatalf("run warning %q lacks %q", lines[1], want)
		}
	}
	st := toStats(t, ts.do("SCRIPT", "STATS", sha))
	if st["undeclared_key_accesses"] != int64(6) || st["undeclared_keys_in_body"] != int64(1) {
		t.Fatalf("stats %v", st)
	}
	// SCRIPT LOAD warns at load, before any run
	log.Reset()
	ts.do("SCRIPT", "LOAD", "return redis.call('hget', 'h', ARGV[1])")
	if !strings.Contains(log.String(), `names the key \"h\"`) || !strings.Contains(log.String(), "'hget'") {
		t.Fatalf("SCRIPT LOAD: %s", log.String())
	}
	// the same checks through redis.pcall, a write, and a command with
	// several keys: each undeclared one counts
	log.Reset()
	multi := "redis.pcall('mset', KEYS[1], 'v', ARGV[1], 'w') return redis.call('exists', KEYS[1], ARGV[1], ARGV[2])"
	msha := script.SHA1Hex([]byte(multi))
	if got := ts.do("EVAL", multi, "1", "k1", "k2", "k3"); got != int64(2) {
		t.Fatalf("multi-key script: %#v", got)
	}
	st = toStats(t, ts.do("SCRIPT", "STATS", msha))
	if st["undeclared_key_accesses"] != int64(3) || st["undeclared_keys_in_body"] != int64(0) {
		t.Fatalf("multi-key stats %v", st)
	}
	if n := strings.Count(log.String(), "\n"); n != 1 || !strings.Contains(log.String(), `\"k2\" with 'mset'`) {
		t.Fatalf("multi-key warnings: %s", log.String())
	}
	// many KEYS (a set is built) and a command resolved through Spec.Keys
	log.Reset()
	keys := []string{"EVAL", "redis.call('zunionstore', KEYS[1], 2, KEYS[20], KEYS[21]) return redis.call('del', KEYS[30], 'zz')", "30"}
	for i := 0; i < 30; i++ {
		keys = append(keys, "key"+strconv.Itoa(i))
	}
	ts.do(keys...)
	zsha := script.SHA1Hex([]byte(keys[1]))
	st = toStats(t, ts.do("SCRIPT", "STATS", zsha))
	if st["undeclared_key_accesses"] != int64(1) || st["undeclared_keys_in_body"] != int64(1) {
		t.Fatalf("many-keys stats %v (log %s)", st, log.String())
	}
}

// TestUndeclaredKeyWarningLimit: a flood of generated scripts naming keys
// in their bodies logs at most a burst of warnings, then one a second,
// and says how many it left out.
func TestUndeclaredKeyWarningLimit(t *testing.T) {
	var log syncBuffer
	cfg := server.DefaultConfig()
	cfg.Logger = slog.New(slog.NewTextHandler(&log, nil))
	ts := &tserver{t: t, s: server.New(cfg, commands.Registry())}
	for i := 0; i < 300; i++ {
		ts.do("SCRIPT", "LOAD", fmt.Sprintf("return redis.call('get', 'user:%d')", i))
	}
	n := strings.Count(log.String(), "level=WARN")
	if n < 100 || n > 110 {
		t.Fatalf("%d warnings for 300 scripts", n)
	}
	time.Sleep(1100 * time.Millisecond)
	ts.do("SCRIPT", "LOAD", "return redis.call('get', 'last')")
	if !strings.Contains(log.String(), "similar warnings were not logged") {
		t.Fatalf("no count of the warnings left out:\n%s", log.String()[max(0, log.Len()-500):])
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Len()
}

// BenchmarkEvalshaDeclared is the EVALSHA hot path of a script that
// declares its keys and makes four redis.calls: what the statistics and
// the undeclared-key check cost.
func BenchmarkEvalshaDeclared(b *testing.B) {
	s := server.New(server.DefaultConfig(), commands.Registry())
	var w resp.Writer
	s.Call(newCtx(s, &w, "SCRIPT", "LOAD", "redis.call('set', KEYS[1], ARGV[1]) redis.call('get', KEYS[2]) "+
		"redis.call('exists', KEYS[1], KEYS[2]) return redis.call('incr', KEYS[3])"))
	sha := strings.Split(string(w.Buf), "\r\n")[1]
	c := newCtx(s, &w, "EVALSHA", sha, "3", "a", "b", "n", "v")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.Reset()
		s.Call(c)
	}
	if w.Buf[0] != ':' {
		b.Fatalf("reply %q", w.Buf)
	}
}

// TestScriptStatsResetStat: CONFIG RESETSTAT zeroes every script's
// counters and evicted_scripts, as it does commandstats; the scripts stay.
func TestScriptStatsResetStat(t *testing.T) {
	ts := newTServer(t, &bytes.Buffer{})
	ts.engine().SetEvalCacheMax(1)
	ts.do("EVAL", "return redis.call('get', 'x')", "0")
	ts.do("EVAL", "return 2", "0")
	sha := ts.do("SCRIPT", "LOAD", "return redis.call('get', 'y')").(string)
	ts.do("EVALSHA", sha, "0")
	if ts.info("evicted_scripts") != "1" {
		t.Fatal("no eviction")
	}
	if got := ts.do("CONFIG", "RESETSTAT"); got != "OK" {
		t.Fatalf("CONFIG RESETSTAT: %#v", got)
	}
	if ts.info("evicted_scripts") != "0" {
		t.Fatal("evicted_scripts not reset")
	}
	st := toStats(t, ts.do("SCRIPT", "STATS", sha))
	if st["calls"] != int64(0) || st["undeclared_key_accesses"] != int64(0) || st["p99_run_time_us"] != int64(0) ||
		st["total_run_time_us"] != int64(0) || st["undeclared_keys_in_body"] != int64(1) || st["loaded_by"] != "script-load" {
		t.Fatalf("after RESETSTAT: %v", st)
	}
	ts.do("EVALSHA", sha, "0")
	if st := toStats(t, ts.do("SCRIPT", "STATS", sha)); st["calls"] != int64(1) || st["undeclared_key_accesses"] != int64(1) {
		t.Fatalf("counting after RESETSTAT: %v", st)
	}
}

// TestScriptStatsOnlyEvalScripts: a body that does not compile is not
// cached and evicts nothing; functions (FCALL) are not EVAL scripts and
// have no SCRIPT STATS line nor key warnings.
func TestScriptStatsOnlyEvalScripts(t *testing.T) {
	var log bytes.Buffer
	ts := newTServer(t, &log)
	ts.engine().SetEvalCacheMax(2)
	ts.do("EVAL", "return 1", "0")
	ts.do("EVAL", "return 2", "0")
	for i := 0; i < 10; i++ {
		if got := ts.do("EVAL", "return +"+strconv.Itoa(i), "0"); !strings.HasPrefix(fmt.Sprint(got), "-ERR Error compiling script") {
			t.Fatalf("bad body: %#v", got)
		}
	}
	if ts.engine().EvalCached() != 2 || ts.info("evicted_scripts") != "0" || len(ts.allStats()) != 2 {
		t.Fatal("a body that does not compile changed the cache")
	}
	ts.do("SCRIPT", "FLUSH")
	lib := "#!lua name=lib\nredis.register_function('f', function(keys, args) return redis.call('get', 'lit') end)"
	if got := ts.do("FUNCTION", "LOAD", lib); got != "lib" {
		t.Fatalf("FUNCTION LOAD: %#v", got)
	}
	ts.do("FCALL", "f", "0")
	if len(ts.allStats()) != 0 || log.Len() != 0 {
		t.Fatalf("FCALL counted as a script: %v %s", ts.allStats(), log.String())
	}
}
