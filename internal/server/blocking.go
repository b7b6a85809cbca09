package server

import (
	"errors"
	"math"
	"os"
	"strings"
	"time"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/resp"
)

// Blocking commands (BLPOP, BLMOVE, BZPOPMIN, ...).
//
// A blocking command's handler first tries to do its work. When it cannot
// (every key empty), it calls Ctx.Block, which parks the client on its keys:
//
//   - Block registers the client in a FIFO queue per (database, key), then
//     releases the execution lock, sends the client's pending replies and
//     waits — without the lock — for a wake-up, its timeout, or the
//     connection to close. While it waits the connection is still read
//     (resp.Reader.ReadMore), so a disconnect is noticed and pipelined
//     commands are queued, not run.
//   - Any write to a key with waiters (the keyspace's mutation hook) marks
//     the key ready. When the execution unit that wrote it ends (endUnit),
//     the server re-runs each waiter's command in FIFO order, under the
//     lock, as an execution unit of its own, telling the handler which key
//     became ready (Ctx.ReadyKey). The handler serves from that key or calls
//     Block again, which then just keeps the client in its place in line.
//     Served replies go to a buffer of the waiter's own; its goroutine
//     takes the lock back, appends them to its output and returns from
//     Block, and the handler returns as if it had replied itself.
//   - A timeout, CLIENT UNBLOCK or a disconnect removes the client from the
//     queues under the lock.
//
// In a script or a transaction (or without a connection) Block never
// parks: it replies the timeout reply at once, as Redis does.
//
// Lock order: the execution lock, then clientsMu (UnblockClient looks the
// client up). The waiting goroutine holds nothing.

// TimeoutReply is what a blocking command answers when it may not block
// (in MULTI or a script). A wait that times out, or is ended by CLIENT
// UNBLOCK TIMEOUT, always answers the null array, as Redis 7.0 does for
// lists and sorted sets.
type TimeoutReply int

const (
	// NullArrayReply is "*-1" in RESP2 (BLPOP, BZPOPMIN, BLMPOP, ...).
	NullArrayReply TimeoutReply = iota
	// NullReply is "$-1" in RESP2 (BLMOVE, BRPOPLPUSH).
	NullReply
)

var errUnblocked = errors.New("UNBLOCKED client unblocked via CLIENT UNBLOCK")

type blockKey struct {
	db  int
	key string
}

// blocking is the server's table of blocked clients.
type blocking struct {
	waiters  map[blockKey][]*Client
	clients  map[*Client]*blockState
	ready    []blockKey
	readySet map[blockKey]struct{}
	hooked   bool
	serving  bool

	// the command being re-run for a ready key, and what it decided
	cur          *Ctx
	curKey       []byte
	stillBlocked bool
}

// blockState is one parked command.
type blockState struct {
	keys []blockKey
	db   int
	spec *Spec
	args [][]byte
	out  resp.Writer // replies written for the client while it waits
	wake chan struct{}
	done bool
	// durableAt is the AOF offset the served write reaches (the client
	// takes it over when it wakes).
	durableAt int64
}

// ReadyKey is, when a parked command is being re-run because a key became
// ready, that key; nil on the command's first run.
func (c *Ctx) ReadyKey() []byte {
	if c.Srv.blk.cur == c {
		return c.Srv.blk.curKey
	}
	return nil
}

// CanBlock reports whether Block would park the client (false inside a
// script or MULTI, where blocking commands answer their timeout reply at
// once).
func (c *Ctx) CanBlock() bool {
	return !c.InScript && !c.InMulti && c.Client != nil && c.R == &c.Client.out
}

// ParseTimeout parses a blocking command's timeout in seconds (a double)
// as Redis does, returning it in milliseconds (0: wait forever).
func ParseTimeout(b []byte) (int64, error) {
	f, ok := ParseFloat(b)
	if !ok {
		// strtold also reads hex without a binary exponent
		if h := strings.TrimPrefix(string(b), "-"); len(h) > 2 && (h[:2] == "0x" || h[:2] == "0X") && !strings.ContainsAny(h, "pP") {
			f, ok = ParseFloat(append(append([]byte(nil), b...), 'p', '0'))
		}
		if !ok {
			return 0, rerr.TimeoutNotFloat
		}
	}
	if f == 0 && strings.ContainsAny(strings.SplitN(strings.ToLower(string(b)), "e", 2)[0], "123456789") {
		// a long double holds what underflows a double: a tiny timeout
		f = 1e-300
	}
	// Redis computes ceill(seconds*1000) as a long long; a value out of
	// that range becomes LLONG_MIN on the platforms it runs on, and so
	// "negative".
	ms := math.Ceil(f * 1000)
	if ms < 0 || ms >= 9.223372036854775807e18 || math.IsNaN(ms) {
		return 0, rerr.TimeoutNegative
	}
	return int64(ms), nil
}

