package script

import (
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
)

// VM is a Lua engine as the scripting core needs it.
type VM interface {
	// Compile compiles a script; the error is the full reply text
	// ("ERR Error compiling script (new function): ...").
	Compile(s *Script) error
	// Run runs a compiled script in run, replying through run.R.
	Run(run *Run, keys, argv [][]byte)
	// Flush forgets every compiled script (SCRIPT FLUSH); the VM may
	// start a fresh Lua state.
	Flush()
	// Memory is what the Lua state holds, in bytes (INFO's
	// used_memory_lua).
	Memory() int64
}

// Engine is one server's scripting state: its script cache, its VM and
// the running script. It implements server.ScriptHost.
type Engine struct {
	Srv     *server.Server
	vm      VM
	scripts map[string]*Script
	// byBody finds a cached script from its exact text without hashing
	// it: EVAL of a known body (the common case) skips the SHA1.
	byBody map[string]*Script

	// cur is the running script, read by Kill without the execution lock.
	cur atomic.Pointer[Run]
	run Run // reused for every run

	busyMu sync.Mutex
	timer  *time.Timer
	// armed: the timer is pending, to fire armedFor after it was set.
	// It is not reset for every run (resetting reads the clock, a
	// tenth of a short EVALSHA's cost on a kvm-clock machine): when it
	// fires, it checks the running script and sets itself again for
	// what remains of that script's threshold.
	armed    bool
	armedFor time.Duration

	// UsedMemory reports the memory the OOM checks compare with
	// maxmemory; nil uses the Go heap's live objects.
	UsedMemory func() int64

	// fn is the FUNCTION libraries' state (function.go).
	fn functionState

	// cs is the cache's bookkeeping: EVAL-only LRU, statistics, key
	// checks (evict.go, stats.go, keycheck.go).
	cs cacheState
}

// New builds an engine for srv with the VM newVM makes.
func New(srv *server.Server, newVM func(*Engine) VM) *Engine {
	e := &Engine{Srv: srv, scripts: map[string]*Script{}, byBody: map[string]*Script{}}
	e.vm = newVM(e)
	return e
}

// Lookup finds a cached script by its SHA1 in any case.
func (e *Engine) Lookup(sha []byte) *Script {
	var buf [40]byte
	if !normSHA(&buf, sha) {
		return nil
	}
	return e.scripts[string(buf[:])]
}

// Load parses, compiles and caches a body for SCRIPT LOAD: the script is
// kept until SCRIPT FLUSH (EVAL uses LoadEval). A body already cached is
// not compiled again.
func (e *Engine) Load(body []byte) (*Script, error) { return e.load(body, true) }

func (e *Engine) load(body []byte, loaded bool) (*Script, error) {
	s := e.byBody[string(body)]
	if s == nil {
		sha := SHA1Hex(body)
		if s = e.scripts[sha]; s == nil {
			flags, skip, err := ParseShebang(body)
			if err != nil {
				return nil, err
			}
			s = &Script{SHA: sha, Body: append([]byte(nil), body...), Flags: flags, Skip: skip}
			if err := e.vm.Compile(s); err != nil {
				return nil, err
			}
			e.insert(s, loaded)
			e.checkBody(s)
			e.cs.loadedAt = e.Srv.MonoNow()
			return s, nil
		}
	}
	if loaded {
		e.promote(s)
	}
	return s, nil
}

// Exists reports whether a script is cached.
func (e *Engine) Exists(sha []byte) bool { return e.Lookup(sha) != nil }

// Flush empties the cache and the VM's compiled functions.
func (e *Engine) Flush() {
	e.scripts = map[string]*Script{}
	e.byBody = map[string]*Script{}
	e.resetLRU()
	e.vm.Flush()
}

// Len is the number of cached scripts (INFO's number_of_cached_scripts).
func (e *Engine) Len() int { return len(e.scripts) }

// VMMemory is the EVAL Lua state's memory (INFO's used_memory_lua): the
// state's own and the cached scripts' compiled code, which Redis keeps in
// its Lua state and moonkv keeps beside it.
func (e *Engine) VMMemory() int64 {
	n := e.vm.Memory()
	for _, s := range e.scripts {
		if c, ok := s.Compiled.(interface{ Size() int64 }); ok {
			n += c.Size()
		}
	}
	return n
}

// Running reports whether a script is running.
func (e *Engine) Running() bool { return e.cur.Load() != nil }

// Kill implements server.ScriptHost: SCRIPT KILL (fn false), FUNCTION
// KILL (fn true) and SHUTDOWN NOSAVE ask the running script to stop.
func (e *Engine) Kill(fn bool) error {
	e.busyMu.Lock()
	defer e.busyMu.Unlock()
	r := e.cur.Load()
	if r == nil {
		return rerr.NotBusy
	}
	if r.wrote.Load() {
		return rerr.Unkillable
	}
	if fn && !e.runningIsFunction() {
		// FUNCTION KILL does not stop an EVAL script (and SCRIPT KILL
		// no function: see KillEval).
		return rerr.Busy
	}
	r.kill()
	return nil
}

