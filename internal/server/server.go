package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/moonkv/moonkv/internal/keyspace"
)

// Server is one moonkv instance: its keyspace, its command table, its
// clients and its configuration. All mutable state of the process lives
// here; there are no package-level variables to share between instances,
// so tests can run many servers side by side.
type Server struct {
	Cfg Config
	Reg *Registry
	KS  *keyspace.Keyspace
	Log *slog.Logger

	// sem is the execution lock: one token, held by whoever runs an
	// execution unit. See doc.go for the concurrency rules.
	sem chan struct{}
	// busyCh is closed when a script has run past busy-reply-threshold;
	// clients waiting for the lock then stop waiting and answer -BUSY.
	busyCh atomic.Pointer[chan struct{}]

	// Scripts is the scripting engine, installed by the scripting family;
	// the server only needs to know whether a script is busy and how to
	// ask it to stop.
	Scripts ScriptHost

	clientsMu sync.Mutex
	clients   map[int64]*Client
	nextID    atomic.Int64

	listeners []net.Listener
	// loop is the event loop serving clients (loop_linux.go); nil when
	// each client has a goroutine of its own.
	loop *evloop
	// pingSpec is PING's spec: refused like a write while persistence
	// fails (DiskError), as Redis does.
	pingSpec *Spec
	// loopSpin is loop-spin-us in nanoseconds, read by the loop without
	// the execution lock (loop_linux.go, spin).
	loopSpin  atomic.Int64
	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
	done      chan struct{}

	watch watchTable
	// blk is the table of clients parked in blocking commands (blocking.go).
	blk blocking
	// effects of the running execution unit (see propagate).
	unitEffects [][][]byte
	// arenas for the unit's effects (effects.go)
	effBytes []byte
	effArgs  [][]byte
	effOut   []Effect
	// Propagator receives each execution unit's effects (the AOF); nil
	// when nothing listens.
	Propagator func(effects []Effect)

	// Hooks connect pub/sub and persistence to the connection and server
	// commands; adm is those commands' own state (cmd_*.go).
	Hooks ConnHooks
	adm   adminState

	Stats   Stats
	statsMu sync.Mutex // guards Stats.ErrorsByCode
	start   time.Time
	// pers is the persistence state (persistence.go).
	pers persistState
	// dbg is what DEBUG switches (debug_*.go).
	dbg debugState

	// lastMono and lastTick are mono() readings: the last one taken, and
	// the one at which the keyspace time was last fixed (see tick).
	lastMono, lastTick int64
}

// Stats are the counters INFO stats reports.
type Stats struct {
	Commands      atomic.Int64
	Connections   atomic.Int64
	Rejected      atomic.Int64
	NetInput      atomic.Int64
	NetOutput     atomic.Int64
	ErrorReplies  int64
	ErrorsByCode  map[string]int64
	ExpiredCycles int64
}

// ScriptHost is what the server needs from the scripting engine.
type ScriptHost interface {
	// Kill asks a running script to stop: SCRIPT KILL or FUNCTION KILL
	// (fn says which), and SHUTDOWN NOSAVE. It returns the error to reply
	// with, nil for OK.
	Kill(fn bool) error
}

// Effect is one command to propagate, in the database it applies to.
// Its Args are valid only during the Propagator call (effects.go).
type Effect struct {
	DB   int
	Args [][]byte
}

// New builds a server over a command table.
func New(cfg Config, reg *Registry) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Databases <= 0 {
		cfg.Databases = 16
	}
	s := &Server{
		Cfg:     cfg,
		Reg:     reg,
		KS:      keyspace.New(cfg.Databases, cfg.Clock),
		Log:     cfg.Logger,
		sem:     make(chan struct{}, 1),
		clients: map[int64]*Client{},
		done:    make(chan struct{}),
		start:   time.Now(),
	}
	s.Stats.ErrorsByCode = map[string]int64{}
	ch := make(chan struct{})
	s.busyCh.Store(&ch)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.KS.OnModified = s.keyModified
	s.KS.OnExpired = s.keyExpired
	s.pingSpec = reg.Lookup([]byte("ping"))
	// no background job has failed yet (INFO, and DiskError, which
	// would refuse writes otherwise)
	s.pers.lastBgsaveOK, s.pers.lastRewriteOK = true, true
	s.pers.lastBgsaveSecs, s.pers.lastRewriteSecs = -1, -1
	return s
}

