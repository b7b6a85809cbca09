package memory_test

import (
	"bufio"
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/moonkv/moonkv"
	"github.com/moonkv/moonkv/internal/commands/memory"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/test/compat"
)

// statsShape sends cmds on one connection and returns MEMORY STATS's
// last reply as "name:type" items (type is the RESP type byte of the
// value; a nested map is "name:%(...)").
func statsShape(t *testing.T, addr string, cmds ...string) []string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	var last []byte
	for _, cmd := range cmds {
		c.Write(compat.Encode(splitArgs(cmd)))
		if last, err = compat.ReadReply(r); err != nil {
			t.Fatal(err)
		}
	}
	return shapeOf(t, bufio.NewReader(strings.NewReader(string(last))))
}

func splitArgs(s string) [][]byte {
	var out [][]byte
	for _, f := range strings.Fields(s) {
		out = append(out, []byte(f))
	}
	return out
}

func readLine(t *testing.T, r *bufio.Reader) string {
	l, err := r.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(l, "\r\n")
}

// shapeOf reads a map (RESP3 %, or RESP2's flat array) of bulk names to
// values.
func shapeOf(t *testing.T, r *bufio.Reader) []string {
	head := readLine(t, r)
	n, _ := strconv.Atoi(head[1:])
	if head[0] == '*' {
		n /= 2
	}
	var out []string
	for i := 0; i < n; i++ {
		readLine(t, r) // $len
		name := readLine(t, r)
		v := readLine(t, r)
		switch v[0] {
		case '$':
			readLine(t, r)
			out = append(out, name+":$")
		case '%', '*':
			out = append(out, name+":"+v[:1]+fmt.Sprint(shapeOfN(t, r, v)))
		default:
			out = append(out, name+":"+v[:1])
		}
	}
	return out
}

func shapeOfN(t *testing.T, r *bufio.Reader, head string) []string {
	return shapeOf(t, bufio.NewReader(strings.NewReader(head+"\r\n"+drain(t, r, head))))
}

// drain reads the body of a nested map of integers.
func drain(t *testing.T, r *bufio.Reader, head string) string {
	n, _ := strconv.Atoi(head[1:])
	if head[0] == '%' {
		n *= 2
	}
	var b strings.Builder
	for i := 0; i < n; i++ {
		l := readLine(t, r)
		b.WriteString(l + "\r\n")
		if l[0] == '$' {
			b.WriteString(readLine(t, r) + "\r\n")
		}
	}
	return b.String()
}

// wantStats is MEMORY STATS's shape on redis-server 7.0.15 with keys in
// databases 0 and 3, RESP3.
var wantStats = []string{"peak.allocated::", "total.allocated::", "startup.allocated::", "replication.backlog::",
	"clients.slaves::", "clients.normal::", "cluster.links::", "aof.buffer::", "lua.caches::", "functions.caches::",
	"db.0:%[overhead.hashtable.main:: overhead.hashtable.expires:: overhead.hashtable.slot-to-keys::]",
	"db.3:%[overhead.hashtable.main:: overhead.hashtable.expires:: overhead.hashtable.slot-to-keys::]",
	"overhead.total::", "keys.count::", "keys.bytes-per-key::", "dataset.bytes::", "dataset.percentage:,",
	"peak.percentage:,", "allocator.allocated::", "allocator.active::", "allocator.resident::",
	"allocator-fragmentation.ratio:,", "allocator-fragmentation.bytes::", "allocator-rss.ratio:,",
	"allocator-rss.bytes::", "rss-overhead.ratio:,", "rss-overhead.bytes::", "fragmentation:,", "fragmentation.bytes::"}

