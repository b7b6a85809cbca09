package persist

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/types/hash"
	"github.com/moonkv/moonkv/internal/types/list"
	"github.com/moonkv/moonkv/internal/types/set"
	"github.com/moonkv/moonkv/internal/types/zset"
)

// describe renders a keyspace as sorted text, independent of encodings.
func describe(ks *keyspace.Keyspace) string {
	var lines []string
	for _, db := range ks.DBs {
		db.Range(func(k string, e *keyspace.Entry) bool {
			var v string
			switch e.Type {
			case keyspace.TypeString:
				v = string(e.Str)
			case keyspace.TypeList:
				for _, x := range e.Obj.(*list.List).Values() {
					v += string(x) + ","
				}
			case keyspace.TypeSet:
				var ms []string
				e.Obj.(*set.Set).Range(func(m []byte) bool { ms = append(ms, string(m)); return true })
				sort.Strings(ms)
				v = strings.Join(ms, ",")
			case keyspace.TypeZSet:
				e.Obj.(*zset.ZSet).Range(func(m string, s float64) bool {
					v += m + "=" + strconv.FormatFloat(s, 'g', -1, 64) + ","
					return true
				})
			case keyspace.TypeHash:
				var fs []string
				e.Obj.(*hash.Hash).Range(func(f, x []byte) bool { fs = append(fs, string(f)+"="+string(x)); return true })
				sort.Strings(fs)
				v = strings.Join(fs, ",")
			}
			exp := ""
			if e.Expire != 0 {
				exp = " (expires)"
			}
			lines = append(lines, fmt.Sprintf("%d %s %s: %s%s", db.ID, e.Type, k, v, exp))
			return true
		})
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func needRedis(t *testing.T, tool string) {
	if _, err := exec.LookPath(tool); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required in CI (apt-get install -y redis-server redis-tools)", tool)
		}
		t.Skipf("%s not installed", tool)
	}
}

type redisProc struct {
	cmd  *exec.Cmd
	addr string
	dir  string
}

