package clients

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moonkv/moonkv"
	"github.com/moonkv/moonkv/test/compat"
	"github.com/redis/go-redis/v9"
)

// transcript records what a client saw, one line per observation.
type transcript struct {
	mu    sync.Mutex
	lines []string
}

func (tr *transcript) add(format string, args ...any) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.lines = append(tr.lines, fmt.Sprintf(format, args...))
}

// show renders a command's outcome: its value with its Go type, or its
// error text.
func show(v any, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	return fmt.Sprintf("%#v", v)
}

func newClient(addr string, proto int) *redis.Client {
	return redis.NewClient(&redis.Options{
		Addr:         addr,
		Protocol:     proto,
		DialTimeout:  5 * time.Second,
		ReadTimeout:  10 * time.Second,
		WriteTimeout: 10 * time.Second,
		PoolSize:     32,
	})
}

const counterScript = `
local current = redis.call('get', KEYS[1])
if current then
    current = tonumber(current)
    redis.call('set', KEYS[1], current + ARGV[1])
    return current + ARGV[1]
else
    redis.call('set', KEYS[1], ARGV[1])
    return ARGV[1]
end
`

// workers is how many goroutines contend for the WATCH-guarded counter.
const workers = 40

// exercise is the test body: everything is recorded in tr, and what must
// hold regardless of the server is also checked directly.
func exercise(t *testing.T, addr string, proto int, tr *transcript) {
	ctx := context.Background()
	rdb := newClient(addr, proto)
	defer rdb.Close()

	// connecting runs the handshake (HELLO, CLIENT SETINFO); it must succeed
	tr.add("ping: %s", show(rdb.Ping(ctx).Result()))
	tr.add("hello: %s", show(helloProto(ctx, rdb)))

	// plain commands
	tr.add("set: %s", show(rdb.Set(ctx, "k", "v", 0).Result()))
	tr.add("get: %s", show(rdb.Get(ctx, "k").Result()))
	_, err := rdb.Get(ctx, "missing").Result()
	tr.add("get missing is redis.Nil: %v", errors.Is(err, redis.Nil))
	tr.add("incr: %s", show(rdb.Incr(ctx, "n").Result()))
	tr.add("incrby: %s", show(rdb.IncrBy(ctx, "n", 41).Result()))
	tr.add("incr wrong: %s", show(rdb.Incr(ctx, "k").Result()))
	tr.add("setnx: %s", show(rdb.SetNX(ctx, "k", "other", 0).Result()))
	tr.add("mset: %s", show(rdb.MSet(ctx, "a", "1", "b", "2").Result()))
	tr.add("mget: %s", show(rdb.MGet(ctx, "a", "b", "missing").Result()))
	tr.add("del: %s", show(rdb.Del(ctx, "a", "b", "missing").Result()))

	// a pipeline: replies come back in order, errors stay per command
	cmds, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, "p", "1", 0)
		p.Incr(ctx, "p")
		p.Get(ctx, "p")
		p.Incr(ctx, "k")
		p.Get(ctx, "nothing")
		return nil
	})
	tr.add("pipeline: %v", errText(err))
	for i, c := range cmds {
		tr.add("  pipeline %d %s: %s", i, c.Name(), cmdResult(c))
	}

	// MULTI/EXEC through TxPipelined, with a failing command inside
	cmds, err = rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Incr(ctx, "tx")
		p.Incr(ctx, "tx")
		p.Incr(ctx, "k")
		p.Get(ctx, "tx")
		return nil
	})
	tr.add("tx: %v", errText(err))
	for i, c := range cmds {
		tr.add("  tx %d %s: %s", i, c.Name(), cmdResult(c))
	}

	// WATCH: a conflicting write makes EXEC fail
	other := newClient(addr, proto)
	defer other.Close()
	err = rdb.Watch(ctx, func(tx *redis.Tx) error {
		v, err := tx.Get(ctx, "watched").Int()
		if err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
		if err := other.Set(ctx, "watched", "changed", 0).Err(); err != nil {
			return err
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, "watched", v+1, 0)
			return nil
		})
		return err
	}, "watched")
	tr.add("watch conflict is TxFailedErr: %v", errors.Is(err, redis.TxFailedErr))
	tr.add("watched: %s", show(rdb.Get(ctx, "watched").Result()))

	// WATCH-based optimistic locking under contention reaches exactly N
	var wg sync.WaitGroup
	var failures sync.Map
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for attempt := 0; attempt < 10000; attempt++ {
				err := rdb.Watch(ctx, func(tx *redis.Tx) error {
					n, err := tx.Get(ctx, "occ").Int()
					if err != nil && !errors.Is(err, redis.Nil) {
						return err
					}
					_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
						p.Set(ctx, "occ", n+1, 0)
						return nil
					})
					return err
				}, "occ")
				if err == nil {
					return
				}
				if !errors.Is(err, redis.TxFailedErr) {
					failures.Store(i, err.Error())
					return
				}
			}
			failures.Store(i, "gave up after 10000 attempts")
		}(i)
	}
	wg.Wait()
	failures.Range(func(k, v any) bool {
		t.Errorf("worker %v: %v", k, v)
		return true
	})
	final, err := rdb.Get(ctx, "occ").Int()
	if err != nil || final != workers {
		t.Errorf("%d WATCH/MULTI workers left the counter at %d (%v)", workers, final, err)
	}
	tr.add("optimistic counter: %d", final)

	// scripts: Run tries EVALSHA, gets NOSCRIPT and falls back to EVAL
	script := redis.NewScript(counterScript)
	tr.add("script hash: %s", script.Hash())
	tr.add("script exists: %s", show(script.Exists(ctx, rdb).Result()))
	tr.add("evalsha unknown: %s", show(rdb.EvalSha(ctx, script.Hash(), []string{"c"}, 5).Result()))
	for i := 0; i < 3; i++ {
		tr.add("script run: %s", show(script.Run(ctx, rdb, []string{"counter"}, 5).Result()))
	}
	tr.add("script exists: %s", show(script.Exists(ctx, rdb).Result()))
	tr.add("script flush: %s", show(rdb.ScriptFlush(ctx).Result()))
	tr.add("script run after flush: %s", show(script.Run(ctx, rdb, []string{"counter"}, 5).Result()))
	tr.add("script load: %s", show(script.Load(ctx, rdb).Result()))
	tr.add("evalsha: %s", show(script.EvalSha(ctx, rdb, []string{"counter"}, 1).Result()))
	tr.add("eval_ro: %s", show(rdb.EvalRO(ctx, "return redis.call('get', KEYS[1])", []string{"counter"}).Result()))
	tr.add("eval types: %s", show(rdb.Eval(ctx, "return {1, 'two', 3.5, true, false, {4}, redis.status_reply('OK')}", nil).Result()))
	tr.add("eval error: %s", show(rdb.Eval(ctx, "return redis.call('incr', KEYS[1])", []string{"k"}).Result()))
	tr.add("eval error_reply: %s", show(rdb.Eval(ctx, "return redis.error_reply('CUSTOM failure')", nil).Result()))
	tr.add("script in pipeline: %s", pipelineScript(ctx, rdb, script))

	// scripts from many goroutines are atomic
	var swg sync.WaitGroup
	for i := 0; i < 10; i++ {
		swg.Add(1)
		go func() {
			defer swg.Done()
			for j := 0; j < 20; j++ {
				if err := script.Run(ctx, rdb, []string{"scripted"}, 1).Err(); err != nil {
					t.Errorf("concurrent script: %v", err)
					return
				}
			}
		}()
	}
	swg.Wait()
	tr.add("concurrent scripted counter: %s", show(rdb.Get(ctx, "scripted").Result()))

	// expiry
	tr.add("set ex: %s", show(rdb.Set(ctx, "e", "v", 100*time.Second).Result()))
	ttl, err := rdb.TTL(ctx, "e").Result()
	tr.add("ttl in (90s,100s]: %v %v", ttl > 90*time.Second && ttl <= 100*time.Second, errText(err))
	tr.add("persist: %s", show(rdb.Persist(ctx, "e").Result()))
	tr.add("ttl persisted: %s", show(rdb.TTL(ctx, "e").Result()))
	tr.add("ttl missing: %s", show(rdb.TTL(ctx, "nope").Result()))
	tr.add("pexpire: %s", show(rdb.PExpire(ctx, "e", 50*time.Millisecond).Result()))
	tr.add("expire missing: %s", show(rdb.Expire(ctx, "nope", time.Second).Result()))
	time.Sleep(200 * time.Millisecond)
	tr.add("expired get is redis.Nil: %v", errors.Is(rdb.Get(ctx, "e").Err(), redis.Nil))
	tr.add("exists expired: %s", show(rdb.Exists(ctx, "e").Result()))
}

