package list

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// model is the obvious list the quicklist must behave like.
type model [][]byte

func check(t *testing.T, l *List, m model, step string) {
	t.Helper()
	if l.Len() != len(m) {
		t.Fatalf("%s: len %d, model %d", step, l.Len(), len(m))
	}
	got := l.Values()
	for i := range m {
		if !bytes.Equal(got[i], m[i]) {
			t.Fatalf("%s: element %d = %q, model %q", step, i, got[i], m[i])
		}
	}
	// the links agree both ways and no node is empty
	n, cnt, nodes := l.head, 0, 0
	var prev *node
	for ; n != nil; n = n.next {
		if n.prev != prev || n.len() == 0 {
			t.Fatalf("%s: broken node chain", step)
		}
		cnt += n.len()
		nodes++
		prev = n
	}
	if prev != l.tail || cnt != l.count || nodes != l.nodes {
		t.Fatalf("%s: tail/count/nodes mismatch", step)
	}
	// reverse iteration sees the same elements
	it := l.Iter(l.Len()-1, true)
	for i := len(m) - 1; i >= 0; i-- {
		v, ok := it.Next()
		if !ok || !bytes.Equal(v, m[i]) {
			t.Fatalf("%s: reverse iteration at %d", step, i)
		}
	}
}

func randVal(r *rand.Rand) []byte {
	n := r.IntN(12)
	if r.IntN(20) == 0 {
		n = r.IntN(3000)
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a' + byte(r.IntN(3))
	}
	return b
}

func TestAgainstModel(t *testing.T) {
	for _, fill := range []int{-2, -1, 1, 2, 5, 128} {
		r := rand.New(rand.NewPCG(uint64(fill+10), 7))
		l := New(fill)
		var m model
		for step := 0; step < 20000; step++ {
			op := r.IntN(11)
			desc := fmt.Sprintf("fill %d step %d op %d", fill, step, op)
			switch op {
			case 0, 1:
				v := randVal(r)
				l.PushFront(v)
				m = append(model{v}, m...)
			case 2, 3:
				v := randVal(r)
				l.PushBack(v)
				m = append(m, v)
			case 4:
				var v []byte
				ok := l.Len() > 0
				if step%2 == 0 {
					v, ok = l.PopFront()
				} else if ok {
					v = append(v, l.Front()...)
					l.DropFront()
				}
				if ok != (len(m) > 0) || (ok && !bytes.Equal(v, m[0])) {
					t.Fatalf("%s: PopFront", desc)
				}
				if ok {
					m = m[1:]
				}
			case 5:
				var v []byte
				ok := l.Len() > 0
				if step%2 == 0 {
					v, ok = l.PopBack()
				} else if ok {
					v = append(v, l.Back()...)
					l.DropBack()
				}
				if ok != (len(m) > 0) || (ok && !bytes.Equal(v, m[len(m)-1])) {
					t.Fatalf("%s: PopBack", desc)
				}
				if ok {
					m = m[:len(m)-1]
				}
			case 6:
				if len(m) > 0 {
					i := r.IntN(len(m))
					v := randVal(r)
					l.Set(i-len(m)*r.IntN(2), v)
					m[i] = v
				}
			case 7:
				i := r.IntN(len(m) + 1)
				v := randVal(r)
				l.InsertAt(i, v)
				m = append(m[:i], append(model{v}, m[i:]...)...)
			case 8:
				v := randVal(r)
				cnt := r.IntN(5) - 2
				got := l.RemoveValue(v, cnt)
				want := 0
				var nm model
				if cnt >= 0 {
					for _, x := range m {
						if bytes.Equal(x, v) && (cnt == 0 || want < cnt) {
							want++
							continue
						}
						nm = append(nm, x)
					}
				} else {
					keep := make([]bool, len(m))
					for i := len(m) - 1; i >= 0; i-- {
						if bytes.Equal(m[i], v) && want < -cnt {
							want++
							continue
						}
						keep[i] = true
					}
					for i, x := range m {
						if keep[i] {
							nm = append(nm, x)
						}
					}
				}
				if got != want {
					t.Fatalf("%s: RemoveValue %d want %d", desc, got, want)
				}
				m = nm
			case 9:
				if len(m) > 0 && r.IntN(4) == 0 {
					s := r.IntN(len(m))
					c := r.IntN(len(m) - s + 2)
					l.DeleteRange(s, c)
					e := min(s+c, len(m))
					m = append(m[:s:s], m[e:]...)
				}
			case 10:
				if len(m) > 0 {
					i := r.IntN(len(m))
					v, ok := l.Index(i - len(m)*r.IntN(2))
					if !ok || !bytes.Equal(v, m[i]) {
						t.Fatalf("%s: Index", desc)
					}
					if f := l.Find(m[i]); f < 0 || f > i || !bytes.Equal(m[f], m[i]) {
						t.Fatalf("%s: Find", desc)
					}
				}
			}
			if step%97 == 0 || len(m) < 5 {
				check(t, l, m, desc)
			}
		}
		check(t, l, m, "end")
		c := l.Copy().(*List)
		check(t, c, m, "copy")
	}
}

