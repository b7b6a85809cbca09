package server

import (
	"strconv"
	"sync"
	"time"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
)

const (
	// RedisVersion is the Redis release moonkv answers as.
	RedisVersion = "7.0.15"
	// Version is moonkv's own version (INFO moonkv_version).
	Version = "0.1.0"
)

// RegisterServer adds the server administration commands: INFO, CONFIG,
// COMMAND, TIME, LASTSAVE and SHUTDOWN.
func RegisterServer(r *Registry) {
	r.Add(
		&Spec{Name: "info", Arity: -1, Flags: Loading | Stale, Categories: CatDangerous,
			Tips:  []string{"nondeterministic_output", "request_policy:all_shards", "response_policy:special"},
			Group: "server", Since: "1.0.0", Summary: "Returns information and statistics about the server.", Complexity: "O(1)",
			History: [][2]string{{"7.0.0", "Added support for taking multiple section arguments."}},
			Args:    []ArgDoc{{Name: "section", Type: "string", Optional: true, Multiple: true}},
			Handler: cmdInfo},
		configSpec(),
		commandSpec(),
		&Spec{Name: "time", Arity: 1, Flags: Loading | Stale | Fast, Tips: []string{"nondeterministic_output"},
			Group: "server", Since: "2.6.0", Summary: "Returns the server time.", Complexity: "O(1)", Handler: cmdTime},
		&Spec{Name: "lastsave", Arity: 1, Flags: Loading | Stale | Fast, Categories: CatAdmin | CatDangerous,
			Tips:  []string{"nondeterministic_output"},
			Group: "server", Since: "1.0.0", Summary: "Returns the Unix timestamp of the last successful save to disk.",
			Complexity: "O(1)", Handler: cmdLastSave},
		&Spec{Name: "shutdown", Arity: -1, Flags: Admin | NoScript | Loading | Stale | NoMulti | AllowBusy,
			Group: "server", Since: "1.0.0", Summary: "Synchronously saves the database(s) to disk and shuts down the Redis server.",
			Complexity: "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
			History:    [][2]string{{"7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers."}},
			Args: []ArgDoc{
				{Name: "nosave_save", Type: "oneof", Optional: true, Sub: []ArgDoc{
					{Name: "nosave", Type: "pure-token", Token: "NOSAVE"}, {Name: "save", Type: "pure-token", Token: "SAVE"}}},
				{Name: "now", Type: "pure-token", Token: "NOW", Optional: true, Since: "7.0.0"},
				{Name: "force", Type: "pure-token", Token: "FORCE", Optional: true, Since: "7.0.0"},
				{Name: "abort", Type: "pure-token", Token: "ABORT", Optional: true, Since: "7.0.0"}},
			Handler: cmdShutdown},
	)
}

func cmdTime(c *Ctx) {
	us := c.Now() * 1000
	if _, wall := c.KS.Clock.(keyspace.SystemClock); wall {
		// TIME reports microseconds; the unit's time is only kept in ms.
		us = time.Now().UnixMicro()
	}
	c.R.ArrayLen(2)
	c.R.BulkString(strconv.FormatInt(us/1e6, 10))
	c.R.BulkString(strconv.FormatInt(us%1e6, 10))
}

// LastSave is the Unix time of the last successful save: the start time
// until something saves (as Redis, which sets it at start).
func (s *Server) LastSave() int64 {
	s.adm.mu.Lock()
	defer s.adm.mu.Unlock()
	if s.adm.lastSave == 0 {
		return s.start.Unix()
	}
	return s.adm.lastSave
}

// SetLastSave records a successful save (the persistence layer calls it).
func (s *Server) SetLastSave(unix int64) {
	s.adm.mu.Lock()
	s.adm.lastSave = unix
	s.adm.saves++
	s.adm.mu.Unlock()
	s.adm.dirtyAtSave = s.KS.Dirty
}

func cmdLastSave(c *Ctx) { c.R.Int(c.Srv.LastSave()) }

func cmdShutdown(c *Ctx) {
	var nosave, save, now, force, abort bool
	for _, a := range c.Args[1:] {
		switch {
		case Is(a, "nosave"):
			nosave = true
		case Is(a, "save"):
			save = true
		case Is(a, "now"):
			now = true
		case Is(a, "force"):
			force = true
		case Is(a, "abort"):
			abort = true
		default:
			c.Err(rerr.Syntax)
			return
		}
	}
	if (abort && (nosave || save || now || force)) || (nosave && save) {
		c.Err(rerr.Syntax)
		return
	}
	s := c.Srv
	if abort {
		// moonkv's shutdown never waits (no replicas to catch up), so
		// there is never one in progress to abort.
		c.Err(rerr.ShutdownNotPending)
		return
	}
	if !nosave && s.IsBusy() {
		c.Err(s.busyError())
		return
	}
	if err := s.PrepareShutdown(save, nosave, force); err != nil {
		c.Err(err)
		return
	}
	c.Client.CloseAfterReply()
	s.Shutdown()
}

