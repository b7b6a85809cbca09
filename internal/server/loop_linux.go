//go:build linux

package server

import (
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/moonkv/moonkv/internal/resp"
)

// The event loop serves clients the way Redis's ae loop does: one
// goroutine waits on epoll, reads every ready connection, runs the
// commands found in one hold of the execution lock, makes the AOF durable
// once for all of them, then writes the replies. A goroutine per
// connection pays, per request, a park in the netpoller, a wake-up through
// the scheduler, a read that finds nothing more and a lock handover; at
// redis-benchmark's pipeline 1 that was a quarter of the server's CPU
// (BENCHMARKS.md, "the network layer").
//
// Whatever would stall the loop leaves it: a client about to run a
// blocking command (BLPOP and friends, outside MULTI) is handed to a
// goroutine of its own and stays there, served by Client.serve as before.
// A script that the loop runs past busy-reply-threshold cannot answer
// other clients itself, so the busy timer starts a pump: a goroutine that
// serves the loop's other clients in busy mode (-BUSY, SCRIPT KILL...)
// until the script ends; the loop waits for it to stop before going on.
//
// Loop state (conns, each loop client's buffers, interest and output
// offset) belongs to the loop goroutine, or to the pump while the loop is
// stopped inside a script. Other goroutines talk to the loop through
// inbox/kills under mu, and wake it through an eventfd.

const (
	loopSupported = true
	loopEvents    = 256
	rawWaitMs     = 10
)

type evloop struct {
	s    *Server
	ep   int // the epoll instance
	wake int // an eventfd: new clients, kills, stop

	mu       sync.Mutex
	inbox    []*Client // accepted, to register
	kills    []*Client // CLIENT KILL, timeouts, Close
	closed   bool      // the descriptors are closed: nothing more to poke
	stopping atomic.Bool

	conns  map[int]*Client // by fd
	events []unix.EpollEvent
	work   []*Client
	next   []*Client // clients with commands left over for the next turn
	outs   []*Client

	// raw is set when poll may wait without the scheduler (see poll);
	// idle when the last such wait found nothing.
	raw, idle bool
	// spin backs off after spins that found nothing (see spin): skip is
	// how many blocking waits go without one, backoff what the next
	// failure sets it to.
	spinSkip, spinBackoff int

	// mayBlock marks the first bytes of blocking commands' names, so most
	// commands are not looked up twice to find out.
	mayBlock [256]bool

	// holding is true while the loop goroutine holds the execution lock,
	// read by SetBusy (from the busy timer) to know who runs the script.
	holding atomic.Bool
	// cur is the client whose command the loop is running.
	cur *Client

	pumpMu   sync.Mutex
	pumping  bool
	pumpStop atomic.Bool
	pumpDone chan struct{}
}

func (s *Server) startLoop() error {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return err
	}
	wake, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(ep)
		return err
	}
	l := &evloop{s: s, ep: ep, wake: wake, conns: map[int]*Client{}, events: make([]unix.EpollEvent, loopEvents)}
	if err := unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, wake, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(wake)}); err != nil {
		unix.Close(ep)
		unix.Close(wake)
		return err
	}
	for _, sp := range s.Reg.All() {
		if sp.Is(Blocking) {
			l.mayBlock[sp.Name[0]|0x20] = true
			l.mayBlock[sp.Name[0]&^0x20] = true
		}
	}
	l.raw = s.Cfg.OwnProcess && runtime.GOMAXPROCS(0) > 1
	s.loopSpin.Store(int64(s.Cfg.LoopSpin))
	s.loop = l
	s.wg.Add(1)
	go l.run()
	return nil
}

// adopt moves an accepted connection into the loop: its descriptor is
// duplicated out of Go's poller, which then lets go of the original.
func (l *evloop) adopt(c *Client, conn net.Conn) bool {
	sc, ok := conn.(interface {
		SyscallConn() (syscall.RawConn, error)
	})
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	fd := -1
	raw.Control(func(f uintptr) {
		if nfd, err := unix.FcntlInt(f, unix.F_DUPFD_CLOEXEC, 0); err == nil {
			fd = nfd
		}
	})
	if fd < 0 {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		unix.Close(fd)
		return false
	}
	conn.Close()
	c.connMu.Lock()
	c.conn, c.fd, c.lp = nil, fd, l
	c.connMu.Unlock()
	c.rd.SetSource(fdReader(fd))
	l.inbox = append(l.inbox, c)
	if c.killed.Load() {
		// killed while moving in: Kill closed the original only
		l.kills = append(l.kills, c)
	}
	l.pokeLocked()
	return true
}

// poke wakes the loop (or the pump) from epoll_wait.
func (l *evloop) poke() {
	l.mu.Lock()
	l.pokeLocked()
	l.mu.Unlock()
}