func TestNodeSizing(t *testing.T) {
	l := New(-2)
	for i := 0; i < 10000; i++ {
		l.PushBack([]byte("0123456789"))
	}
	if l.Nodes() < 10 || l.Nodes() > 30 {
		t.Fatalf("8KB nodes of 10-byte elements: %d nodes", l.Nodes())
	}
	l = New(4)
	for i := 0; i < 100; i++ {
		l.PushFront([]byte("x"))
	}
	if l.Nodes() != 25 {
		t.Fatalf("fill 4: %d nodes", l.Nodes())
	}
	if _, ok := l.Index(100); ok {
		t.Fatal("index past the end")
	}
	if _, ok := l.Index(-101); ok {
		t.Fatal("negative index past the head")
	}
}

func BenchmarkPushPopFront(b *testing.B) {
	l := New(-2)
	v := []byte("some-value-16byt")
	for i := 0; i < 1000; i++ {
		l.PushFront(v)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.PushFront(v)
		l.PopFront()
	}
}

func BenchmarkPushBack(b *testing.B) {
	l := New(-2)
	v := []byte("some-value-16byt")
	for i := 0; i < b.N; i++ {
		l.PushBack(v)
	}
}

func BenchmarkIndexMiddle(b *testing.B) {
	l := New(-2)
	for i := 0; i < 100000; i++ {
		l.PushBack([]byte("some-value-16byt"))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.Index(50000)
	}
}

// A queue (push at one end, pop at the other) and a stack at the front
// must not let dead space pile up.
func TestQueueMemoryStaysBounded(t *testing.T) {
	for _, fill := range []int{-2, 128} {
		l := New(fill)
		v := []byte("0123456789abcdef")
		for i := 0; i < 1000; i++ {
			l.PushBack(v)
		}
		base := l.MemUsage()
		for i := 0; i < 200000; i++ {
			l.PushBack(v)
			if _, ok := l.PopFront(); !ok {
				t.Fatal("empty")
			}
			l.PushFront(v)
			l.PopFront()
		}
		if l.Len() != 1000 {
			t.Fatalf("len %d", l.Len())
		}
		if m := l.MemUsage(); m > 3*base {
			t.Fatalf("fill %d: memory grew from %d to %d", fill, base, m)
		}
	}
}

// A node filled by pushes at either end never reserves more than it may
// hold: its buffers stay within the fill's byte limit, and small elements
// cost under 9 bytes each (3 of data, a 4-byte offset, the slack).
func TestPushCapacity(t *testing.T) {
	for _, end := range []struct {
		name string
		push func(l *List, v []byte)
	}{{"front", (*List).PushFront}, {"back", (*List).PushBack}} {
		t.Run(end.name, func(t *testing.T) {
			l := New(-2)
			for i := 0; i < 20000; i++ {
				end.push(l, []byte("xxx"))
			}
			total := 0
			for n := l.head; n != nil; n = n.next {
				if cap(n.buf) > byteLimit(-2) || cap(n.off) > byteLimit(-2)/2 {
					t.Fatalf("node of %d elements reserves %d bytes and %d offsets", n.len(), cap(n.buf), cap(n.off))
				}
				total += cap(n.buf) + 4*cap(n.off)
			}
			if per := float64(total) / 20000; per >= 9 {
				t.Fatalf("%.1f bytes per 3-byte element", per)
			}
		})
	}
}
