package script

import (
	"sync/atomic"
	"time"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/server"
)

// Replication flags of redis.set_repl.
const (
	ReplNone    = 0
	ReplAOF     = 1
	ReplReplica = 2
	ReplAll     = ReplAOF | ReplReplica
)

// Run is the context of one script execution: who called it, where its
// reply goes, which database it has selected, and what it may still do.
type Run struct {
	E      *Engine
	Srv    *server.Server
	Script *Script
	// Ctx is the calling command (EVAL...): its client and reply sink.
	Ctx *server.Ctx
	R   resp.Replier

	ReadOnly   bool
	AllowOOM   bool
	oomAtStart bool
	// Resp is the protocol redis.setresp chose (2 by default).
	Resp int
	// Repl is what redis.set_repl chose.
	Repl int
	// Start is when the script began running.
	Start time.Time

	db       int // the script's selected database
	callerDB int

	// call is the Ctx of redis.call's command, reused so that a call
	// allocates nothing of its own.
	call server.Ctx

	wrote    atomic.Bool
	killed   atomic.Bool
	done     chan struct{}
	timedOut bool // under Engine.busyMu
}

func (r *Run) reset(e *Engine, c *server.Ctx, s *Script) {
	done := r.done
	if done == nil || r.killed.Load() {
		done = make(chan struct{})
	}
	*r = Run{E: e, Srv: e.Srv, Script: s, Ctx: c, R: c.R, Resp: 2, Repl: ReplAll, done: done,
		db: c.DB.ID, callerDB: c.DB.ID}
}

// Done is closed when the script has been asked to stop (SCRIPT KILL):
// the VM must then raise the kill error at once and again at every
// instruction, so that pcall cannot swallow it.
func (r *Run) Done() <-chan struct{} { return r.done }

// Killed reports whether the script has been asked to stop.
func (r *Run) Killed() bool { return r.killed.Load() }

// Wrote reports whether the script has run a write command.
func (r *Run) Wrote() bool { return r.wrote.Load() }

func (r *Run) kill() {
	if r.killed.CompareAndSwap(false, true) {
		close(r.done)
	}
}

// KilledError is the error a killed script fails with.
func KilledError() string { return rerr.ScriptKilledText }

// DB is the script's selected database.
func (r *Run) DB() *keyspace.DB { return r.Srv.KS.DBs[r.db] }

// restoreCaller gives the caller back its own database: SELECT inside a
// script only changes the script's.
func (r *Run) restoreCaller() {
	if cl := r.Ctx.Client; cl != nil {
		cl.SetDB(r.callerDB)
	}
}

// Call runs a command for redis.call/redis.pcall, replying into out. It
// returns "" when the command ran (its reply, error or not, is in out), or
// the text of the error that stopped it before it ran: plain ("Unknown
// Redis command called from script", the bridge adds "ERR ") or with a
// code ("-OOM ...").
func (r *Run) Call(args [][]byte, out resp.Replier) string {
	srv := r.Srv
	spec := srv.Reg.LookupArgs(args)
	if spec == nil || (spec.Subs != nil && len(args) >= 2) {
		return rerr.ScriptUnknownCmd
	}
	if (spec.Arity > 0 && spec.Arity != len(args)) || len(args) < -spec.Arity || spec.Subs != nil {
		return rerr.ScriptWrongArity
	}
	if spec.Flags&server.NoScript != 0 {
		return rerr.ScriptNoScriptCmd
	}
	write := spec.Flags&server.Write != 0
	if write && r.ReadOnly {
		return rerr.ScriptWriteInRO
	}
	if write && !r.wrote.Load() {
		// persistence is failing: refused, unless the script has
		// written already (failing it halfway would break its atomicity)
		if err := srv.DiskError(); err != nil {
			return "-" + err.Error()
		}
	}
	if !r.AllowOOM && r.oomAtStart && !r.wrote.Load() && spec.Flags&server.DenyOOM != 0 {
		return rerr.ScriptOOMCmd
	}
	if r.E.cs.kc.on {
		r.checkKeys(spec, args)
	}
	if write {
		r.wrote.Store(true)
	}
	cl := r.Ctx.Client
	if cl != nil {
		cl.SetDB(r.db)
	}
	ctx := &r.call
	*ctx = server.Ctx{Srv: srv, Client: cl, KS: srv.KS, DB: srv.KS.DBs[r.db], R: out, Args: args, Spec: spec, InScript: true}
	if r.Repl&ReplAOF == 0 {
		ctx.NoPropagate()
	}
	srv.Call(ctx)
	*ctx = server.Ctx{}
	if cl != nil {
		// SELECT changed the script's database, not the caller's.
		r.db = cl.DB()
		cl.SetDB(r.callerDB)
	}
	return ""
}