func errText(err error) string {
	if err == nil {
		return "ok"
	}
	return "error: " + err.Error()
}

func cmdResult(c redis.Cmder) string {
	switch c := c.(type) {
	case *redis.StatusCmd:
		return show(c.Result())
	case *redis.IntCmd:
		return show(c.Result())
	case *redis.StringCmd:
		return show(c.Result())
	case *redis.Cmd:
		return show(c.Result())
	}
	return errText(c.Err())
}

func pipelineScript(ctx context.Context, rdb *redis.Client, s *redis.Script) string {
	cmds, err := rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		s.Run(ctx, p, []string{"piped"}, 2)
		s.Run(ctx, p, []string{"piped"}, 2)
		return nil
	})
	out := []string{errText(err)}
	for _, c := range cmds {
		out = append(out, cmdResult(c))
	}
	return strings.Join(out, " | ")
}

// helloProto reports the protocol the connection negotiated.
func helloProto(ctx context.Context, rdb *redis.Client) (any, error) {
	m, err := rdb.Do(ctx, "HELLO").Result()
	if err != nil {
		return nil, err
	}
	switch m := m.(type) {
	case map[any]any:
		return m["proto"], nil
	case []any:
		for i := 0; i+1 < len(m); i += 2 {
			if m[i] == "proto" {
				return m[i+1], nil
			}
		}
	}
	return nil, fmt.Errorf("unexpected HELLO reply %#v", m)
}

