package server

import (
	"errors"
	"net"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/moonkv/moonkv/internal/resp"
)

// Client is one connection. Its goroutine reads and parses commands and
// writes replies; the fields commands change (selected database, name,
// protocol, transaction state) are only touched under the execution lock.
type Client struct {
	ID   int64
	srv  *Server
	conn net.Conn
	rd   *resp.Reader
	out  resp.Writer

	db     int
	authed bool

	Name, LibName, LibVer string
	Created               time.Time
	lastActive            atomic.Int64 // Unix ms of the last command
	LastCmd               string
	Addr, LocalAddr       string

	// durableAt is the AOF offset this client's writes reach; its
	// replies wait until the AOF has it (see waitDurable).
	durableAt int64

	// ctx is reused for each top-level command (see process).
	ctx Ctx
	// lookup remembers the last command resolved (lookup_cache.go).
	lookup lookupCache

	// replyMode is CLIENT REPLY's state (cmd_client.go).
	replyMode uint8

	multi      *multiState
	watched    []watchedKey
	watchDirty bool

	// closeAfterReply makes the connection close once pending replies
	// are written (QUIT, CLIENT KILL of oneself, protocol errors).
	closeAfterReply bool
	killed          atomic.Bool

	// Event-loop state (loop_linux.go); lp is nil for a client served by
	// its own goroutine. fd, lp and conn change together under connMu
	// (a handoff to a goroutine), which Kill takes to reach the socket.
	connMu   sync.Mutex
	fd       int
	lp       *evloop
	interest uint32 // the epoll events asked for
	outOff   int    // bytes of out.Buf already written
	queued   bool   // in the loop's work list
	readable bool   // epoll said so, not read yet
	gone     bool   // closed by the loop
	// first is the command a client handed from the loop to a goroutine
	// runs before reading more.
	first [][]byte
	// sinceBlock counts a goroutine client's commands since its last
	// blocking one (backToLoop).
	sinceBlock int
}

func (s *Server) newClient(conn net.Conn) *Client {
	c := &Client{
		ID:      s.nextID.Add(1),
		srv:     s,
		conn:    conn,
		rd:      resp.NewReader(netReader{conn, &s.Stats.NetInput}),
		Created: time.Now(),
		authed:  !s.requiresPass(),
		fd:      -1,
	}
	c.lastActive.Store(time.Now().UnixMilli())
	c.rd.Unauthenticated = !c.authed
	if mb := s.protoMaxBulkLen(); mb > 0 {
		c.rd.MaxBulk = mb
	}
	c.Addr = conn.RemoteAddr().String()
	c.LocalAddr = conn.LocalAddr().String()
	return c
}

// DB is the index of the client's selected database.
func (c *Client) DB() int { return c.db }

// SetDB selects a database (SELECT).
func (c *Client) SetDB(i int) { c.db = i }

// Proto is the client's protocol version, 2 or 3.
func (c *Client) Proto() int { return c.out.Proto() }

// SetProto switches the client to RESP2 or RESP3 (HELLO).
func (c *Client) SetProto(v int) { c.out.Proto3 = v == 3 }

// Authenticated reports whether the client passed AUTH (or needs none).
func (c *Client) Authenticated() bool { return c.authed }

// SetAuthenticated records a successful AUTH.
// The reader applies Redis's tighter pre-AUTH request limits until then.
func (c *Client) SetAuthenticated(ok bool) {
	c.authed = ok
	c.rd.Unauthenticated = !ok
}

// CloseAfterReply closes the connection once its pending replies are sent.
func (c *Client) CloseAfterReply() { c.closeAfterReply = true }

// Kill disconnects the client from another goroutine (CLIENT KILL).
func (c *Client) Kill() {
	c.killed.Store(true)
	c.connMu.Lock()
	lp, conn := c.lp, c.conn
	c.connMu.Unlock()
	if lp != nil {
		lp.requestKill(c)
	} else if conn != nil {
		conn.Close()
	}
}

// InMulti reports whether the client is inside MULTI.
func (c *Client) InMulti() bool { return c.multi != nil }

// IdleTime is the time since the client's last command.
func (c *Client) IdleTime() time.Duration {
	return time.Duration(time.Now().UnixMilli()-c.lastActive.Load()) * time.Millisecond
}

// Buffered reports the sizes of the client's query and output buffers.
func (c *Client) Buffered() (query, output int) { return c.rd.Buffered(), len(c.out.Buf) }

// Watching is the number of keys the client WATCHes.
func (c *Client) Watching() int { return len(c.watched) }

const (
	flushAt    = 64 * 1024 // flush (and let others run) once this much is queued
	maxBatch   = 512       // commands run in one hold of the execution lock
	maxKeepOut = 1 << 20   // output buffers larger than this are not kept
)

