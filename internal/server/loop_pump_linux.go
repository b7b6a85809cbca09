//go:build linux

package server

import "golang.org/x/sys/unix"

// The busy pump: while the loop goroutine is inside a script past
// busy-reply-threshold, a goroutine serves the loop's other clients in busy
// mode (see loop_linux.go for the loop itself).

// startPump is called by SetBusy(true): if the loop itself runs the
// script, a goroutine answers its other clients until the script ends.
func (l *evloop) startPump() {
	if !l.holding.Load() {
		return // the loop is not the runner: it answers -BUSY itself
	}
	l.pumpMu.Lock()
	defer l.pumpMu.Unlock()
	if l.pumping {
		return
	}
	l.pumping = true
	l.pumpStop.Store(false)
	l.pumpDone = make(chan struct{})
	go l.pump(l.cur)
}

// stopPump is called by SetBusy(false), on the goroutine that ran the
// script: when that is the loop, it waits for the pump to hand back.
func (l *evloop) stopPump() {
	l.pumpMu.Lock()
	if !l.pumping {
		l.pumpMu.Unlock()
		return
	}
	l.pumping = false
	done := l.pumpDone
	l.pumpMu.Unlock()
	l.pumpStop.Store(true)
	l.poke()
	<-done
}

// pump serves the loop's clients in busy mode while the loop goroutine is
// inside a script, leaving alone the client that runs it.
func (l *evloop) pump(cur *Client) {
	defer close(l.pumpDone)
	if cur != nil && !cur.gone {
		// its input waits for the script; it must not wake the pump
		old := cur.interest
		l.setInterest(cur, 0)
		defer l.setInterest(cur, old)
	}
	// Clients the loop served earlier in its turn have replies queued
	// that it would have sent at the turn's end; commands it read but did
	// not reach wait in their buffers. (Redis's processEventsWhileBlocked
	// also flushes pending replies.)
	for _, c := range l.conns {
		switch {
		case c == cur || c.gone:
		case c.rd.Buffered() > 0:
			l.pumpClient(c, false)
		case len(c.out.Buf) > c.outOff:
			l.pumpFlush(c)
		}
	}
	events := make([]unix.EpollEvent, 64)
	for !l.pumpStop.Load() {
		n, err := unix.EpollWait(l.ep, events, 100)
		if err != nil {
			continue
		}
		for i := 0; i < n; i++ {
			fd := int(events[i].Fd)
			if fd == l.wake {
				l.takeMail(false, cur)
				continue
			}
			c := l.conns[fd]
			if c == nil || c == cur || c.gone {
				continue
			}
			if events[i].Events&unix.EPOLLOUT != 0 {
				l.pumpFlush(c)
			}
			if events[i].Events&(unix.EPOLLIN|unix.EPOLLHUP|unix.EPOLLERR) != 0 && !c.gone {
				l.pumpClient(c, true)
			}
		}
	}
}

func (l *evloop) pumpClient(c *Client, read bool) {
	if c.interest&unix.EPOLLOUT != 0 {
		return
	}
	if read && !l.read(c, false) {
		return
	}
	for !c.closeAfterReply && !c.killed.Load() && len(c.out.Buf) < flushAt {
		args, ok := nextCommand(c)
		if !ok {
			break
		}
		l.s.runUnit(c, args, false)
	}
	l.pumpFlush(c)
}

// pumpFlush sends c's queued replies from the pump once the AOF holds
// their writes: the loop, stopped inside the script, cannot.
func (l *evloop) pumpFlush(c *Client) {
	if c.durableAt != 0 {
		off := c.durableAt
		c.durableAt = 0
		if !l.s.waitDurableOffset(off, true) {
			l.drop(c, false)
			return
		}
	}
	l.write(c, false)
}
