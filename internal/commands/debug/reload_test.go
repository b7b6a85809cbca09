package debug_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/moonkv/moonkv/internal/server"
)

// fill writes values of every type and encoding, with and without
// deadlines, into several databases.
func fill(cl *client) {
	for db := 0; db < 3; db++ {
		cl.do("SELECT", fmt.Sprint(db*5))
		for _, cmd := range objectData {
			cl.do(cmd...)
		}
		cl.do("SET", "ttl", "v", "PX", "500000")
		cl.do("HSET", "httl", "a", "1")
		cl.do("PEXPIREAT", "httl", "99999999999999")
		cl.do("SET", "db", fmt.Sprint(db))
		cl.do("SET", "bin", "a\x00b\r\n\xff")
		cl.do("SET", "empty", "")
		cl.do("ZADD", "zinf", "inf", "a", "-inf", "b", "0", "c")
	}
	cl.do("SELECT", "0")
}

// state is everything observable about the dataset: the digest, and per
// database the keys with their types, encodings and deadlines.
func state(cl *client) string {
	var items []string
	for _, db := range []string{"0", "5", "10", "1"} {
		cl.do("SELECT", db)
		keys := cl.do("KEYS", "*")
		for _, k := range strings.Split(keys, "\r\n") {
			if k == "" || k[0] == '*' || k[0] == '$' {
				continue
			}
			items = append(items, fmt.Sprintf("%s/%s %s %s %s %s", db, k, cl.do("TYPE", k), cl.do("OBJECT", "ENCODING", k),
				cl.do("PEXPIRETIME", k), cl.do("DEBUG", "DIGEST-VALUE", k)))
		}
	}
	cl.do("SELECT", "0")
	sort.Strings(items)
	return cl.do("DEBUG", "DIGEST") + strings.Join(items, "|")
}

// TestReloadKeepsEverything: DEBUG RELOAD writes the RDB through SAVE's
// writer and reads it through the start's loader; every type, encoding,
// deadline and database survives.
func TestReloadKeepsEverything(t *testing.T) {
	s, addr := startMoonkv(t, nil)
	cl := dial(t, addr)
	fill(cl)
	before := state(cl)
	if !strings.Contains(before, "5/ttl") || strings.Count(before, "|") < 60 {
		t.Fatalf("the dataset was not built: %s", before)
	}
	must(t, cl.do("DEBUG", "RELOAD"), "+OK\r\n")
	if after := state(cl); after != before {
		t.Fatalf("RELOAD changed the dataset:\n before %s\n after  %s", before, after)
	}
	if !fileExists(filepath.Join(s.Cfg.Dir, s.Cfg.DBFilename)) {
		t.Fatal("RELOAD left no dump file")
	}
	// twice, and from a client inside another database
	cl.do("SELECT", "5")
	must(t, cl.do("DEBUG", "RELOAD"), "+OK\r\n")
	cl.do("SELECT", "0")
	if after := state(cl); after != before {
		t.Fatal("a second RELOAD changed the dataset")
	}
	// LASTSAVE moved and nothing is left to save
	if r := cl.do("INFO", "persistence"); !strings.Contains(r, "rdb_changes_since_last_save:0\r\n") {
		t.Errorf("after RELOAD: %s", r)
	}
}

// TestReloadWatch: a RELOAD that empties the dataset fails transactions
// watching existing keys, as FLUSHALL does.
func TestReloadWatch(t *testing.T) {
	_, addr := startMoonkv(t, nil)
	a, b := dial(t, addr), dial(t, addr)
	a.do("SET", "k", "v")
	a.do("WATCH", "k")
	must(t, b.do("DEBUG", "RELOAD"), "+OK\r\n")
	a.do("MULTI")
	a.do("GET", "k")
	must(t, a.do("EXEC"), "*-1\r\n")
}

