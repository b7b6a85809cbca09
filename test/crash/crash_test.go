package crash

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "moonkv-crash")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "moonkv")
	out, err := exec.Command("go", "build", "-o", binary, "github.com/moonkv/moonkv/cmd/moonkv").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building moonkv: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type proc struct {
	cmd  *exec.Cmd
	addr string
}

func start(t *testing.T, dir, fsync string) *proc {
	return startArgs(t, dir, "--appendonly", "yes", "--appendfsync", fsync)
}

func startArgs(t *testing.T, dir string, args ...string) *proc {
	t.Helper()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(binary, append([]string{"--port", strconv.Itoa(port), "--dir", dir, "--save", ""}, args...)...)
	log, _ := os.OpenFile(filepath.Join(dir, "moonkv.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, addr: fmt.Sprintf("127.0.0.1:%d", port)}
	// a failing check must not leave the process running
	t.Cleanup(p.kill)
	for i := 0; i < 300; i++ {
		c, err := net.Dial("tcp", p.addr)
		if err == nil {
			c.Close()
			return p
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	b, _ := os.ReadFile(filepath.Join(dir, "moonkv.log"))
	t.Fatalf("moonkv did not start:\n%s", b)
	return nil
}

func (p *proc) kill() {
	if p.cmd.ProcessState != nil {
		return // already stopped and waited for
	}
	p.cmd.Process.Signal(os.Kill)
	p.cmd.Wait()
}

// writer owns its own keys; it has at most one operation in flight, so
// after a crash each of its keys holds either the last acknowledged value
// or the one in flight.
type writer struct {
	id       int
	seq      int // last sequence number used
	ackSet   int // last acknowledged SET value of key s
	ackMulti int // last acknowledged MULTI value of keys a and b
	ackEval  int // last acknowledged script value of keys x and y
	evals    int // scripts acknowledged (INCR of key n)
	inflight string
	inflV    int
}

const script = `redis.call('set', KEYS[1], ARGV[1])
redis.call('set', KEYS[2], ARGV[1])
return redis.call('incr', KEYS[3])`

func (w *writer) key(k string) string { return fmt.Sprintf("w%d:%s", w.id, k) }

func (w *writer) run(ctx context.Context, c *redis.Client, rng *rand.Rand) {
	for ctx.Err() == nil {
		w.seq++
		v := w.seq
		w.inflV = v
		switch rng.IntN(3) {
		case 0:
			w.inflight = "set"
			if c.Set(ctx, w.key("s"), v, 0).Err() != nil {
				return
			}
			w.ackSet = v
		case 1:
			w.inflight = "multi"
			_, err := c.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, w.key("a"), v, 0)
				p.Set(ctx, w.key("b"), v, 0)
				return nil
			})
			if err != nil {
				return
			}
			w.ackMulti = v
		default:
			w.inflight = "eval"
			if c.Eval(ctx, script, []string{w.key("x"), w.key("y"), w.key("n")}, v).Err() != nil {
				return
			}
			w.ackEval = v
			w.evals++
		}
		w.inflight = ""
	}
}

// check compares the restarted server with the model and then adopts what
// it finds (an in-flight operation may or may not have landed).
func (w *writer) check(t *testing.T, c *redis.Client, cycle int) {
	ctx := context.Background()
	get := func(k string) int {
		s, err := c.Get(ctx, w.key(k)).Result()
		if err == redis.Nil {
			return 0
		}
		if err != nil {
			t.Fatalf("cycle %d: GET %s: %v", cycle, w.key(k), err)
		}
		n, _ := strconv.Atoi(s)
		return n
	}
	okVal := func(got, acked int, op string) bool {
		return got == acked || (w.inflight == op && got == w.inflV)
	}
	s, a, b, x, y, n := get("s"), get("a"), get("b"), get("x"), get("y"), get("n")
	if !okVal(s, w.ackSet, "set") {
		t.Fatalf("cycle %d writer %d: SET lost: have %d, acknowledged %d (in flight %s %d)", cycle, w.id, s, w.ackSet, w.inflight, w.inflV)
	}
	if a != b || !okVal(a, w.ackMulti, "multi") {
		t.Fatalf("cycle %d writer %d: MULTI/EXEC broken: a=%d b=%d, acknowledged %d (in flight %s %d)", cycle, w.id, a, b, w.ackMulti, w.inflight, w.inflV)
	}
	if x != y || !okVal(x, w.ackEval, "eval") {
		t.Fatalf("cycle %d writer %d: script broken: x=%d y=%d, acknowledged %d (in flight %s %d)", cycle, w.id, x, y, w.ackEval, w.inflight, w.inflV)
	}
	if !(n == w.evals || (w.inflight == "eval" && n == w.evals+1)) {
		t.Fatalf("cycle %d writer %d: script count %d, acknowledged %d", cycle, w.id, n, w.evals)
	}
	w.ackSet, w.ackMulti, w.ackEval, w.evals = s, a, x, n
	w.inflight = ""
}

func crashCycles(t *testing.T, fsync string, cycles int) {
	crashCyclesWith(t, fsync, cycles, nil)
}

// crashCyclesWith runs during each cycle, while the writers write.
func crashCyclesWith(t *testing.T, fsync string, cycles int, during func(c *redis.Client)) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	writers := make([]*writer, 8)
	for i := range writers {
		writers[i] = &writer{id: i}
	}
	for cycle := 0; cycle < cycles; cycle++ {
		p := start(t, dir, fsync)
		c := redis.NewClient(&redis.Options{Addr: p.addr, MaxRetries: -1, PoolSize: len(writers) + 2})
		for _, w := range writers {
			w.check(t, c, cycle)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for i, w := range writers {
			wg.Add(1)
			go func(w *writer, seed uint64) {
				defer wg.Done()
				w.run(ctx, c, rand.New(rand.NewPCG(seed, uint64(cycle))))
			}(w, uint64(i))
		}
		if during != nil {
			during(c)
		}
		time.Sleep(time.Duration(50+rng.IntN(250)) * time.Millisecond)
		p.kill() // SIGKILL: no chance to flush anything
		wg.Wait()
		cancel()
		c.Close()
	}
	// a last restart to check the final state
	p := start(t, dir, fsync)
	defer p.kill()
	c := redis.NewClient(&redis.Options{Addr: p.addr})
	defer c.Close()
	for _, w := range writers {
		w.check(t, c, cycles)
	}
}

func TestCrashAlways(t *testing.T)   { crashCycles(t, "always", 6) }
func TestCrashEverysec(t *testing.T) { crashCycles(t, "everysec", 4) }

// An AOF rewrite running while clients write, and a kill during or after
// it, lose nothing acknowledged either.
func TestCrashDuringRewrite(t *testing.T) {
	crashCyclesWith(t, "always", 4, func(c *redis.Client) {
		time.Sleep(30 * time.Millisecond)
		if err := c.BgRewriteAOF(context.Background()).Err(); err != nil {
			t.Errorf("BGREWRITEAOF: %v", err)
		}
	})
}

// A BGSAVE taken while MULTI/EXEC and scripts write is one instant: no
// transaction or script is half in it.
func TestBgsaveIsOneInstant(t *testing.T) {
	dir := t.TempDir()
	p := startArgs(t, dir, "--appendonly", "no")
	c := redis.NewClient(&redis.Options{Addr: p.addr, PoolSize: 12})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		w := &writer{id: i}
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.run(ctx, c, rand.New(rand.NewPCG(uint64(i), 3)))
		}()
	}
	// enough keys that the snapshot takes many steps
	pipe := c.Pipeline()
	for i := 0; i < 50000; i++ {
		pipe.Set(context.Background(), fmt.Sprintf("filler:%d", i), i, 0)
	}
	if _, err := pipe.Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := c.BgSave(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		info, _ := c.Info(context.Background(), "persistence").Result()
		if strings.Contains(info, "rdb_bgsave_in_progress:0") && strings.Contains(info, "rdb_saves:1") {
			break
		}
		if i > 500 {
			t.Fatalf("BGSAVE did not finish:\n%s", info)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	c.Close()
	p.kill()
	p = startArgs(t, dir, "--appendonly", "no")
	defer p.kill()
	c = redis.NewClient(&redis.Options{Addr: p.addr})
	defer c.Close()
	bg := context.Background()
	if n, _ := c.DBSize(bg).Result(); n < 50000 {
		t.Fatalf("the dump holds %d keys", n)
	}
	for i := 0; i < 8; i++ {
		w := &writer{id: i}
		vals, err := c.MGet(bg, w.key("a"), w.key("b"), w.key("x"), w.key("y")).Result()
		if err != nil {
			t.Fatal(err)
		}
		if vals[0] != vals[1] || vals[2] != vals[3] {
			t.Fatalf("writer %d: the snapshot holds half a transaction or script: a=%v b=%v x=%v y=%v", i, vals[0], vals[1], vals[2], vals[3])
		}
	}
}

// Redis's own checker accepts what moonkv wrote, after crashes and
// rewrites.
func TestRedisCheckAOFAcceptsMoonkvAOF(t *testing.T) {
	if _, err := exec.LookPath("redis-check-aof"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redis-check-aof is required in CI (apt-get install -y redis-tools)")
		}
		t.Skip("redis-check-aof not installed")
	}
	dir := t.TempDir()
	p := start(t, dir, "always")
	c := redis.NewClient(&redis.Options{Addr: p.addr})
	ctx := context.Background()
	w := &writer{id: 1}
	c.Set(ctx, "plain", "v", time.Hour)
	c.Eval(ctx, script, []string{w.key("x"), w.key("y"), w.key("n")}, 7)
	c.TxPipelined(ctx, func(pp redis.Pipeliner) error {
		pp.Incr(ctx, "a")
		pp.RPush(ctx, "l", "x", "y")
		return nil
	})
	c.BgRewriteAOF(ctx)
	time.Sleep(200 * time.Millisecond)
	c.HSet(ctx, "h", "f", "v")
	c.Close()
	p.kill()
	manifest := filepath.Join(dir, "appendonlydir", "appendonly.aof.manifest")
	out, err := exec.Command("redis-check-aof", manifest).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "All AOF files and manifest are valid") {
		t.Fatalf("redis-check-aof: %v\n%s", err, out)
	}
}