// PrepareShutdown does what must happen before the server stops: a final
// save when asked for (or when save points are configured, unless nosave),
// and stopping a busy script. It returns the error to reply with when the
// shutdown is refused.
func (s *Server) PrepareShutdown(save, nosave, force bool) error {
	s.Log.Warn("User requested shutdown...")
	if s.IsBusy() && s.Scripts != nil {
		s.Scripts.Kill(false)
	}
	if !nosave && (save || len(s.Cfg.Save) > 0) {
		if s.Hooks.Save == nil {
			s.Log.Warn("No persistence is configured: shutting down without saving.")
		} else if err := s.Hooks.Save(); err != nil {
			s.Log.Warn("Error trying to save the DB, can't exit.", "err", err)
			if !force {
				s.Log.Warn("Errors trying to shut down the server. Check the logs for more information.")
				return rerr.ShutdownErrors
			}
		} else {
			s.SetLastSave(time.Now().Unix())
		}
	}
	s.Log.Warn("moonkv is now ready to exit, bye bye...")
	return nil
}

// ResetStats clears the statistics INFO reports (CONFIG RESETSTAT).
func (s *Server) ResetStats() {
	s.Stats.Commands.Store(0)
	s.Stats.Connections.Store(0)
	s.Stats.Rejected.Store(0)
	s.Stats.NetInput.Store(0)
	s.Stats.NetOutput.Store(0)
	s.Stats.ErrorReplies = 0
	s.Stats.ExpiredCycles = 0
	s.statsMu.Lock()
	s.Stats.ErrorsByCode = map[string]int64{}
	s.statsMu.Unlock()
	s.KS.Hits, s.KS.Misses, s.KS.ExpiredKeys = 0, 0, 0
	for _, sp := range s.Reg.All() {
		sp.Calls, sp.Nsec, sp.Rejected, sp.Failed = 0, 0, 0, 0
		for _, sub := range sp.Subs {
			sub.Calls, sub.Nsec, sub.Rejected, sub.Failed = 0, 0, 0, 0
		}
	}
	s.adm.ops.reset()
	// the scripting engine's counters: SCRIPT STATS, evicted_scripts
	if r, ok := s.Scripts.(interface{ ResetStats() }); ok {
		r.ResetStats()
	}
}

// opsSampler keeps the last 16 samples, 100 ms apart, of the counters
// INFO's instantaneous_* fields are computed from (as Redis's
// trackInstantaneousMetric does). It starts on the first INFO.
type opsSampler struct {
	once    sync.Once
	mu      sync.Mutex
	last    [3]int64 // commands, net input, net output at the last sample
	lastAt  time.Time
	samples [3][16]float64
	idx     int
}

const opsSamplePeriod = 100 * time.Millisecond

func (o *opsSampler) start(s *Server) {
	o.once.Do(func() {
		o.mu.Lock()
		o.last = s.counters()
		o.lastAt = time.Now()
		o.mu.Unlock()
		go func() {
			t := time.NewTicker(opsSamplePeriod)
			defer t.Stop()
			for {
				select {
				case <-s.ctx.Done():
					return
				case <-t.C:
					o.sample(s)
				}
			}
		}()
	})
}

func (s *Server) counters() [3]int64 {
	return [3]int64{s.Stats.Commands.Load(), s.Stats.NetInput.Load(), s.Stats.NetOutput.Load()}
}

func (o *opsSampler) sample(s *Server) {
	o.mu.Lock()
	defer o.mu.Unlock()
	now := time.Now()
	cur := s.counters()
	dt := now.Sub(o.lastAt).Seconds()
	if dt <= 0 {
		return
	}
	for i := range cur {
		o.samples[i][o.idx] = max(0, float64(cur[i]-o.last[i])/dt)
	}
	o.idx = (o.idx + 1) % 16
	o.last, o.lastAt = cur, now
}

// rate is the mean of the samples of counter i (0 ops, 1 input, 2 output).
func (o *opsSampler) rate(i int) float64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	sum := 0.0
	for _, v := range o.samples[i] {
		sum += v
	}
	return sum / 16
}

func (o *opsSampler) reset() {
	o.mu.Lock()
	o.samples = [3][16]float64{}
	o.mu.Unlock()
}