func TestStatsShape(t *testing.T) {
	mode := compat.ModeFromEnv(t)
	srv, err := moonkv.Start(moonkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cmds := []string{"SET a 1", "SELECT 3", "SET b 2", "EXPIRE b 100", "HELLO 3", "MEMORY STATS"}
	got := statsShape(t, srv.Addr(), cmds...)
	if strings.Join(got, " ") != strings.Join(wantStats, " ") {
		t.Errorf("RESP3 shape:\n got  %v\n want %v", got, wantStats)
	}
	if mode.Live {
		want := statsShape(t, compat.StartRedis(t), cmds...)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("RESP3 shape against redis-server:\n got  %v\n want %v", got, want)
		}
		resp2 := []string{"FLUSHALL", "SET a 1", "MEMORY STATS"}
		g2, w2 := statsShape(t, srv.Addr(), resp2...), statsShape(t, compat.StartRedis(t), resp2...)
		if strings.Join(g2, " ") != strings.Join(w2, " ") {
			t.Errorf("RESP2 shape against redis-server:\n got  %v\n want %v", g2, w2)
		}
	}
}

func TestDoctorTexts(t *testing.T) {
	base := server.MemOverhead{TotalAllocated: 50 << 20, PeakAllocated: 50 << 20, Clients: 1, ClientsNormal: 8192,
		TotalFrag: 1.1, AllocatorFrag: 1.01, AllocatorRSS: 1.01, RSSExtra: 1.05, Allocator: "go-test"}
	cases := []struct {
		name string
		edit func(m *server.MemOverhead)
		want []string
	}{
		{"empty", func(m *server.MemOverhead) { m.TotalAllocated = 4 << 20; m.PeakAllocated = 100 << 20 },
			[]string{"Hi Sam, this instance is empty or is using very little memory"}},
		{"healthy", func(m *server.MemOverhead) {},
			[]string{"Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n"}},
		{"peak", func(m *server.MemOverhead) { m.PeakAllocated = 80 << 20 },
			[]string{"Sam, I detected a few issues", " * Peak memory:", "I'm here to keep you safe, Sam. I want to help you.\n"}},
		{"rss", func(m *server.MemOverhead) { m.TotalFrag, m.TotalFragBytes = 2, 50<<20 },
			[]string{" * High total RSS:", `allocator is "go-test".`}},
		{"rss small", func(m *server.MemOverhead) { m.TotalFrag, m.TotalFragBytes = 2, 5<<20 }, []string{"can't find any memory issue"}},
		{"allocfrag", func(m *server.MemOverhead) { m.AllocatorFrag, m.AllocatorFragBytes = 1.2, 11<<20 }, []string{" * High allocator fragmentation:"}},
		{"allocrss", func(m *server.MemOverhead) { m.AllocatorRSS, m.AllocatorRSSBytes = 1.2, 11<<20 }, []string{" * High allocator RSS overhead:"}},
		{"procrss", func(m *server.MemOverhead) { m.RSSExtra, m.RSSExtraBytes = 1.2, 11<<20 }, []string{" * High process RSS overhead:"}},
		{"clients", func(m *server.MemOverhead) { m.Clients, m.ClientsNormal = 2, 500*1024 }, []string{" * Big client buffers:"}},
		{"scripts", func(m *server.MemOverhead) { m.Scripts = 1001 }, []string{" * Many scripts:"}},
	}
	for _, c := range cases {
		m := base
		c.edit(&m)
		got := memory.DoctorReport(&m)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: report lacks %q:\n%s", c.name, w, got)
			}
		}
	}
	// several findings: in Redis's order, each followed by a blank line
	m := base
	m.PeakAllocated, m.Scripts = 100<<20, 2000
	got := memory.DoctorReport(&m)
	if i, j := strings.Index(got, "Peak memory"), strings.Index(got, "Many scripts"); i < 0 || j < i {
		t.Errorf("order: %s", got)
	}
	if !strings.HasSuffix(got, "memory.\n\nI'm here to keep you safe, Sam. I want to help you.\n") {
		t.Errorf("ending: %q", got[len(got)-80:])
	}
}

// The empty-instance text is Redis's, byte for byte (recorded from
// redis-server 7.0.15).
func TestDoctorEmptyText(t *testing.T) {
	want := "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n"
	if got := memory.DoctorReport(&server.MemOverhead{TotalAllocated: 1 << 20}); got != want {
		t.Errorf("got %q", got)
	}
}