// pokeLocked is poke with l.mu held: once the loop has closed its
// descriptors, the eventfd's number may belong to another file.
func (l *evloop) pokeLocked() {
	if !l.closed {
		one := [8]byte{1}
		unix.Write(l.wake, one[:])
	}
}

// requestKill asks the loop to close c.
func (l *evloop) requestKill(c *Client) {
	l.mu.Lock()
	l.kills = append(l.kills, c)
	l.pokeLocked()
	l.mu.Unlock()
}

// stop asks the loop to close every client and end.
func (l *evloop) stop() {
	l.stopping.Store(true)
	l.poke()
}

// takeMail registers new clients and closes killed ones. locked says
// whether the caller holds the execution lock (see drop); keep is the
// client whose script the pump runs beside, closed later by the loop.
func (l *evloop) takeMail(locked bool, keep *Client) {
	var buf [8]byte
	unix.Read(l.wake, buf[:])
	l.mu.Lock()
	in, kills := l.inbox, l.kills
	l.inbox, l.kills = nil, nil
	if keep != nil {
		for i, c := range kills {
			if c == keep {
				l.kills = append(l.kills, c)
				kills = append(kills[:i:i], kills[i+1:]...)
				break
			}
		}
	}
	l.mu.Unlock()
	for _, c := range in {
		c.interest, c.outOff, c.queued, c.readable, c.gone = unix.EPOLLIN, 0, false, false, false
		if err := unix.EpollCtl(l.ep, unix.EPOLL_CTL_ADD, c.fd, &unix.EpollEvent{Events: c.interest, Fd: int32(c.fd)}); err != nil {
			l.s.Log.Warn("event loop: adding a client", "err", err)
			l.conns[c.fd] = c
			l.drop(c, locked)
			continue
		}
		l.conns[c.fd] = c
	}
	for _, c := range kills {
		c.connMu.Lock()
		ours := c.lp == l
		c.connMu.Unlock()
		switch {
		case !ours:
			c.Kill() // handed to a goroutine since it was asked
		case c.gone:
		default:
			l.drop(c, locked)
		}
	}
}

