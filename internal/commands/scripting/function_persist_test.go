package scripting_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/test/compat"
)

const persistLib = "#!lua name=plib\n" +
	"redis.register_function('pset', function(k, a) return redis.call('set', k[1], a[1]) end)\n" +
	"redis.register_function{function_name='pget', callback=function(k) return redis.call('get', k[1]) end, flags={'no-writes'}, description='reads'}"

func openMoonkv(t *testing.T, dir string, aof bool) *server.Server {
	t.Helper()
	cfg := server.DefaultConfig()
	cfg.Port = 0
	cfg.Bind = []string{"127.0.0.1"}
	cfg.Save = nil
	cfg.AppendOnly = aof
	cfg.Dir = dir
	s := server.New(cfg, commands.Registry())
	if err := s.OpenPersistence(); err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	s.Serve()
	return s
}

// TestFunctionsSurviveRestart: libraries come back after a restart from
// an RDB snapshot, from the AOF's commands, and from an AOF whose base a
// rewrite made (the libraries are then in the RDB base).
func TestFunctionsSurviveRestart(t *testing.T) {
	for _, mode := range []string{"rdb", "aof", "aof-rewrite"} {
		t.Run(mode, func(t *testing.T) {
			dir := t.TempDir()
			aof := mode != "rdb"
			s := openMoonkv(t, dir, aof)
			c := dial(t, s)
			if got := c.call("FUNCTION", "LOAD", persistLib); got != "$4\r\nplib\r\n" {
				t.Fatalf("FUNCTION LOAD: %q", got)
			}
			c.call("FUNCTION", "LOAD", "#!lua name=gone\nredis.register_function('g', function() return 1 end)")
			c.call("FUNCTION", "DELETE", "gone")
			if got := c.call("FCALL", "pset", "1", "k", "v1"); got != "+OK\r\n" {
				t.Fatalf("FCALL: %q", got)
			}
			switch mode {
			case "rdb":
				if got := c.call("SAVE"); got != "+OK\r\n" {
					t.Fatalf("SAVE: %q", got)
				}
			case "aof-rewrite":
				c.call("BGREWRITEAOF")
				deadline := time.Now().Add(10 * time.Second)
				for !strings.Contains(c.call("INFO", "persistence"), "aof_rewrite_in_progress:0") || !rewritten(dir) {
					if time.Now().After(deadline) {
						t.Fatal("the AOF rewrite did not finish")
					}
					time.Sleep(20 * time.Millisecond)
				}
				// after the rewrite: a change that lives in the new
				// incremental file only
				c.call("FCALL", "pset", "1", "k2", "v2")
			}
			list := c.call("FUNCTION", "LIST", "WITHCODE")
			s.Close()

			s2 := openMoonkv(t, dir, aof)
			defer s2.Close()
			c2 := dial(t, s2)
			if got := c2.call("FUNCTION", "LIST", "WITHCODE"); got != list {
				t.Fatalf("FUNCTION LIST after restart:\n got %q\nwant %q", got, list)
			}
			if got := c2.call("FCALL_RO", "pget", "1", "k"); got != "$2\r\nv1\r\n" {
				t.Fatalf("FCALL_RO after restart: %q", got)
			}
			if mode == "aof-rewrite" {
				if got := c2.call("GET", "k2"); got != "$2\r\nv2\r\n" {
					t.Fatalf("GET k2 after restart: %q", got)
				}
			}
		})
	}
}

// rewritten reports whether the AOF's base is an RDB made by a rewrite.
func rewritten(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, "appendonlydir", "*.base.rdb"))
	return len(m) > 0
}

// TestFunctionsRDBInterop: a dump.rdb with libraries written by
// redis-server loads here, and ours loads in redis-server.
func TestFunctionsRDBInterop(t *testing.T) {
	compat.NeedRedis(t)
	rdir := t.TempDir()
	addr := compat.StartRedis(t, "--dir", rdir, "--dbfilename", "dump.rdb")
	r := compat.NewSession(addr)
	do := func(args ...string) string {
		t.Helper()
		b := make([][]byte, len(args))
		for i, a := range args {
			b[i] = []byte(a)
		}
		out, err := r.Do(compat.Step{Conn: 1, Args: b})
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	do("FUNCTION", "LOAD", persistLib)
	do("FCALL", "pset", "1", "k", "from-redis")
	if got := do("SAVE"); got != "+OK\r\n" {
		t.Fatalf("redis SAVE: %q", got)
	}
	r.Close()
	data, err := os.ReadFile(filepath.Join(rdir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	mdir := t.TempDir()
	if err := os.WriteFile(filepath.Join(mdir, "dump.rdb"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	s := openMoonkv(t, mdir, false)
	defer s.Close()
	c := dial(t, s)
	if got := c.call("FCALL_RO", "pget", "1", "k"); got != "$10\r\nfrom-redis\r\n" {
		t.Fatalf("FCALL after loading redis-server's RDB: %q", got)
	}
	c.call("FUNCTION", "LOAD", "#!lua name=ours\nredis.register_function('ours', function() return 'moon' end)")
	if got := c.call("SAVE"); got != "+OK\r\n" {
		t.Fatalf("SAVE: %q", got)
	}
	rdir2 := t.TempDir()
	data, err = os.ReadFile(filepath.Join(mdir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(rdir2, "dump.rdb"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	addr2 := compat.StartRedis(t, "--dir", rdir2, "--dbfilename", "dump.rdb")
	r2 := compat.NewSession(addr2)
	defer r2.Close()
	out, err := r2.Do(compat.Step{Conn: 1, Args: [][]byte{[]byte("FCALL"), []byte("ours"), []byte("0")}})
	if err != nil || string(out) != "$4\r\nmoon\r\n" {
		t.Fatalf("redis-server FCALL after loading our RDB: %q %v", out, err)
	}
	out, _ = r2.Do(compat.Step{Conn: 1, Args: [][]byte{[]byte("FCALL_RO"), []byte("pget"), []byte("1"), []byte("k")}})
	if string(out) != "$10\r\nfrom-redis\r\n" {
		t.Fatalf("redis-server FCALL_RO after loading our RDB: %q", out)
	}
}