func (c *Client) serve() {
	s := c.srv
	moved := false // back in the event loop, which now owns the client
	defer func() {
		if moved {
			return
		}
		if s.lock() {
			c.unwatchAll()
			s.unlock()
		} else {
			// a busy script holds the lock; the watch table is cleaned
			// when the client is found gone
			s.lockThen(c.unwatchAll)
		}
		s.removeClient(c)
		c.conn.Close()
	}()
	for {
		args, err := c.first, error(nil)
		if args != nil {
			c.first = nil
		} else {
			args, err = c.rd.ReadCommand()
		}
		if err != nil {
			var pe *resp.ProtocolError
			if errors.As(err, &pe) {
				c.out.Error(pe.Error())
				c.flush()
			}
			return
		}
		c.lastActive.Store(time.Now().UnixMilli())
		locked, busy := false, false
		for n := 0; ; n++ {
			if !locked && !busy {
				if s.lock() {
					locked = true
					s.tick()
				} else {
					busy = true
				}
			}
			c.countBlocking(args)
			s.runUnit(c, args, locked)
			if c.closeAfterReply || c.killed.Load() {
				break
			}
			if len(c.out.Buf) >= flushAt || n >= maxBatch {
				if locked {
					s.unlock()
					locked = false
				}
				busy = false
				if !c.waitDurable() || !c.flush() {
					return
				}
				n = 0
			}
			var ok bool
			args, ok, err = c.rd.TryCommand()
			if err != nil || !ok {
				break
			}
		}
		if locked {
			s.unlock()
		}
		if err != nil {
			var pe *resp.ProtocolError
			if errors.As(err, &pe) {
				c.out.Error(pe.Error())
			}
			c.waitDurable()
			c.flush()
			return
		}
		if !c.waitDurable() || !c.flush() || c.closeAfterReply || c.killed.Load() {
			return
		}
		if c.backToLoop() {
			moved = true
			return
		}
	}
}

// InLoop reports whether the event loop serves c (rather than a goroutine
// of its own).
func (c *Client) InLoop() bool {
	c.connMu.Lock()
	defer c.connMu.Unlock()
	return c.lp != nil
}

// loopReturnAfter is how many commands a client handed to a goroutine for
// a blocking command runs without another before it goes back to the
// event loop: a pooled connection that once ran BLPOP returns, a queue
// worker that blocks on every other command stays.
const loopReturnAfter = 32

// countBlocking counts the commands since c's last blocking one.
func (c *Client) countBlocking(args [][]byte) {
	if lp := c.srv.loop; lp != nil {
		if c.multi == nil && lp.blockingCmd(args) {
			c.sinceBlock = 0
		} else {
			c.sinceBlock++
		}
	}
}

// backToLoop moves c into the event loop when it has run loopReturnAfter
// commands since it blocked, has nothing buffered and is in no MULTI.
// Called between batches, with its replies written.
func (c *Client) backToLoop() bool {
	s := c.srv
	if s.loop == nil || c.sinceBlock < loopReturnAfter || c.multi != nil || c.rd.Buffered() > 0 {
		return false
	}
	c.sinceBlock = 0
	return s.loop.adopt(c, c.conn)
}

// runUnit runs one command of c's as an execution unit: with the lock
// held (locked) or in busy mode. The durability offset of its effects is
// left in c.durableAt for the caller to wait on before replying.
func (s *Server) runUnit(c *Client, args [][]byte, locked bool) {
	if locked {
		s.tickIfStale()
		s.beginUnit()
	}
	mark := len(c.out.Buf)
	s.process(c, args, !locked)
	if c.replyMode != 0 {
		c.applyReplyMode(mark)
	}
	if locked {
		s.endUnit()
		if s.pers.unitOffset != 0 {
			c.durableAt, s.pers.unitOffset = s.pers.unitOffset, 0
		}
	}
}

// flush writes the queued replies. It never runs under the execution lock:
// a client that does not read must not stall anyone else.
func (c *Client) flush() bool {
	if len(c.out.Buf) == 0 {
		return true
	}
	n, err := c.conn.Write(c.out.Buf)
	c.srv.Stats.NetOutput.Add(int64(n))
	if cap(c.out.Buf) > maxKeepOut {
		c.out.Buf = nil
	} else {
		c.out.Reset()
	}
	return err == nil
}

// lockThen runs fn under the execution lock once it can be had, from a
// goroutine of its own.
func (s *Server) lockThen(fn func()) {
	go func() {
		if s.tryLockFor(s.ctx) {
			fn()
			s.unlock()
		}
	}()
}

// netReader counts what a goroutine-served client reads (INFO's
// total_net_input_bytes; the event loop counts its own reads).
type netReader struct {
	net.Conn
	n *atomic.Int64
}

func (r netReader) Read(p []byte) (int, error) {
	n, err := r.Conn.Read(p)
	r.n.Add(int64(n))
	return n, err
}

func sortClients(cs []*Client) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].ID < cs[j].ID })
}

func (s *Server) closeIdleClients() {
	timeout := s.idleTimeout()
	if timeout <= 0 {
		return
	}
	for _, c := range s.Clients() {
		if c.IdleTime() > timeout {
			c.Kill()
		}
	}
}