func (l *evloop) run() {
	defer l.s.wg.Done()
	for {
		if l.stopping.Load() {
			l.closeAll()
			return
		}
		timeout := -1
		if len(l.next) > 0 {
			timeout = 0
		}
		n, err := l.poll(timeout)
		if err != nil && !errors.Is(err, unix.EINTR) {
			l.s.Log.Error("event loop: epoll_wait", "err", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		work := append(l.work[:0], l.next...)
		l.next = l.next[:0]
		for i := 0; i < n; i++ {
			ev := &l.events[i]
			fd := int(ev.Fd)
			if fd == l.wake {
				l.takeMail(false, nil)
				continue
			}
			c := l.conns[fd]
			if c == nil || c.gone {
				continue
			}
			if ev.Events&unix.EPOLLOUT != 0 {
				l.write(c, false)
			}
			if ev.Events&(unix.EPOLLIN|unix.EPOLLHUP|unix.EPOLLERR) != 0 && !c.gone {
				c.readable = true
				if !c.queued {
					c.queued = true
					work = append(work, c)
				}
			}
		}
		l.runClients(work)
		clear(work)
		l.work = work[:0]
	}
}

// poll waits for events. In a process that is a moonkv server
// (Config.OwnProcess) with more than one processor, it waits without
// telling the scheduler, for at most rawWaitMs: otherwise Go's monitor
// thread wakes every 20 us to take the loop's processor away during each
// blocking wait, and that thread runs on the core the clients need (4.5%
// less server CPU for SET at pipeline 1, BENCHMARKS.md). The loop then
// keeps one processor for itself; the bound keeps a stop-the-world (whose
// signal interrupts the wait anyway) from waiting long. Servers embedded
// in a program, many to a process in tests, and a process with one
// processor wait through the scheduler, so that other goroutines run.
//
// Only while busy: once such a wait has timed out with nothing to do, the
// next ones go through the scheduler again until events come back, so an
// idle server sleeps (a loop waking 100 times a second, and Go's monitor
// signalling it every 10 ms as a goroutine that never yields, cost 1.8% of
// a core at idle).
func (l *evloop) poll(timeout int) (int, error) {
	if !l.raw || l.idle {
		n, err := unix.EpollWait(l.ep, l.events, timeout)
		if n > 0 {
			l.idle = false
		}
		return n, err
	}
	if timeout < 0 || timeout > rawWaitMs {
		timeout = rawWaitMs
	}
	if timeout != 0 {
		if n, err := l.spin(); n != 0 || err != nil {
			return n, err
		}
	}
	n, err := l.rawWait(timeout)
	l.idle = err == nil && n == 0 && timeout != 0
	return n, err
}

// rawWait is epoll_pwait without telling the scheduler.
func (l *evloop) rawWait(timeout int) (int, error) {
	n, _, e := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(l.ep), uintptr(unsafe.Pointer(&l.events[0])), uintptr(len(l.events)), uintptr(timeout), 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}

// spin looks for events without sleeping for up to loop-spin-us before
// the loop blocks. Why: on a busy server the next request usually comes
// within microseconds, and a loop that went to sleep must be woken by the
// client that sends it, a cost the client pays (the kernel's wake-up, an
// interrupt to this core) on every request. A loop that needs less CPU
// than Redis's per request sleeps more often than Redis's, and this made
// redis-benchmark spend 10-25% more CPU against moonkv than against Redis
// for the same requests, which was the whole gap where it is the
// bottleneck (BENCHMARKS.md). Only in raw mode, where the loop has a
// processor to itself. Spins that find nothing back off (1, 3, 7 ... 255
// blocking waits without one), so a server whose requests come further
// apart than the spin spends almost nothing on it.
func (l *evloop) spin() (int, error) {
	window := time.Duration(l.s.loopSpin.Load())
	if window <= 0 {
		return 0, nil
	}
	if l.spinSkip > 0 {
		l.spinSkip--
		return 0, nil
	}
	start := time.Now()
	for {
		n, err := l.rawWait(0)
		if err != nil || n > 0 {
			l.spinBackoff = 0
			return n, err
		}
		if time.Since(start) >= window {
			l.spinBackoff = min(2*l.spinBackoff+1, 255)
			l.spinSkip = l.spinBackoff
			return 0, nil
		}
	}
}

// runClients reads and runs the commands of the clients of one turn, then
// answers them.
func (l *evloop) runClients(work []*Client) {
	s := l.s
	locked, busy := false, false
	var durable int64
	outs := l.outs[:0]
	for _, c := range work {
		c.queued = false
		if c.gone {
			continue
		}
		if c.killed.Load() {
			l.drop(c, locked)
			continue
		}
		if c.outOff > 0 || c.interest&unix.EPOLLOUT != 0 {
			// replies still going out: the client is read again once
			// they have (write)
			continue
		}
		if c.readable {
			c.readable = false
			if !l.read(c, locked) {
				continue
			}
		}
		handed := false
		for n := 0; ; n++ {
			if n >= maxBatch || len(c.out.Buf) >= flushAt {
				c.queued = true
				l.next = append(l.next, c)
				break
			}
			args, ok := nextCommand(c)
			if !ok {
				break
			}
			if c.multi == nil && l.blockingCmd(args) {
				// answered from a goroutine from now on
				if locked {
					l.holding.Store(false)
					s.unlock()
					locked = false
				}
				l.handOff(c, args)
				handed = true
				break
			}
			if !locked && !busy {
				if s.lock() {
					locked = true
					l.holding.Store(true)
					s.tick()
				} else {
					busy = true
				}
			}
			l.cur = c
			s.runUnit(c, args, locked)
			l.cur = nil
			if c.closeAfterReply || c.killed.Load() {
				break
			}
		}
		if handed || c.gone {
			// (a handed-off client is its goroutine's now: not even
			// its fields are read here)
			continue
		}
		durable = max(durable, c.durableAt)
		if len(c.out.Buf) > 0 || c.closeAfterReply || c.killed.Load() {
			outs = append(outs, c)
		}
	}
	if locked {
		l.holding.Store(false)
		s.unlock()
	}
	// One durability wait for the whole turn, before any reply of it
	// leaves (appendfsync always: one fsync serves every client here).
	durableOK := durable == 0 || s.waitDurableOffset(durable, true)
	for _, c := range outs {
		if c.gone || c.lp != l {
			continue
		}
		if c.durableAt != 0 {
			c.durableAt = 0
			if !durableOK {
				l.drop(c, false)
				continue
			}
		}
		l.write(c, false)
	}
	clear(outs)
	l.outs = outs[:0]
}

// read takes what c's socket has. A client whose peer has gone, or whose
// socket failed, is dropped (false).
func (l *evloop) read(c *Client, locked bool) bool {
	n, err := c.rd.Fill()
	if n > 0 {
		l.s.Stats.NetInput.Add(int64(n))
		c.lastActive.Store(time.Now().UnixMilli())
	}
	if err != nil && !errors.Is(err, resp.ErrWouldBlock) {
		l.drop(c, locked)
		return false
	}
	return true
}

// nextCommand parses c's next buffered command. A protocol error is
// answered and closes the client once its replies are out.
func nextCommand(c *Client) ([][]byte, bool) {
	args, ok, err := c.rd.TryCommand()
	if err != nil {
		var pe *resp.ProtocolError
		if errors.As(err, &pe) {
			c.out.Error(pe.Error())
		}
		c.closeAfterReply = true
		return nil, false
	}
	return args, ok
}

// blockingCmd reports whether args names a command that may block the
// client (outside MULTI). The first byte is checked first, so most
// commands are not looked up twice.
func (l *evloop) blockingCmd(args [][]byte) bool {
	if len(args[0]) == 0 || !l.mayBlock[args[0][0]] {
		return false
	}
	sp := l.s.Reg.LookupArgs(args)
	return sp != nil && sp.Is(Blocking)
}

// write sends c's queued replies. What the socket does not take waits
// for EPOLLOUT; meanwhile the client is not read.
func (l *evloop) write(c *Client, locked bool) {
	for c.outOff < len(c.out.Buf) {
		n, err := rawWrite(c.fd, c.out.Buf[c.outOff:])
		if n > 0 {
			c.outOff += n
			l.s.Stats.NetOutput.Add(int64(n))
		}
		if err == unix.EAGAIN {
			l.setInterest(c, unix.EPOLLOUT)
			return
		}
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			l.drop(c, locked)
			return
		}
	}
	c.outOff = 0
	if cap(c.out.Buf) > maxKeepOut {
		c.out.Buf = nil
	} else {
		c.out.Reset()
	}
	if c.closeAfterReply || c.killed.Load() {
		l.drop(c, locked)
		return
	}
	if c.interest != unix.EPOLLIN {
		l.setInterest(c, unix.EPOLLIN)
		if c.rd.Buffered() > 0 && !c.queued {
			// commands that arrived while replies were going out
			c.queued = true
			l.next = append(l.next, c)
		}
	}
}

func (l *evloop) setInterest(c *Client, ev uint32) {
	if c.interest == ev {
		return
	}
	c.interest = ev
	if err := unix.EpollCtl(l.ep, unix.EPOLL_CTL_MOD, c.fd, &unix.EpollEvent{Events: ev, Fd: int32(c.fd)}); err != nil {
		l.s.Log.Warn("event loop: epoll_ctl", "err", err)
	}
}

// drop closes a loop client and forgets it, as Client.serve does when it
// ends. locked says whether this goroutine holds the execution lock.
func (l *evloop) drop(c *Client, locked bool) {
	if c.gone {
		return
	}
	c.gone = true
	delete(l.conns, c.fd)
	c.connMu.Lock()
	unix.Close(c.fd)
	c.fd = -1
	c.connMu.Unlock()
	s := l.s
	switch {
	case locked:
		c.unwatchAll()
	default:
		select {
		case s.sem <- struct{}{}:
			c.unwatchAll()
			s.unlock()
		default:
			s.lockThen(c.unwatchAll)
		}
	}
	s.removeClient(c)
}

// handOff gives c a goroutine of its own, starting with args (which point
// into c's read buffer, still intact).
func (l *evloop) handOff(c *Client, first [][]byte) {
	s := l.s
	delete(l.conns, c.fd)
	unix.EpollCtl(l.ep, unix.EPOLL_CTL_DEL, c.fd, nil)
	f := os.NewFile(uintptr(c.fd), "client")
	conn, err := net.FileConn(f) // a duplicate, in Go's poller
	f.Close()
	c.connMu.Lock()
	c.fd, c.lp, c.conn = -1, nil, conn
	c.connMu.Unlock()
	if err != nil {
		s.Log.Warn("event loop: handing a client to a goroutine", "err", err)
		c.gone = true
		s.lockThen(c.unwatchAll)
		s.removeClient(c)
		return
	}
	c.rd.SetSource(netReader{conn, &s.Stats.NetInput})
	c.first = first
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		c.serve()
	}()
}

func (l *evloop) closeAll() {
	l.takeMail(false, nil)
	for _, c := range l.conns {
		l.drop(c, false)
	}
	l.mu.Lock()
	l.closed = true
	in := l.inbox
	l.inbox = nil
	l.mu.Unlock()
	for _, c := range in {
		unix.Close(c.fd)
		l.s.removeClient(c)
	}
	unix.Close(l.ep)
	unix.Close(l.wake)
}

// fdReader reads a non-blocking socket without entering the scheduler: a
// read of a ready socket does not block.
type fdReader int

func (fd fdReader) Read(p []byte) (int, error) {
	for {
		n, _, e := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)))
		switch {
		case e == unix.EINTR:
			continue
		case e == unix.EAGAIN:
			return 0, resp.ErrWouldBlock
		case e != 0:
			return 0, e
		case n == 0:
			return 0, io.EOF
		}
		return int(n), nil
	}
}

func rawWrite(fd int, p []byte) (int, error) {
	n, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)))
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}
