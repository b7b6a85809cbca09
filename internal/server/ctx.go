package server

import (
	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/resp"
)

// Ctx is one command's call: its arguments, where its reply goes, and the
// state it may use. Handlers parse c.Args, operate on c.DB, and reply
// through c.R; they never write RESP bytes themselves.
type Ctx struct {
	Srv    *Server
	Client *Client // the connection the command came from (the caller's, inside a script)
	KS     *keyspace.Keyspace
	DB     *keyspace.DB
	R      resp.Replier
	Args   [][]byte
	Spec   *Spec

	// InScript is set for commands called by a script through
	// redis.call/pcall; InMulti for commands run by EXEC.
	InScript bool
	InMulti  bool

	// Effects collects what a write command propagates (to the AOF and
	// watchers of the unit). By default a write command that changed the
	// keyspace propagates its own arguments; a handler that must rewrite
	// them (relative expiries made absolute, INCRBYFLOAT as SET...) calls
	// Propagate, and one that changed nothing durable calls NoPropagate.
	propagated bool
	failed     bool
}

// Err replies with an error value from package rerr (or any error whose
// text follows Redis's convention).
func (c *Ctx) Err(err error) {
	c.failed = true
	c.Srv.countError(err.Error())
	c.R.Error(err.Error())
}

// ErrText replies with an error given as text ("ERR ...").
func (c *Ctx) ErrText(s string) {
	c.failed = true
	c.Srv.countError(s)
	c.R.Error(s)
}

// OK replies +OK.
func (c *Ctx) OK() { c.R.Simple("OK") }

// Now is the execution unit's time in Unix milliseconds.
func (c *Ctx) Now() int64 { return c.KS.Now }

// Propagate records an effect in place of the command's own arguments.
// A command may call it several times (one effect per call).
func (c *Ctx) Propagate(args ...[]byte) {
	c.propagated = true
	c.Srv.propagate(c.DB.ID, args)
}

// NoPropagate marks a write command as having no effect to propagate.
func (c *Ctx) NoPropagate() { c.propagated = true }

// Failed reports whether the handler replied with an error.
func (c *Ctx) Failed() bool { return c.failed }
