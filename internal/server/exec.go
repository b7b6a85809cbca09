package server

import (
	"context"
	"strings"
	"time"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/resp"
)

// lock takes the execution lock. It returns false, without the lock, when a
// script has been running past busy-reply-threshold: the caller then
// answers the command in busy mode (only allow_busy commands run).
func (s *Server) lock() bool {
	select {
	case s.sem <- struct{}{}:
		return true
	default:
	}
	for {
		busy := s.busyCh.Load()
		select {
		case s.sem <- struct{}{}:
			return true
		case <-*busy:
			return false
		}
	}
}

// tryLockFor takes the lock unless ctx ends first.
func (s *Server) tryLockFor(ctx context.Context) bool {
	select {
	case s.sem <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *Server) unlock() { <-s.sem }

// SetBusy is called by the scripting engine, from the goroutine running a
// script that has passed busy-reply-threshold (busy true), and again when
// that script ends (busy false).
func (s *Server) SetBusy(busy bool) {
	if busy {
		close(*s.busyCh.Load())
		if s.loop != nil {
			s.loop.startPump()
		}
		return
	}
	if s.loop != nil {
		s.loop.stopPump()
	}
	ch := make(chan struct{})
	s.busyCh.Store(&ch)
}

// IsBusy reports whether a script is past busy-reply-threshold.
func (s *Server) IsBusy() bool {
	select {
	case <-*s.busyCh.Load():
		return true
	default:
		return false
	}
}

// beginUnit and endUnit bracket an execution unit: the keyspace's time is
// fixed for the unit and its effects are handed on together.
func (s *Server) beginUnit() {
	s.resetEffects()
}

// mono is a cheap monotonic reading in nanoseconds since the server
// started. Reading the wall clock costs ~50 ns on a kvm-clock machine, so
// the dispatch path reads it once per batch of commands (tick) and the
// monotonic clock once per command (for INFO commandstats).
func (s *Server) mono() int64 { return int64(time.Since(s.start)) }

// tick fixes the keyspace's time for the commands that follow. It runs when
// a client takes the lock and again between commands of a batch once a
// millisecond has passed, never inside an execution unit.
func (s *Server) tick() {
	s.lastMono = s.mono()
	s.lastTick = s.lastMono
	s.KS.Tick()
}

func (s *Server) tickIfStale() {
	if s.lastMono-s.lastTick > int64(time.Millisecond) {
		s.tick()
	}
}

func (s *Server) endUnit() {
	// clients parked on keys this unit made ready are served after it
	defer s.serveBlocked()
	if s.Propagator == nil || len(s.unitEffects) == 0 {
		return
	}
	out := s.effOut[:0]
	for _, e := range s.unitEffects {
		db := int(e[0][0])
		out = append(out, Effect{DB: db, Args: e[1:]})
	}
	s.effOut = out
	s.Propagator(out)
	s.resetEffects()
}

// propagate records an effect of the running unit. Arguments are copied:
// they may point into a client's read buffer.
func (s *Server) propagate(db int, args [][]byte) {
	if s.Propagator == nil {
		return
	}
	s.unitEffects = append(s.unitEffects, s.copyEffect(db, args))
}

func (s *Server) keyExpired(db *keyspace.DB, key []byte) {
	s.propagate(db.ID, [][]byte{[]byte("DEL"), key})
}

// resolve finds the spec for a call and checks the name and arity. On
// failure it returns the error to reply with.
func (s *Server) resolve(args [][]byte) (*Spec, error) {
	spec := s.Reg.LookupArgs(args)
	if spec == nil {
		return nil, rerr.UnknownCommand(string(args[0]), args[1:])
	}
	if spec.Subs != nil && (len(args) >= 2 || spec.Handler == nil) {
		// a container runs by itself only if it has a handler (COMMAND)
		if len(args) >= 2 {
			return nil, rerr.UnknownSubcommand(string(args[1]), string(args[0]))
		}
		return nil, rerr.WrongArity(spec.Name)
	}
	if (spec.Arity > 0 && len(args) != spec.Arity) || len(args) < -spec.Arity {
		return nil, rerr.WrongArity(spec.Name)
	}
	return spec, nil
}

// process runs one command from a client: the checks Redis's
// processCommand makes, in its order, then the command itself. The caller
// holds the execution lock, or busy is true and it does not.
func (s *Server) process(c *Client, args [][]byte, busy bool) {
	s.Stats.Commands.Add(1)
	r := &c.out
	spec, err := s.resolveFor(c, args)
	if err != nil {
		c.flagMultiError()
		s.reject(r, err)
		return
	}
	c.LastCmd = spec.Name
	if err := s.protectedGate(c, spec); err != nil {
		c.flagMultiError()
		s.reject(r, err)
		spec.Rejected++
		return
	}
	if s.Cfg.RequirePass != "" && !c.authed && !spec.Is(NoAuth) {
		c.flagMultiError()
		s.reject(r, rerr.NoAuth)
		spec.Rejected++
		return
	}
	if !busy && (spec.Flags&Write != 0 || spec == s.pingSpec) {
		// (a busy script holds the lock: the state is not to be read)
		if err := s.DiskError(); err != nil {
			c.flagMultiError()
			s.reject(r, err)
			spec.Rejected++
			return
		}
	}
	if busy && !spec.Is(AllowBusy) {
		c.flagMultiError()
		s.reject(r, s.busyError())
		spec.Rejected++
		return
	}
	if c.multi != nil && !spec.Is(TxControl) {
		if spec.Is(NoMulti) {
			c.flagMultiError()
			s.reject(r, errNoMulti)
			spec.Rejected++
			return
		}
		c.queue(spec, args)
		r.Simple("QUEUED")
		return
	}
	// The client's own Ctx is reused: a fresh one per command would
	// escape to the heap (handlers are called through a func value).
	ctx := &c.ctx
	*ctx = Ctx{Srv: s, Client: c, KS: s.KS, DB: s.KS.DBs[c.db], R: r, Args: args, Spec: spec}
	if busy {
		// Without the lock: no statistics, no effects; allow_busy
		// handlers touch only state that is safe to share.
		spec.Handler(ctx)
		return
	}
	s.call(ctx)
}

var errNoMulti = rerr.NoMulti

func (s *Server) reject(r resp.Replier, err error) {
	s.countError(err.Error())
	r.Error(err.Error())
}

// call runs a resolved command in a Ctx, keeping statistics and recording
// its effect.
func (s *Server) call(ctx *Ctx) {
	dirty := s.KS.Dirty
	start := s.lastMono
	ctx.Spec.Handler(ctx)
	now := s.mono()
	s.lastMono = now
	ctx.Spec.Calls++
	ctx.Spec.Nsec += now - start
	if ctx.failed {
		ctx.Spec.Failed++
		s.Stats.ErrorReplies++
	}
	if ctx.Spec.Flags&Write != 0 && !ctx.propagated && s.KS.Dirty != dirty {
		s.propagate(ctx.DB.ID, ctx.Args)
	}
}

// Call runs a command on behalf of a script or another internal caller
// that has already done its own checks: the caller holds the execution
// lock and ctx carries the spec, arguments and reply sink.
func (s *Server) Call(ctx *Ctx) {
	s.call(ctx)
}

func (s *Server) countError(text string) {
	code := text
	if i := strings.IndexByte(text, ' '); i > 0 {
		code = text[:i]
	}
	// Busy-mode rejections count errors without the execution lock.
	s.statsMu.Lock()
	s.Stats.ErrorsByCode[code]++
	s.statsMu.Unlock()
}

func errWrongArityFor(s *Spec) error { return rerr.WrongArity(s.Name) }