func startRedis(t *testing.T, dir string) *redisProc {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command("redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir,
		"--dbfilename", "dump.rdb", "--save", "", "--appendonly", "no", "--logfile", filepath.Join(dir, "log"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &redisProc{cmd: cmd, addr: fmt.Sprintf("127.0.0.1:%d", port), dir: dir}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; i < 200; i++ {
		if out, _ := p.do("PING"); out == "+PONG" {
			return p
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatal("redis-server did not start")
	return nil
}

func (p *redisProc) do(args ...string) (string, error) {
	c, err := net.Dial("tcp", p.addr)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	var b bytes.Buffer
	fmt.Fprintf(&b, "*%d\r\n", len(args))
	for _, a := range args {
		fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
	}
	c.Write(b.Bytes())
	line, err := bufio.NewReader(c).ReadString('\n')
	return strings.TrimRight(line, "\r\n"), err
}

// fill writes a dataset covering every type and encoding.
func fill(t *testing.T, p *redisProc) {
	cmds := [][]string{
		{"SET", "s:small", "hello"}, {"SET", "s:int", "12345"}, {"SET", "s:neg", "-7"},
		{"SET", "s:big", strings.Repeat("abcdefgh", 2000)}, {"SET", "s:bigint", "9223372036854775807"},
		{"SET", "s:exp", "v", "PX", "100000000"},
		{"RPUSH", "l:small", "a", "1", "-300", "70000", "bb"},
		{"HSET", "h:small", "f1", "v1", "f2", "2", "num", "-123456789012"},
		{"SADD", "set:int", "1", "2", "3", "-40000", "5000000000"},
		{"SADD", "set:str", "x", "y", "z"},
		{"ZADD", "z:small", "1", "a", "2.5", "b", "-3", "c", "inf", "d"},
		{"SELECT", "3"}, {"SET", "db3", "three"},
	}
	for i := 0; i < 300; i++ {
		cmds = append(cmds, []string{"RPUSH", "l:big", "item-" + strconv.Itoa(i)},
			[]string{"HSET", "h:big", "field" + strconv.Itoa(i), strings.Repeat("v", i%70)},
			[]string{"SADD", "set:big", "m" + strconv.Itoa(i)},
			[]string{"ZADD", "z:big", strconv.Itoa(i * 3), "member" + strconv.Itoa(i)})
	}
	c, err := net.Dial("tcp", p.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	for _, cmd := range cmds {
		var b bytes.Buffer
		fmt.Fprintf(&b, "*%d\r\n", len(cmd))
		for _, a := range cmd {
			fmt.Fprintf(&b, "$%d\r\n%s\r\n", len(a), a)
		}
		c.Write(b.Bytes())
		line, _ := r.ReadString('\n')
		if strings.HasPrefix(line, "-") {
			t.Fatalf("%v: %s", cmd, line)
		}
	}
}

// Redis writes a dump; moonkv loads it; moonkv writes it back; Redis
// loads moonkv's file and redis-check-rdb accepts it; both datasets agree.
func TestRDBInteropWithRedis(t *testing.T) {
	needRedis(t, "redis-server")
	needRedis(t, "redis-check-rdb")
	dir := t.TempDir()
	p := startRedis(t, dir)
	fill(t, p)
	if out, err := p.do("SAVE"); out != "+OK" {
		t.Fatalf("SAVE: %q %v", out, err)
	}
	ks := keyspace.New(16, &keyspace.FakeClock{Ms: time.Now().UnixMilli()})
	f, err := os.Open(filepath.Join(dir, "dump.rdb"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := LoadRDB(f, ks)
	f.Close()
	if err != nil {
		t.Fatalf("loading Redis's dump: %v", err)
	}
	if st.Keys != 16 || st.Aux["redis-ver"] != "7.0.15" {
		t.Fatalf("loaded %d keys, aux %v", st.Keys, st.Aux)
	}
	want := describe(ks)

	// moonkv writes the same data
	dir2 := t.TempDir()
	path := filepath.Join(dir2, "dump.rdb")
	out, _ := os.Create(path)
	w := NewRDBWriter(out, map[string]string{"redis-ver": "7.0.15", "redis-bits": "64"}, []string{"redis-ver", "redis-bits"})
	for _, db := range ks.DBs {
		db.Range(func(k string, e *keyspace.Entry) bool {
			if err := w.Entry(db.ID, k, e); err != nil {
				t.Fatal(err)
			}
			return true
		})
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out.Close()
	if b, err := exec.Command("redis-check-rdb", path).CombinedOutput(); err != nil || !bytes.Contains(b, []byte("RDB looks OK")) {
		t.Fatalf("redis-check-rdb refused moonkv's dump: %v\n%s", err, b)
	}
	// moonkv reads its own file back identically
	ks2 := keyspace.New(16, &keyspace.FakeClock{Ms: time.Now().UnixMilli()})
	f2, _ := os.Open(path)
	if _, err := LoadRDB(f2, ks2); err != nil {
		t.Fatalf("loading moonkv's dump: %v", err)
	}
	f2.Close()
	if got := describe(ks2); got != want {
		t.Fatalf("round trip differs:\n%s\nwant:\n%s", got, want)
	}
	// and Redis loads moonkv's file with the same data
	p2 := startRedis(t, dir2)
	for _, q := range [][]string{{"DBSIZE"}, {"GET", "s:big"}, {"ZSCORE", "z:small", "b"}, {"OBJECT", "ENCODING", "h:small"},
		{"OBJECT", "ENCODING", "set:int"}, {"OBJECT", "ENCODING", "z:big"}, {"LLEN", "l:big"}, {"HGET", "h:small", "num"}} {
		a, _ := p.do(q...)
		b, _ := p2.do(q...)
		if a != b {
			t.Errorf("%v: redis %q, redis loading moonkv's dump %q", q, a, b)
		}
	}
}

func TestRDBCorruptIsAnError(t *testing.T) {
	ks := keyspace.New(16, nil)
	var b bytes.Buffer
	w := NewRDBWriter(&b, nil, nil)
	e := keyspace.Entry{Type: keyspace.TypeString, Str: []byte("value")}
	w.Entry(0, "k", &e)
	w.Close()
	good := b.Bytes()
	for i := 0; i < len(good); i++ {
		for _, cut := range [][]byte{good[:i], append(append([]byte{}, good[:i]...), append([]byte{good[i] ^ 0x5a}, good[i+1:]...)...)} {
			ks2 := keyspace.New(16, nil)
			_, err := LoadRDB(bytes.NewReader(cut), ks2) // must not panic
			if len(cut) < len(good) && err == nil {
				t.Fatalf("truncated at %d loaded without error", i)
			}
		}
	}
	if _, err := LoadRDB(bytes.NewReader(good), ks); err != nil {
		t.Fatal(err)
	}
}

func FuzzLoadRDB(f *testing.F) {
	var b bytes.Buffer
	w := NewRDBWriter(&b, map[string]string{"redis-ver": "7.0.15"}, []string{"redis-ver"})
	e := keyspace.Entry{Type: keyspace.TypeString, Str: []byte("12345"), Expire: 1 << 42}
	w.Entry(2, "k", &e)
	w.Close()
	f.Add(b.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		ks := keyspace.New(16, nil)
		LoadRDB(bytes.NewReader(data), ks)
	})
}
