package server

import (
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/moonkv/moonkv/internal/rerr"
)

// absDir is the absolute form of a configured directory, as CONFIG GET dir
// reports it (Redis reports its working directory, having changed to it).
func absDir(d string) string {
	if d == "" {
		d = "."
	}
	if a, err := filepath.Abs(d); err == nil {
		return a
	}
	return d
}

// normalize brings values into the range the server uses, as Redis does
// after setting them (hz is kept within 1..500).
func (c *Config) normalize() {
	if c.Hz < 1 {
		c.Hz = 1
	}
	if c.Hz > 500 {
		c.Hz = 500
	}
}

// ConfigSet sets several parameters at once, as CONFIG SET does: either all
// of them change or none does. pairs alternates names and values. The
// caller holds the execution lock.
func (s *Server) ConfigSet(pairs []string) error {
	n := len(pairs) / 2
	ps := make([]*Param, n)
	var failed error
	for i := 0; i < n; i++ {
		name := pairs[2*i]
		p := LookupParam(name)
		if p == nil {
			if failed == nil {
				failed = rerr.ConfigSetUnknown(name)
			}
			continue
		}
		if failed != nil {
			continue
		}
		if p.Immutable {
			failed = rerr.ConfigSetFailed(name, "can't set immutable config")
			continue
		}
		if p.Protected {
			failed = rerr.ConfigSetFailed(name, "can't set protected config")
			continue
		}
		for j := 0; j < i; j++ {
			if strings.EqualFold(pairs[2*j], name) {
				failed = rerr.ConfigSetFailed(name, "duplicate parameter")
				break
			}
		}
		ps[i] = p
	}
	if failed != nil {
		return failed
	}
	s.live()
	defer s.syncLive()
	old := s.Cfg
	next := s.Cfg
	next.saveFromFile = false
	for i, p := range ps {
		if why := p.set(&next, pairs[2*i+1], false); why != "" {
			return rerr.ConfigSetFailed(strings.ToLower(pairs[2*i]), why)
		}
	}
	next.normalize()
	// Only the fields of the parameters being set are written, so that
	// code reading other fields outside the execution lock is undisturbed.
	for i, p := range ps {
		p.set(&s.Cfg, pairs[2*i+1], false)
	}
	s.Cfg.saveFromFile = false
	s.Cfg.normalize()
	done := map[*Param]bool{}
	for i, p := range ps {
		if p.apply == nil || done[p] || p.Get(&old) == p.Get(&next) {
			continue
		}
		done[p] = true
		if err := p.apply(s, &old); err != nil {
			s.Log.Warn("CONFIG SET failed", "param", p.Name, "err", err)
			for _, q := range ps {
				q.set(&s.Cfg, q.Get(&old), false)
			}
			s.Cfg.normalize()
			for q := range done {
				if q != p {
					q.apply(s, &next)
				}
			}
			return rerr.ConfigSetFailed(strings.ToLower(pairs[2*i]), err.Error())
		}
	}
	return nil
}

// applyListen opens the listeners for a new bind/port before closing the
// old ones, so a refused address leaves the server as it was.
func applyListen(s *Server, old *Config) error {
	if len(s.listeners) == 0 {
		return nil // not serving yet: Listen will use the new values
	}
	var lns []net.Listener
	for _, b := range s.bindAddrs() {
		optional := strings.HasPrefix(b, "-")
		ln, err := net.Listen("tcp", net.JoinHostPort(strings.TrimPrefix(b, "-"), strconv.Itoa(s.Cfg.Port)))
		if err != nil {
			if optional {
				continue
			}
			for _, l := range lns {
				l.Close()
			}
			s.Log.Warn("Failed listening", "addr", b, "port", s.Cfg.Port, "err", err)
			return errors.New("Unable to listen on this port. Check server logs.")
		}
		lns = append(lns, ln)
	}
	for _, l := range s.listeners {
		l.Close()
	}
	s.listeners = lns
	for _, ln := range lns {
		s.wg.Add(1)
		go s.acceptLoop(ln)
	}
	return nil
}

func (s *Server) bindAddrs() []string {
	if len(s.Cfg.Bind) == 0 {
		return []string{"0.0.0.0"}
	}
	var out []string
	for _, b := range s.Cfg.Bind {
		switch b {
		case "*", "-*":
			b = strings.Replace(b, "*", "0.0.0.0", 1)
		case "::*", "-::*":
			b = strings.Replace(b, "::*", "::", 1)
		}
		out = append(out, b)
	}
	return out
}

// applyHz has nothing to do itself: the periodic task reads the live
// mirror (updated after every CONFIG SET) at each tick and adopts a new
// frequency there.
func applyHz(s *Server, old *Config) error { return nil }

