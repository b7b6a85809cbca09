package compat

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/server"
)

// A BGSAVE that fails, with save points configured and
// stop-writes-on-bgsave-error on, refuses writes (and PING) with MISCONF
// until a save succeeds: plain commands, MULTI/EXEC, and scripts, which
// redis-server 7.0.15 answers live. The failure is the data directory
// removed under both servers.
func TestMisconfAfterFailedBgsave(t *testing.T) {
	NeedRedis(t)
	rdir, mdir := t.TempDir(), t.TempDir()
	redisAddr := StartRedisIn(t, rdir, "--save", "3600 1")
	cfg := server.DefaultConfig()
	cfg.Port, cfg.Dir, cfg.AppendOnly = 0, mdir, false
	if err := server.ApplyConfigText(&cfg, "save \"3600 1\"\n"); err != nil {
		t.Fatal(err)
	}
	srv := server.New(cfg, commands.Registry())
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	srv.Serve()
	t.Cleanup(func() { srv.Close() })

	sessions := map[string]*Session{"redis": NewSession(redisAddr), "moonkv": NewSession(srv.Addr().String())}
	defer sessions["redis"].Close()
	defer sessions["moonkv"].Close()
	// run sends the same steps to both servers and compares the replies.
	run := func(lines ...string) {
		t.Helper()
		for _, line := range lines {
			conn, text := 1, line
			if strings.HasPrefix(line, "2:") {
				conn, text = 2, line[2:]
			}
			st := Step{Text: line, Conn: conn, Args: splitWords(t, text)}
			var replies [2][]byte
			for i, name := range []string{"redis", "moonkv"} {
				r, err := sessions[name].Do(st)
				if err != nil {
					t.Fatalf("%s: %s: %v", name, line, err)
				}
				replies[i] = r
			}
			if !bytes.Equal(replies[0], replies[1]) {
				t.Errorf("%s\n  redis:  %q\n  moonkv: %q", line, replies[0], replies[1])
			}
		}
	}
	bgsaveDone := func() {
		t.Helper()
		for _, name := range []string{"redis", "moonkv"} {
			deadline := time.Now().Add(10 * time.Second)
			for {
				r, err := sessions[name].Do(Step{Conn: 3, Args: splitWords(t, "INFO persistence")})
				if err != nil {
					t.Fatal(err)
				}
				if bytes.Contains(r, []byte("rdb_bgsave_in_progress:0")) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s: BGSAVE did not end", name)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
	}

	run("SET a 1", "MULTI", "SET a 2", "GET a")
	os.RemoveAll(rdir)
	os.RemoveAll(mdir)
	run("2:BGSAVE")
	bgsaveDone()
	run(
		// writes queued before the failure: EXEC itself is refused and
		// the transaction discarded
		"EXEC", "EXEC", "DISCARD",
		"2:SET a 3", "2:GET a", "2:PING", "2:ECHO x", "2:DEL nokey", "2:FLUSHALL",
		"MULTI", "GET a", "SET a 3", "PING", "EXEC",
		"2:EVAL \"return redis.call('get','a')\" 0",
		"2:EVAL \"redis.call('set','b','1') return 1\" 0",
		"2:EVAL \"return redis.pcall('set','b','1')\" 0",
		"2:EVAL \"#!lua\nreturn 1\" 0",
		"2:EVAL \"#!lua flags=no-writes\nreturn redis.call('get','a')\" 0",
		"2:EVAL_RO \"return redis.call('get','a')\" 0",
		"2:FUNCTION LOAD \"#!lua name=lib\nredis.register_function('f', function() return 1 end)\"",
		"2:CONFIG SET stop-writes-on-bgsave-error no", "2:SET c 1",
		"2:CONFIG SET stop-writes-on-bgsave-error yes", "2:SET c 2",
		"2:CONFIG SET save \"\"", "2:SET c 3",
		"2:CONFIG SET save \"3600 1\"", "2:SET c 4", "2:GET c",
	)

	// moonkv alone (redis-server's working directory stays the removed
	// one): a BGSAVE that succeeds lets writes through again.
	if err := os.MkdirAll(mdir, 0o755); err != nil {
		t.Fatal(err)
	}
	m := sessions["moonkv"]
	if r, _ := m.Do(Step{Conn: 2, Args: splitWords(t, "BGSAVE")}); string(r) != "+Background saving started\r\n" {
		t.Fatalf("BGSAVE: %q", r)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		r, _ := m.Do(Step{Conn: 2, Args: splitWords(t, "SET c 5")})
		if string(r) == "+OK\r\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("writes still refused after a successful BGSAVE: %q", r)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := os.Stat(filepath.Join(mdir, "dump.rdb")); err != nil {
		t.Fatalf("the successful BGSAVE left no file: %v", err)
	}
}

func splitWords(t *testing.T, line string) [][]byte {
	t.Helper()
	words, err := resp.SplitArgs(nil, []byte(line))
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	return words
}