// Listen opens the configured addresses. Port 0 picks a free port.
func (s *Server) Listen() error {
	binds := s.Cfg.Bind
	if len(binds) == 0 {
		binds = []string{"127.0.0.1"}
	}
	for _, b := range binds {
		ln, err := net.Listen("tcp", net.JoinHostPort(b, strconv.Itoa(s.Cfg.Port)))
		if err != nil {
			for _, l := range s.listeners {
				l.Close()
			}
			return err
		}
		s.listeners = append(s.listeners, ln)
	}
	return nil
}

// Addr is the first listening address.
func (s *Server) Addr() net.Addr { return s.listeners[0].Addr() }

// Serve accepts clients until Close; it also runs the periodic task.
func (s *Server) Serve() {
	if !s.Cfg.GoroutineClients && loopSupported {
		if err := s.startLoop(); err != nil {
			s.Log.Warn("no event loop; serving each client from a goroutine", "err", err)
		}
	}
	for _, ln := range s.listeners {
		s.wg.Add(1)
		go s.acceptLoop(ln)
	}
	s.wg.Add(1)
	go s.cron()
}

// Done is closed when the server has stopped.
func (s *Server) Done() <-chan struct{} { return s.done }

func (s *Server) acceptLoop(ln net.Listener) {
	defer s.wg.Done()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) || s.ctx.Err() != nil {
				return
			}
			s.Log.Warn("accept", "err", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		s.Stats.Connections.Add(1)
		c := s.newClient(conn)
		if !s.addClient(c) {
			conn.Write([]byte("-ERR max number of clients reached\r\n"))
			conn.Close()
			s.Stats.Rejected.Add(1)
			continue
		}
		if s.loop != nil && s.loop.adopt(c, conn) {
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			c.serve()
		}()
	}
}

func (s *Server) addClient(c *Client) bool {
	s.clientsMu.Lock()
	defer s.clientsMu.Unlock()
	if mc := s.maxClients(); mc > 0 && len(s.clients) >= mc {
		return false
	}
	s.clients[c.ID] = c
	return true
}

func (s *Server) removeClient(c *Client) {
	s.clientsMu.Lock()
	delete(s.clients, c.ID)
	s.clientsMu.Unlock()
}

// Clients returns a snapshot of the connected clients, ordered by ID.
func (s *Server) Clients() []*Client {
	s.clientsMu.Lock()
	out := make([]*Client, 0, len(s.clients))
	for _, c := range s.clients {
		out = append(out, c)
	}
	s.clientsMu.Unlock()
	sortClients(out)
	return out
}

// Close stops accepting, disconnects every client and waits for their
// goroutines. It is safe to call more than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.cancel()
		for _, ln := range s.listeners {
			ln.Close()
		}
		if s.loop != nil {
			s.loop.stop()
		}
		for _, c := range s.Clients() {
			c.Kill()
		}
		s.wg.Wait()
		s.closePersistence()
		close(s.done)
	})
	return nil
}

// Shutdown stops the server from inside a command (SHUTDOWN): it must not
// wait for the calling client's goroutine, so it closes in the background.
func (s *Server) Shutdown() {
	go s.Close()
}

// Uptime is how long the server has been running.
func (s *Server) Uptime() time.Duration { return time.Since(s.start) }

// cron is the periodic task: active expiry, incremental rehashing and
// idle-client timeouts, Hz times a second, under the execution lock.
func (s *Server) cron() {
	defer s.wg.Done()
	hz := s.liveHz()
	if hz <= 0 {
		hz = 10
	}
	t := time.NewTicker(time.Second / time.Duration(hz))
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
		}
		if h := s.liveHz(); h > 0 && h != hz {
			// CONFIG SET hz: the new period starts now
			hz = h
			t.Reset(time.Second / time.Duration(hz))
		}
		if !s.tryLockFor(s.ctx) {
			continue
		}
		if s.dbg.cronPaused {
			s.unlock()
			continue
		}
		s.tick()
		s.beginUnit()
		for _, db := range s.KS.DBs {
			if s.dbg.activeExpireOff {
				db.RehashStep(100)
				continue
			}
			// Redis's active expiry: sample 20 keys with a deadline and
			// repeat while more than a quarter of them had expired,
			// within a time budget.
			deadline := time.Now().Add(time.Millisecond * 25 / time.Duration(hz))
			for {
				sampled, removed := db.ActiveExpire(20)
				if sampled == 0 || removed*4 <= sampled || time.Now().After(deadline) {
					break
				}
			}
			db.RehashStep(100)
		}
		s.persistCron()
		s.endUnit()
		s.unlock()
		s.closeIdleClients()
	}
}