// TestReloadFailures: a save that cannot be written leaves the dataset as
// it was and answers Redis's bare -ERR; a file that cannot be loaded
// answers "Error trying to load the RDB dump".
func TestReloadFailures(t *testing.T) {
	s, addr := startMoonkv(t, nil)
	cl := dial(t, addr)
	cl.do("SET", "k", "v")
	cl.do("RPUSH", "l", "a")
	want := cl.do("DEBUG", "DIGEST")

	// the directory disappears: the save fails, nothing is flushed
	good := s.Cfg.Dir
	if err := os.Rename(good, good+".away"); err != nil {
		t.Fatal(err)
	}
	must(t, cl.do("DEBUG", "RELOAD"), "-ERR\r\n")
	must(t, cl.do("DEBUG", "DIGEST"), want)
	// a read-only directory (when permissions apply to us) fails the same way
	os.Mkdir(good, 0o555)
	if os.Geteuid() != 0 {
		must(t, cl.do("DEBUG", "RELOAD"), "-ERR\r\n")
		must(t, cl.do("DEBUG", "DIGEST"), want)
	}
	os.Remove(good)
	if err := os.Rename(good+".away", good); err != nil {
		t.Fatal(err)
	}

	// a full disk: the temporary file is /dev/full, so writing it fails
	// with ENOSPC; the dataset and the previous dump stay as they were
	must(t, cl.do("SAVE"), "+OK\r\n")
	dump := filepath.Join(good, s.Cfg.DBFilename)
	saved, _ := os.ReadFile(dump)
	tmp := filepath.Join(good, fmt.Sprintf("temp-%d.rdb", os.Getpid()))
	if err := os.Symlink("/dev/full", tmp); err != nil {
		t.Fatal(err)
	}
	must(t, cl.do("DEBUG", "RELOAD"), "-ERR\r\n")
	must(t, cl.do("DEBUG", "DIGEST"), want)
	if now, _ := os.ReadFile(dump); string(now) != string(saved) {
		t.Fatal("a failed save replaced the dump file")
	}
	os.Remove(tmp)

	// NOSAVE with no file: the dataset was flushed before the load, as
	// in Redis
	os.Remove(dump)
	must(t, cl.do("DEBUG", "RELOAD", "NOSAVE"), "-ERR Error trying to load the RDB dump\r\n")
	must(t, cl.do("DBSIZE"), ":0\r\n")

	// a corrupt file
	cl.do("SET", "k", "v")
	must(t, cl.do("SAVE"), "+OK\r\n")
	data, err := os.ReadFile(dump)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-3] ^= 0xff // inside the checksum
	os.WriteFile(dump, data, 0o644)
	must(t, cl.do("DEBUG", "RELOAD", "NOSAVE"), "-ERR Error trying to load the RDB dump\r\n")
	os.WriteFile(dump, data[:len(data)/2], 0o644)
	must(t, cl.do("DEBUG", "RELOAD", "NOSAVE"), "-ERR Error trying to load the RDB dump\r\n")

	// NOFLUSH without MERGE and a key of the file exists: Redis crashes;
	// moonkv refuses the load and changes nothing
	cl.do("FLUSHALL")
	cl.do("SET", "k", "v")
	must(t, cl.do("SAVE"), "+OK\r\n")
	cl.do("SET", "other", "x")
	before := cl.do("DEBUG", "DIGEST")
	must(t, cl.do("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH"), "-ERR Error trying to load the RDB dump\r\n")
	must(t, cl.do("DEBUG", "DIGEST"), before)
	// without a conflict it merges
	cl.do("DEL", "k")
	must(t, cl.do("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH"), "+OK\r\n")
	must(t, cl.do("DBSIZE"), ":2\r\n")
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// TestLoadAOF: DEBUG LOADAOF empties the dataset and replays the AOF; the
// replay is not appended again.
func TestLoadAOF(t *testing.T) {
	s, addr := startMoonkv(t, func(sc *server.Config) { sc.AppendOnly = true; sc.AppendFsync = "always" })
	cl := dial(t, addr)
	fill(cl)
	cl.do("DEL", "s1")
	cl.do("INCR", "counter")
	cl.do("MULTI")
	cl.do("INCR", "counter")
	cl.do("LPUSH", "l1", "z")
	cl.do("EXEC")
	before := state(cl)
	aofDir := filepath.Join(s.Cfg.Dir, s.Cfg.AppendDirname)
	size := dirSize(t, aofDir)
	must(t, cl.do("DEBUG", "LOADAOF"), "+OK\r\n")
	if after := state(cl); after != before {
		t.Fatalf("LOADAOF changed the dataset:\n before %s\n after  %s", before, after)
	}
	if got := dirSize(t, aofDir); got != size {
		t.Fatalf("LOADAOF grew the AOF from %d to %d bytes", size, got)
	}
	// writes after it are appended and survive another LOADAOF
	cl.do("SET", "after", "1")
	must(t, cl.do("DEBUG", "LOADAOF"), "+OK\r\n")
	must(t, cl.do("GET", "after"), "$1\r\n1\r\n")
	// a rewrite in between: the base is an RDB preamble-free snapshot
	must(t, cl.do("BGREWRITEAOF"), "+Background append only file rewriting started\r\n")
	for strings.Contains(cl.do("INFO", "persistence"), "aof_rewrite_in_progress:1") {
	}
	must(t, cl.do("DEBUG", "LOADAOF"), "+OK\r\n")
	must(t, cl.do("GET", "after"), "$1\r\n1\r\n")
}