// Block parks the client until one of keys (in c.DB) becomes ready and the
// re-run handler serves it, until timeoutMs passes (0: forever), or until
// the client is unblocked or disconnects. It returns after the reply has
// been written to c.R. The handler must not reply after Block returns.
// Where the client may not block, Block answers reply at once.
//
// Called while the command is being re-run for a ready key, Block keeps the
// client waiting in its place and returns at once.
func (c *Ctx) Block(keys [][]byte, timeoutMs int64, reply TimeoutReply) {
	c.NoPropagate()
	if c.Srv.blk.cur == c {
		c.Srv.blk.stillBlocked = true
		return
	}
	if !c.CanBlock() {
		writeTimeout(c.R, reply)
		return
	}
	s := c.Srv
	s.blk.init(s)
	bs := &blockState{db: c.DB.ID, spec: c.Spec, wake: make(chan struct{})}
	bs.out.Proto3 = c.Client.out.Proto3
	// the arguments point into the read buffer; the re-run needs its own
	bs.args = make([][]byte, len(c.Args))
	for i, a := range c.Args {
		bs.args[i] = append([]byte(nil), a...)
	}
	cl := c.Client
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[string(k)] {
			continue
		}
		seen[string(k)] = true
		bk := blockKey{c.DB.ID, string(k)}
		bs.keys = append(bs.keys, bk)
		s.blk.waiters[bk] = append(s.blk.waiters[bk], cl)
	}
	s.blk.clients[cl] = bs

	s.unlock()
	// replies already queued (pipelined before this command) go out now,
	// once their writes are durable
	gone := !cl.waitDurable() || !cl.flush()
	if !gone {
		gone = cl.waitUnblocked(bs, timeoutMs)
	}
	s.sem <- struct{}{}
	s.KS.Tick()
	s.unitEffects = s.unitEffects[:0]
	if !bs.done {
		// timed out or disconnected
		s.blk.remove(cl, bs)
		if !gone {
			c.R.NullArray()
		}
		return
	}
	cl.out.Buf = append(cl.out.Buf, bs.out.Buf...)
	if bs.durableAt > cl.durableAt {
		cl.durableAt = bs.durableAt
	}
}

// waitUnblocked waits, without the lock, for the client to be served or
// unblocked, for the timeout, or for the connection to close (reported by
// returning true).
func (cl *Client) waitUnblocked(bs *blockState, timeoutMs int64) (gone bool) {
	var timer <-chan time.Time
	if timeoutMs > 0 {
		t := time.NewTimer(time.Duration(timeoutMs) * time.Millisecond)
		defer t.Stop()
		timer = t.C
	}
	readDone := make(chan error, 1)
	reading := false
	read := func() {
		if cl.rd.Buffered() > 1<<20 || cl.closeAfterReply {
			return // enough queued; stop reading until served
		}
		reading = true
		go func() { readDone <- cl.rd.ReadMore() }()
	}
	read()
	defer func() {
		if reading {
			cl.conn.SetReadDeadline(time.Now())
			<-readDone
			cl.conn.SetReadDeadline(time.Time{})
		}
	}()
	for {
		select {
		case <-bs.wake:
			return false
		case <-timer:
			return false
		case <-cl.srv.ctx.Done():
			return true // the server is closing
		case err := <-readDone:
			reading = false
			if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
				return true
			}
			read()
		}
	}
}

func writeTimeout(r resp.Replier, reply TimeoutReply) {
	if reply == NullReply {
		r.Null()
	} else {
		r.NullArray()
	}
}

func (b *blocking) init(s *Server) {
	if b.hooked {
		return
	}
	b.hooked = true
	if s.Hooks.BlockedClients == nil {
		s.Hooks.BlockedClients = s.BlockedClients // INFO blocked_clients
	}
	b.waiters = map[blockKey][]*Client{}
	b.clients = map[*Client]*blockState{}
	b.readySet = map[blockKey]struct{}{}
	prev := s.KS.OnModified
	s.KS.OnModified = func(db *keyspace.DB, key []byte) {
		if prev != nil {
			prev(db, key)
		}
		s.signalReady(db.ID, key)
	}
}

// signalReady marks a key as ready when clients wait on it; the mutation
// hook calls it for every write, so pushes, RENAME, MOVE, SORT STORE and
// the rest all wake waiters.
func (s *Server) signalReady(db int, key []byte) {
	b := &s.blk
	if len(b.waiters) == 0 {
		return
	}
	bk := blockKey{db, string(key)}
	if _, ok := b.waiters[bk]; !ok {
		return
	}
	if _, ok := b.readySet[bk]; ok {
		return
	}
	b.readySet[bk] = struct{}{}
	b.ready = append(b.ready, bk)
}

