package server

import (
	"github.com/moonkv/moonkv/internal/rerr"
)

// RegisterPersistence adds SAVE, BGSAVE and BGREWRITEAOF.
func RegisterPersistence(r *Registry) {
	adm := Admin | NoScript | NoAsyncLoading
	r.Add(
		&Spec{Name: "save", Arity: 1, Flags: adm | NoMulti, Group: "server", Since: "1.0.0",
			Summary: "Writes the dataset to disk in the foreground.", Complexity: "O(N) where N is the total number of keys in all databases",
			Handler: cmdSave},
		&Spec{Name: "bgsave", Arity: -1, Flags: adm, Group: "server", Since: "1.0.0",
			Summary: "Writes the dataset to disk in the background, serving clients meanwhile.", Complexity: "O(N) where N is the total number of keys in all databases",
			Args: []ArgDoc{{Name: "schedule", Type: "pure-token", Token: "SCHEDULE", Optional: true}}, Handler: cmdBgsave},
		&Spec{Name: "bgrewriteaof", Arity: 1, Flags: adm, Group: "server", Since: "1.0.0",
			Summary: "Compacts the append-only file in the background.", Complexity: "O(1)",
			Handler: cmdBgrewriteaof},
	)
}

func cmdSave(c *Ctx) {
	if err := c.Srv.saveSync(); err != nil {
		if err == rerr.BgsaveInProgress {
			c.Err(err)
			return
		}
		c.ErrText("ERR")
		return
	}
	c.OK()
}

func cmdBgsave(c *Ctx) {
	schedule := false
	if len(c.Args) > 1 {
		if len(c.Args) == 2 && Is(c.Args[1], "schedule") {
			schedule = true
		} else {
			c.Err(rerr.Syntax)
			return
		}
	}
	s := c.Srv
	switch j := s.pers.job; {
	case j != nil && !j.rewrite:
		c.Err(rerr.BgsaveInProgress)
	case j != nil:
		if !schedule {
			c.Err(rerr.BgsaveChildActive)
			return
		}
		s.pers.saveDue = true
		c.R.Simple("Background saving scheduled")
	default:
		if err := s.startJob(false); err != nil {
			c.ErrText("ERR " + err.Error())
			return
		}
		c.R.Simple("Background saving started")
	}
}

func cmdBgrewriteaof(c *Ctx) {
	s := c.Srv
	switch j := s.pers.job; {
	case j != nil && j.rewrite:
		c.Err(rerr.RewriteInProgress)
	case s.pers.aof == nil:
		// Redis rewrites a file even with appendonly off; moonkv writes
		// the AOF only while appendonly is on.
		c.ErrText("ERR The append only file is off: CONFIG SET appendonly yes to start one")
	case j != nil:
		s.pers.rewriteDue = true
		c.R.Simple("Background append only file rewriting scheduled")
	default:
		if err := s.startJob(true); err != nil {
			s.Log.Warn("Can't rewrite the AOF in background", "err", err)
			c.Err(rerr.RewriteCantStart)
			return
		}
		c.R.Simple("Background append only file rewriting started")
	}
}
