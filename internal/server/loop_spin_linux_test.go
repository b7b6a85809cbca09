package server

import (
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// spin looks for events for loop-spin-us before the loop sleeps, and backs
// off after spins that find nothing: 1, 3, 7 ... 255 blocking waits go
// without one, and a spin that finds an event starts over.
func TestLoopSpinBackoff(t *testing.T) {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(ep)
	efd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(efd)
	if err := unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, efd, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(efd)}); err != nil {
		t.Fatal(err)
	}
	s := &Server{}
	s.loopSpin.Store(int64(200 * time.Microsecond))
	l := &evloop{s: s, ep: ep, events: make([]unix.EpollEvent, 8)}

	// Nothing comes: each spin lasts the window, then the next ones
	// are skipped, more of them each time.
	for _, skip := range []int{1, 3, 7, 15} {
		t0 := time.Now()
		if n, err := l.spin(); n != 0 || err != nil {
			t.Fatalf("spin with nothing to find = %d, %v", n, err)
		}
		if d := time.Since(t0); d < 200*time.Microsecond {
			t.Fatalf("a spin that found nothing took %v, less than its window", d)
		}
		if l.spinSkip != skip {
			t.Fatalf("after a failed spin skip = %d, want %d", l.spinSkip, skip)
		}
		for i := 0; i < skip; i++ {
			if n, _ := l.spin(); n != 0 || l.spinSkip != skip-i-1 {
				t.Fatalf("skipped spin %d: n %d, skip left %d", i, n, l.spinSkip)
			}
		}
		if l.spinSkip != 0 {
			t.Fatalf("skip = %d after the skipped waits", l.spinSkip)
		}
	}
	for i := 0; i < 10; i++ { // the backoff stops growing at 255
		l.spinSkip = 0
		l.spin()
	}
	if l.spinSkip != 255 {
		t.Fatalf("backoff grew to %d, want at most 255", l.spinSkip)
	}

	// An event during the spin: found, and the backoff starts over.
	l.spinSkip = 0
	one := [8]byte{1}
	unix.Write(efd, one[:])
	if n, err := l.spin(); n != 1 || err != nil || l.events[0].Fd != int32(efd) {
		t.Fatalf("spin with an event ready = %d, %v", n, err)
	}
	if l.spinBackoff != 0 || l.spinSkip != 0 {
		t.Fatalf("after a spin that found work: backoff %d skip %d", l.spinBackoff, l.spinSkip)
	}

	// loop-spin-us 0: no spin at all, even with an event ready (the
	// blocking wait finds it).
	s.loopSpin.Store(0)
	if n, _ := l.spin(); n != 0 {
		t.Fatalf("loop-spin-us 0 still spun")
	}
}