// remove takes a client out of every queue.
func (b *blocking) remove(cl *Client, bs *blockState) {
	if b.clients[cl] != bs {
		return
	}
	delete(b.clients, cl)
	for _, bk := range bs.keys {
		q := b.waiters[bk]
		for i, x := range q {
			if x == cl {
				q = append(q[:i:i], q[i+1:]...)
				break
			}
		}
		if len(q) == 0 {
			delete(b.waiters, bk)
		} else {
			b.waiters[bk] = q
		}
	}
}

// release ends a client's wait: the caller has written its reply in
// bs.out.
func (b *blocking) release(cl *Client, bs *blockState) {
	b.remove(cl, bs)
	bs.done = true
	close(bs.wake)
}

// serveBlocked re-runs, in FIFO order, the commands parked on keys that
// became ready. It runs at the end of every execution unit, under the
// lock; what it serves may make more keys ready (BLMOVE pushes), which are
// served in the same pass.
func (s *Server) serveBlocked() {
	b := &s.blk
	if b.serving || len(b.ready) == 0 {
		return
	}
	b.serving = true
	defer func() { b.serving = false }()
	for len(b.ready) > 0 {
		bk := b.ready[0]
		b.ready = b.ready[1:]
		delete(b.readySet, bk)
		queue := append([]*Client(nil), b.waiters[bk]...)
		for _, cl := range queue {
			bs := b.clients[cl]
			if bs == nil || bs.done {
				continue
			}
			s.beginUnit()
			ctx := &Ctx{Srv: s, Client: cl, KS: s.KS, DB: s.KS.DBs[bs.db], R: &bs.out, Args: bs.args, Spec: bs.spec}
			b.cur, b.curKey, b.stillBlocked = ctx, []byte(bk.key), false
			s.call(ctx)
			still := b.stillBlocked
			b.cur, b.curKey = nil, nil
			s.endUnit()
			// the served reply waits for the served write to be durable;
			// unitOffset stays set for the unit that woke us, whose
			// client then waits for this later offset too
			if s.pers.unitOffset != 0 {
				bs.durableAt = s.pers.unitOffset
			}
			if !still {
				b.release(cl, bs)
			}
		}
	}
	b.ready = nil
}

// UnblockClient ends the wait of a blocked client (CLIENT UNBLOCK): it
// answers the timeout reply, or the UNBLOCKED error when withError. It
// reports whether the client was blocked. The caller holds the lock.
func (s *Server) UnblockClient(id int64, withError bool) bool {
	s.clientsMu.Lock()
	cl := s.clients[id]
	s.clientsMu.Unlock()
	if cl == nil || s.blk.clients == nil {
		return false
	}
	bs := s.blk.clients[cl]
	if bs == nil || bs.done {
		return false
	}
	if withError {
		s.countError(errUnblocked.Error())
		bs.out.Error(errUnblocked.Error())
	} else {
		bs.out.NullArray()
	}
	s.blk.release(cl, bs)
	return true
}

// Blocked reports whether the client waits in a blocking command (CLIENT
// LIST's "b" flag). The caller holds the lock.
func (c *Client) Blocked() bool {
	return c.srv.blk.clients != nil && c.srv.blk.clients[c] != nil
}

// BlockedClients is the number of clients waiting in blocking commands
// (INFO blocked_clients). The caller holds the lock.
func (s *Server) BlockedClients() int { return len(s.blk.clients) }

// RegisterClientUnblock adds CLIENT UNBLOCK to the CLIENT container when
// that container is registered (the connection family owns it).
func RegisterClientUnblock(r *Registry) {
	p := r.cmds["client"]
	if p == nil || p.Subs == nil || p.Subs["unblock"] != nil {
		return
	}
	sub := &Spec{Name: "client|unblock", Arity: -3, Flags: Admin | NoScript | Loading | Stale, Categories: CatConnection,
		Group: p.Group, Since: "5.0.0", Parent: p,
		Summary:    "Unblocks a client blocked by a blocking command from a different connection.",
		Complexity: "O(log N) where N is the number of client connections",
		Args: []ArgDoc{{Name: "client-id", Type: "integer"},
			{Name: "unblock-type", Type: "oneof", Optional: true, Sub: []ArgDoc{
				{Name: "timeout", Type: "pure-token", Token: "TIMEOUT"}, {Name: "error", Type: "pure-token", Token: "ERROR"}}}},
		Handler: cmdClientUnblock}
	derive(sub)
	p.Subs["unblock"] = sub
}

func cmdClientUnblock(c *Ctx) {
	if len(c.Args) > 4 {
		c.Err(rerr.UnblockArgs)
		return
	}
	withErr := false
	if len(c.Args) == 4 {
		switch {
		case Is(c.Args[3], "timeout"):
		case Is(c.Args[3], "error"):
			withErr = true
		default:
			c.Err(rerr.UnblockReason)
			return
		}
	}
	id, ok := c.Int(c.Args[2])
	if !ok {
		return
	}
	if c.Srv.UnblockClient(id, withErr) {
		c.R.Int(1)
	} else {
		c.R.Int(0)
	}
}
