package blocking

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/moonkv/moonkv"
)

// TestNothingLostOrDuplicated runs producers pushing unique values to a few
// keys while consumers pop them with BLPOP/BRPOP/BLMPOP/BLMOVE (short
// timeouts, several keys): every value must come out exactly once. (A
// client that hangs up after being served loses its value, in Redis too, so
// hang-ups are tested apart, in "disconnect loses nothing".)
func TestNothingLostOrDuplicated(t *testing.T) {
	srv, err := moonkv.Start(moonkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	addr := srv.Addr()
	keys := []string{"a", "b", "c"}
	const producers, perProducer, consumers = 4, 300, 6
	total := producers * perProducer

	var mu sync.Mutex
	got := map[string]int{}
	record := func(vals ...string) {
		mu.Lock()
		for _, v := range vals {
			if !strings.HasPrefix(v, "p") {
				t.Errorf("unexpected value %q in %q", v, vals)
			}
			got[v]++
		}
		mu.Unlock()
	}
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, c := range got {
			n += c
		}
		return n
	}

	var wg sync.WaitGroup
	for p := 0; p < producers; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			c := dial(t, addr)
			rng := rand.New(rand.NewPCG(uint64(p), 1))
			for i := 0; i < perProducer; i++ {
				cmd := []string{"RPUSH", "LPUSH"}[rng.IntN(2)]
				c.do(cmd, keys[rng.IntN(len(keys))], fmt.Sprintf("p%d-%d", p, i))
				if rng.IntN(20) == 0 {
					time.Sleep(time.Millisecond)
				}
			}
		}(p)
	}
	done := make(chan struct{})
	for w := 0; w < consumers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 2))
			c := dial(t, addr)
			for {
				select {
				case <-done:
					return
				default:
				}
				k1, k2 := keys[rng.IntN(3)], keys[rng.IntN(3)]
				switch rng.IntN(5) {
				case 0:
					r := c.do("BLPOP", k1, k2, "0.05")
					if r != "*-1\r\n" && last(r) == "" {
						t.Errorf("BLPOP %s %s: %q", k1, k2, r)
					}
					if r != "*-1\r\n" {
						record(last(r))
					}
				case 1:
					r := c.do("BRPOP", k1, "0.05")
					if r != "*-1\r\n" && last(r) == "" {
						t.Errorf("BRPOP: %q", r)
					}
					if r != "*-1\r\n" {
						record(last(r))
					}
				case 2:
					r := c.do("BLMPOP", "0.05", "2", k1, k2, "LEFT", "COUNT", "3")
					if r != "*-1\r\n" && len(fields(r)) < 2 {
						t.Errorf("BLMPOP: %q", r)
					}
					if r != "*-1\r\n" {
						record(fields(r)[1:]...)
					}
				case 3:
					// move into a private list, then pop it from there
					own := fmt.Sprintf("own%d", w)
					if r := c.do("BLMOVE", k1, own, "RIGHT", "LEFT", "0.05"); r != "*-1\r\n" {
						r2 := c.do("LPOP", own)
						if last(r2) == "" {
							t.Errorf("BLMOVE gave %q then LPOP %q", r, r2)
						}
						record(last(r2))
					}
				case 4:
					r := c.do("LPOP", k1, "2")
					if r != "*-1\r\n" && len(fields(r)) == 0 {
						t.Errorf("LPOP: %q", r)
					}
					if r != "*-1\r\n" {
						record(fields(r)...)
					}
				}
			}
		}(w)
	}
	deadline := time.Now().Add(30 * time.Second)
	for count() < total && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	close(done)
	wg.Wait()
	if n := count(); n != total {
		t.Fatalf("consumed %d of %d values", n, total)
	}
	for v, n := range got {
		if n != 1 {
			t.Fatalf("%s consumed %d times", v, n)
		}
	}
}

// fields returns the bulk strings of a (possibly nested) array reply.
func fields(r string) []string {
	var out []string
	lines := strings.Split(r, "\r\n")
	for i := 0; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "$") && lines[i] != "$-1" && i+1 < len(lines) {
			out = append(out, lines[i+1])
			i++
		}
	}
	return out
}

// last is the last bulk string of a reply: the value of a BLPOP/BRPOP
// reply ([key, value]) or of a plain bulk reply.
func last(r string) string {
	f := fields(r)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}