func TestGoRedis(t *testing.T) {
	mode := compat.ModeFromEnv(t)
	for _, proto := range []int{3, 2} {
		t.Run(fmt.Sprintf("resp%d", proto), func(t *testing.T) {
			t.Parallel()
			golden := fmt.Sprintf("testdata/goredis_resp%d.golden", proto)
			srv, err := moonkv.Start(moonkv.Config{})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			var got transcript
			exercise(t, srv.Addr(), proto, &got)

			var want []string
			if mode.Live {
				var tr transcript
				exercise(t, compat.StartRedis(t), proto, &tr)
				want = tr.lines
				if mode.Record {
					data := "# go-redis against redis-server 7.0.15; re-record with MOONKV_RECORD=1\n" + strings.Join(want, "\n") + "\n"
					if err := os.WriteFile(golden, []byte(data), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			recorded := readGolden(t, golden)
			if want == nil {
				want = recorded
			} else if d := diff(recorded, want); d != "" {
				t.Errorf("%s is stale (re-record with MOONKV_RECORD=1):\n%s", golden, d)
			}
			if d := diff(want, got.lines); d != "" {
				t.Errorf("go-redis sees moonkv differently from Redis (want Redis, got moonkv):\n%s", d)
			}
		})
	}
}

func readGolden(t *testing.T, path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (record it with MOONKV_RECORD=1 and redis-server installed)", err)
	}
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

func diff(want, got []string) string {
	var b strings.Builder
	for i := 0; i < max(len(want), len(got)); i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			fmt.Fprintf(&b, "line %d\n  want: %s\n  got:  %s\n", i+1, w, g)
		}
	}
	return b.String()
}