func applyLoopSpin(s *Server, old *Config) error {
	s.loopSpin.Store(int64(s.Cfg.LoopSpin))
	return nil
}

func applyLogLevel(s *Server, old *Config) error {
	if s.Cfg.LevelVar != nil {
		s.Cfg.LevelVar.Set(SlogLevel(s.Cfg.LogLevel))
	}
	return nil
}

// SlogLevel maps Redis's log levels onto slog's.
func SlogLevel(l string) slog.Level {
	switch l {
	case "debug":
		return slog.LevelDebug - 4
	case "verbose":
		return slog.LevelDebug
	case "warning":
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

// ensureDir reports whether the configured directory exists.
func ensureDir(d string) error {
	st, err := os.Stat(d)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return errors.New("not a directory")
	}
	return nil
}

// applyLimits hands the encoding thresholds to the keyspace.
func applyLimits(s *Server, old *Config) error {
	s.syncLimits()
	return nil
}

func (s *Server) syncLimits() {
	l := &s.KS.Limits
	c := &s.Cfg
	l.HashMaxListpackEntries = int(c.HashMaxListpackEntries)
	l.HashMaxListpackValue = int(c.HashMaxListpackValue)
	l.SetMaxIntsetEntries = int(c.SetMaxIntsetEntries)
	l.ZSetMaxListpackEntries = int(c.ZsetMaxListpackEntries)
	l.ZSetMaxListpackValue = int(c.ZsetMaxListpackValue)
	l.ListMaxListpackSize = c.ListMaxListpackSize
	l.ListCompressDepth = c.ListCompressDepth
}

// ApplyConfig makes a new server's configuration take effect where it is
// kept outside Config (call it after New). A Config built without
// DefaultConfig leaves the keyspace's own defaults in place.
func (s *Server) ApplyConfig() {
	if s.Cfg.HashMaxListpackValue != 0 {
		s.syncLimits()
	}
	if s.Cfg.LevelVar != nil && s.Cfg.LogLevel != "" {
		s.Cfg.LevelVar.Set(SlogLevel(s.Cfg.LogLevel))
	}
}

// ListenConfigured opens the listeners for the configured bind addresses
// and port as redis-server does: "*" and "::*" mean every address, and an
// address written with a leading "-" is skipped when it cannot be bound.
func (s *Server) ListenConfigured() error {
	var lns []net.Listener
	var firstErr error
	for _, b := range s.bindAddrs() {
		optional := strings.HasPrefix(b, "-")
		ln, err := net.Listen("tcp", net.JoinHostPort(strings.TrimPrefix(b, "-"), strconv.Itoa(s.Cfg.Port)))
		if err != nil {
			if optional {
				continue
			}
			firstErr = err
			break
		}
		lns = append(lns, ln)
	}
	if firstErr == nil && len(lns) == 0 {
		firstErr = errors.New("no address to listen on")
	}
	if firstErr != nil {
		for _, l := range lns {
			l.Close()
		}
		return firstErr
	}
	s.listeners = lns
	if s.Cfg.Port == 0 {
		if a, ok := lns[0].Addr().(*net.TCPAddr); ok {
			s.Cfg.Port = a.Port
		}
	}
	return nil
}

// liveConfig mirrors the parameters that goroutines read without the
// execution lock (accepting a client, the idle-client sweep, the periodic
// task), so that CONFIG SET can change them under the lock safely. The
// mirror is filled from Config on first use (once, which orders that read
// before any CONFIG SET) and after every CONFIG SET.
type liveConfig struct {
	once         sync.Once
	requirePass  atomic.Bool
	protoMaxBulk atomic.Int64
	maxClients   atomic.Int64
	timeout      atomic.Int64
	hz           atomic.Int64
}

func (s *Server) syncLive() {
	l := &s.adm.live
	l.requirePass.Store(s.Cfg.RequirePass != "")
	l.protoMaxBulk.Store(s.Cfg.ProtoMaxBulkLen)
	l.maxClients.Store(int64(s.Cfg.MaxClients))
	l.timeout.Store(int64(s.Cfg.Timeout))
	l.hz.Store(int64(s.Cfg.Hz))
}

func (s *Server) live() *liveConfig {
	s.adm.live.once.Do(s.syncLive)
	return &s.adm.live
}

// requiresPass reports whether new clients must authenticate.
func (s *Server) requiresPass() bool { return s.live().requirePass.Load() }

func (s *Server) protoMaxBulkLen() int64 { return s.live().protoMaxBulk.Load() }

func (s *Server) maxClients() int { return int(s.live().maxClients.Load()) }

func (s *Server) idleTimeout() time.Duration { return time.Duration(s.live().timeout.Load()) }

func (s *Server) liveHz() int { return int(s.live().hz.Load()) }