func (e *Engine) threshold() time.Duration {
	if t := e.Srv.Cfg.BusyReplyThreshold; t > 0 {
		return t
	}
	return 5 * time.Second
}

// Run runs a cached script for the command in c: EVAL/EVALSHA (ro false)
// or their _RO variants. The caller holds the execution lock.
func (e *Engine) Run(c *server.Ctx, s *Script, keys, argv [][]byte, ro bool) {
	flags := s.Flags
	allowOOM := false
	cached := s.cached.inCache
	if flags&CompatMode == 0 {
		// A script that declares flags is a write, deny-oom command
		// unless they say otherwise (Redis's scriptFlagsToCmdFlags), so
		// it is refused as any deny-oom command is.
		if flags&(AllowOOM|NoWrites) == 0 && e.oom() {
			c.Err(rerr.OOM)
			e.refused(s)
			return
		}
		if flags&NoWrites == 0 {
			// a write command, refused while persistence fails
			if err := e.Srv.DiskError(); err != nil {
				c.Err(err)
				e.refused(s)
				return
			}
		}
		if flags&NoWrites == 0 && ro {
			c.Err(rerr.ScriptWriteRO)
			e.refused(s)
			return
		}
		allowOOM = flags&AllowOOM != 0
	}
	if cached {
		e.touch(s)
	}
	// The watch tells SCRIPT STATS whether the reply was an error.
	e.cs.watch.begin(c.R)
	c.R = &e.cs.watch
	e.cs.kc.begin(keys, cached)
	r := &e.run
	r.reset(e, c, s)
	r.ReadOnly = ro || (flags&CompatMode == 0 && flags&NoWrites != 0)
	r.AllowOOM = allowOOM
	r.oomAtStart = !allowOOM && e.oom()
	mark := e.Srv.EffectsMark()
	start := e.startRun(r)
	e.vm.Run(r, keys, argv)
	ns := e.Srv.MonoNow() - start
	e.endRun(r)
	e.cs.kc.end()
	var failed bool
	c.R, failed = e.cs.watch.end()
	if cached {
		s.cached.stats.record(ns, true, failed)
	}
	r.restoreCaller()
	// The script's effects reach the AOF as one MULTI/EXEC; EVAL itself
	// is not propagated.
	c.NoPropagate()
	e.Srv.WrapEffects(mark)
}

func (e *Engine) oom() bool {
	max := e.Srv.Cfg.MaxMemory
	if max <= 0 {
		return false
	}
	used := int64(0)
	if e.UsedMemory != nil {
		used = e.UsedMemory()
	} else {
		used = heapLive()
	}
	return used > max
}

func heapLive() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}

// startRun publishes the running script (for Kill) and arms busy
// detection: once it has run for busy-reply-threshold, other clients
// answer -BUSY at once. busyMu orders it with Kill and the timer.
// The run starts when its command did: the dispatcher's last clock
// reading, returned as a Server.MonoNow value (no clock read here; the
// end of the run takes one, for SCRIPT STATS).
func (e *Engine) startRun(r *Run) int64 {
	d := e.threshold()
	e.busyMu.Lock()
	defer e.busyMu.Unlock()
	// (After a compile, from its end: an EVAL's first run is not charged
	// with compiling its body.)
	start := max(e.Srv.LastMono(), e.cs.loadedAt)
	r.Start = e.Srv.MonoTime(start)
	e.cur.Store(r)
	switch {
	case e.timer == nil:
		e.timer = time.AfterFunc(d, e.onBusy)
	case !e.armed || d < e.armedFor:
		// not pending, or pending for a threshold since lowered
		e.timer.Reset(d)
	default:
		return start
	}
	e.armed, e.armedFor = true, d
	return start
}

func (e *Engine) onBusy() {
	e.busyMu.Lock()
	defer e.busyMu.Unlock()
	e.armed = false
	r := e.cur.Load()
	if r == nil || r.timedOut {
		return
	}
	if left := e.threshold() - time.Since(r.Start); left > 0 {
		// the script running now started after the timer was set
		e.timer.Reset(left)
		e.armed, e.armedFor = true, left
		return
	}
	r.timedOut = true
	e.Srv.Log.Warn("Slow script detected: still in execution after " +
		strconv.FormatInt(time.Since(r.Start).Milliseconds(), 10) +
		" milliseconds. You can try killing the script using the SCRIPT KILL command.")
	e.Srv.SetBusy(true)
}

func (e *Engine) endRun(r *Run) {
	e.busyMu.Lock()
	e.cur.Store(nil)
	busy := r.timedOut
	r.timedOut = false
	e.busyMu.Unlock()
	if busy {
		e.Srv.SetBusy(false)
	}
}