func TestLoadAOFOff(t *testing.T) {
	_, addr := startMoonkv(t, nil)
	cl := dial(t, addr)
	cl.do("SET", "k", "v")
	must(t, cl.do("DEBUG", "LOADAOF"), "-ERR Error trying to load the AOF files, check server logs.\r\n")
	must(t, cl.do("GET", "k"), "$1\r\nv\r\n")
}

func dirSize(t *testing.T, dir string) int64 {
	var n int64
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && strings.Contains(e.Name(), ".incr.") {
			n += fi.Size()
		}
	}
	return n
}

// TestReloadFunctions: function libraries survive RELOAD and LOADAOF;
// NOFLUSH without MERGE refuses a library that exists, as Redis does.
func TestReloadFunctions(t *testing.T) {
	_, addr := startMoonkv(t, func(sc *server.Config) { sc.AppendOnly = true })
	cl := dial(t, addr)
	lib := "#!lua name=mylib\nredis.register_function('f1', function() return 1 end)"
	if r := cl.do("FUNCTION", "LOAD", lib); strings.HasPrefix(r, "-ERR unknown command") {
		t.Skip("no FUNCTION command in this build")
	} else {
		must(t, r, "$5\r\nmylib\r\n")
	}
	cl.do("SET", "k", "v")
	must(t, cl.do("DEBUG", "RELOAD"), "+OK\r\n")
	must(t, cl.do("FCALL", "f1", "0"), ":1\r\n")
	must(t, cl.do("DEBUG", "RELOAD", "MERGE"), "+OK\r\n")
	must(t, cl.do("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"), "+OK\r\n")
	must(t, cl.do("FCALL", "f1", "0"), ":1\r\n")
	// the library exists: refused, nothing changed
	cl.do("DEL", "k")
	must(t, cl.do("DEBUG", "RELOAD", "NOSAVE", "NOFLUSH"), "-ERR Error trying to load the RDB dump\r\n")
	must(t, cl.do("EXISTS", "k"), ":0\r\n")
	// a RELOAD drops libraries that are not in the file
	must(t, cl.do("FUNCTION", "DELETE", "mylib"), "+OK\r\n")
	must(t, cl.do("DEBUG", "RELOAD", "NOSAVE"), "+OK\r\n")
	must(t, cl.do("FCALL", "f1", "0"), ":1\r\n")
	must(t, cl.do("FUNCTION", "FLUSH"), "+OK\r\n")
	must(t, cl.do("DEBUG", "RELOAD", "NOSAVE"), "+OK\r\n")
	must(t, cl.do("FCALL", "f1", "0"), ":1\r\n")
	must(t, cl.do("FUNCTION", "LOAD", "#!lua name=other\nredis.register_function('f2', function() return 2 end)"), "$5\r\nother\r\n")
	// LOADAOF: the libraries come back from the AOF alone, where the
	// RELOADs left no trace (redis-server 7.0.15 answers the same)
	must(t, cl.do("DEBUG", "LOADAOF"), "+OK\r\n")
	must(t, cl.do("FCALL", "f2", "0"), ":2\r\n")
	must(t, cl.do("FCALL", "f1", "0"), "-ERR Function not found\r\n")
}

// TestReloadDuringBgsave: RELOAD saves in the foreground even while a
// BGSAVE runs, as Redis does, and the BGSAVE still completes.
func TestReloadDuringBgsave(t *testing.T) {
	_, addr := startMoonkv(t, nil)
	cl := dial(t, addr)
	must(t, cl.do("DEBUG", "POPULATE", "100000"), "+OK\r\n")
	want := cl.do("DEBUG", "DIGEST")
	must(t, cl.do("BGSAVE"), "+Background saving started\r\n")
	if r := cl.do("INFO", "persistence"); !strings.Contains(r, "rdb_bgsave_in_progress:1") {
		t.Fatal("the BGSAVE ended before RELOAD could run beside it")
	}
	must(t, cl.do("DEBUG", "RELOAD"), "+OK\r\n")
	must(t, cl.do("DEBUG", "DIGEST"), want)
	for strings.Contains(cl.do("INFO", "persistence"), "rdb_bgsave_in_progress:1") {
	}
	if r := cl.do("INFO", "persistence"); !strings.Contains(r, "rdb_last_bgsave_status:ok") {
		t.Fatalf("the BGSAVE failed: %s", r)
	}
	must(t, cl.do("DEBUG", "RELOAD", "NOSAVE"), "+OK\r\n")
	must(t, cl.do("DEBUG", "DIGEST"), want)
}
