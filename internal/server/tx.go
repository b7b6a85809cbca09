package server

import (
	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
)

// multiState is a client's open transaction: the commands queued since
// MULTI and whether one of them was refused (which makes EXEC fail with
// EXECABORT).
type multiState struct {
	cmds   []queued
	failed bool
}

type queued struct {
	spec *Spec
	args [][]byte
}

// writes reports whether a queued command is a write.
func (m *multiState) writes() bool {
	for _, q := range m.cmds {
		if q.spec.Flags&Write != 0 {
			return true
		}
	}
	return false
}

func (c *Client) flagMultiError() {
	if c.multi != nil {
		c.multi.failed = true
	}
}

// queue copies a command into the transaction: its arguments point into
// the read buffer, which the next read reuses.
func (c *Client) queue(spec *Spec, args [][]byte) {
	n := 0
	for _, a := range args {
		n += len(a)
	}
	buf := make([]byte, 0, n)
	cp := make([][]byte, len(args))
	for i, a := range args {
		buf = append(buf, a...)
		cp[i] = buf[len(buf)-len(a):]
	}
	c.multi.cmds = append(c.multi.cmds, queued{spec, cp})
}

type watchedKey struct {
	db  int
	key string
	// expired records that the key was already past its deadline when
	// watched; only a key that expires after WATCH fails the EXEC.
	expired bool
}

// watchTable maps, per database, each watched key to its watchers.
type watchTable struct {
	dbs []map[string][]*Client
	n   int
}

func (s *Server) keyModified(db *keyspace.DB, key []byte) {
	if s.watch.n == 0 {
		return
	}
	for _, c := range s.watch.dbs[db.ID][string(key)] {
		c.watchDirty = true
	}
}

// TouchWatchedInDB fails the transactions watching keys of db that exist in
// db or in other (nil for none): FLUSHDB and FLUSHALL call it before
// emptying db, SWAPDB for both databases before swapping them.
func (s *Server) TouchWatchedInDB(db, other *keyspace.DB) {
	if s.watch.n == 0 {
		return
	}
	for key, cs := range s.watch.dbs[db.ID] {
		k := []byte(key)
		if db.Exists(k) || (other != nil && other.Exists(k)) {
			for _, c := range cs {
				c.watchDirty = true
			}
		}
	}
}

func (c *Client) watchKey(db *keyspace.DB, key []byte) {
	for _, w := range c.watched {
		if w.db == db.ID && w.key == string(key) {
			return
		}
	}
	t := &c.srv.watch
	if t.dbs == nil {
		t.dbs = make([]map[string][]*Client, len(c.srv.KS.DBs))
	}
	if t.dbs[db.ID] == nil {
		t.dbs[db.ID] = map[string][]*Client{}
	}
	k := string(key)
	t.dbs[db.ID][k] = append(t.dbs[db.ID][k], c)
	t.n++
	c.watched = append(c.watched, watchedKey{db: db.ID, key: k, expired: db.IsExpired(key)})
}

func (c *Client) unwatchAll() {
	t := &c.srv.watch
	for _, w := range c.watched {
		m := t.dbs[w.db]
		list := m[w.key]
		for i, x := range list {
			if x == c {
				list = append(list[:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(m, w.key)
		} else {
			m[w.key] = list
		}
		t.n--
	}
	c.watched = c.watched[:0]
	c.watchDirty = false
}

// watchedExpired reports whether a watched key passed its deadline since it
// was watched (Redis 7.0 fails EXEC then, even before the key is removed).
func (c *Client) watchedExpired() bool {
	for _, w := range c.watched {
		if !w.expired && c.srv.KS.DBs[w.db].IsExpired([]byte(w.key)) {
			return true
		}
	}
	return false
}

// RegisterTx adds MULTI, EXEC, DISCARD, WATCH and UNWATCH.
func RegisterTx(r *Registry) {
	tx := CatTransaction
	r.Add(
		&Spec{Name: "multi", Arity: 1, Flags: NoScript | Loading | Stale | Fast | AllowBusy | TxControl, Categories: tx,
			Group: "transactions", Since: "1.2.0", Summary: "Starts a transaction.", Complexity: "O(1)", Handler: cmdMulti},
		&Spec{Name: "exec", Arity: 1, Flags: NoScript | Loading | Stale | SkipSlowlog | TxControl, Categories: tx,
			Group: "transactions", Since: "1.2.0", Summary: "Executes all commands in a transaction.", Complexity: "Depends on commands in the transaction", Handler: cmdExec},
		&Spec{Name: "discard", Arity: 1, Flags: NoScript | Loading | Stale | Fast | AllowBusy | TxControl, Categories: tx,
			Group: "transactions", Since: "2.0.0", Summary: "Discards a transaction.", Complexity: "O(N), when N is the number of queued commands", Handler: cmdDiscard},
		&Spec{Name: "watch", Arity: -2, Flags: NoScript | Loading | Stale | Fast | AllowBusy | TxControl, Categories: tx,
			KeySpecs: []KeySpec{{Flags: []string{"RO"}, BeginIndex: 1, LastKey: -1, KeyStep: 1}},
			Group:    "transactions", Since: "2.2.0", Summary: "Monitors changes to keys to determine the execution of a transaction.", Complexity: "O(1) for every key.",
			Args: []ArgDoc{{Name: "key", Type: "key", Multiple: true}}, Handler: cmdWatch},
		&Spec{Name: "unwatch", Arity: 1, Flags: NoScript | Loading | Stale | Fast | AllowBusy, Categories: tx,
			Group: "transactions", Since: "2.2.0", Summary: "Forgets about watched keys of a transaction.", Complexity: "O(1)", Handler: cmdUnwatch},
	)
}

func cmdMulti(c *Ctx) {
	if c.Client.multi != nil {
		c.Err(rerr.MultiNested)
		return
	}
	c.Client.multi = &multiState{}
	c.OK()
}

func cmdDiscard(c *Ctx) {
	if c.Client.multi == nil {
		c.Err(rerr.DiscardNoMulti)
		return
	}
	c.Client.multi = nil
	c.Client.unwatchAll()
	c.OK()
}

func cmdWatch(c *Ctx) {
	if c.Client.multi != nil {
		c.Err(rerr.WatchInMulti)
		return
	}
	for _, k := range c.Args[1:] {
		c.Client.watchKey(c.DB, k)
	}
	c.OK()
}

func cmdUnwatch(c *Ctx) {
	c.Client.unwatchAll()
	c.OK()
}

func cmdExec(c *Ctx) {
	cl := c.Client
	m := cl.multi
	if m == nil {
		c.Err(rerr.ExecNoMulti)
		return
	}
	cl.multi = nil
	defer cl.unwatchAll()
	if m.writes() {
		// persistence failed since the writes were queued: Redis's
		// processCommand refuses EXEC itself, discarding it
		if err := c.Srv.DiskError(); err != nil {
			c.Err(rerr.ExecAbortBecause(err))
			return
		}
	}
	if m.failed {
		c.Err(rerr.ExecAbort)
		return
	}
	if cl.watchDirty || cl.watchedExpired() {
		c.R.NullArray()
		return
	}
	s := c.Srv
	c.R.ArrayLen(len(m.cmds))
	wrote := false
	mark := s.EffectsMark()
	for _, q := range m.cmds {
		sub := Ctx{Srv: s, Client: cl, KS: s.KS, DB: s.KS.DBs[cl.db], R: c.R, Args: q.args, Spec: q.spec, InMulti: true}
		s.call(&sub)
		if q.spec.Flags&Write != 0 {
			wrote = true
		}
	}
	c.NoPropagate()
	// A transaction's effects reach the AOF as one MULTI/EXEC, so a crash
	// never leaves half of it on disk.
	if wrote {
		s.WrapEffects(mark)
	}
}

// EffectsMark returns a mark for WrapEffects.
func (s *Server) EffectsMark() int { return len(s.unitEffects) }

// WrapEffects surrounds the effects recorded since mark with MULTI/EXEC
// when there are two or more (EXEC, and scripts, call it).
func (s *Server) WrapEffects(mark int) {
	if s.Propagator == nil || len(s.unitEffects)-mark < 2 {
		return
	}
	db := s.unitEffects[mark][0]
	tail := append([][][]byte(nil), s.unitEffects[mark:]...)
	s.unitEffects = append(s.unitEffects[:mark], [][]byte{db, []byte("MULTI")})
	s.unitEffects = append(s.unitEffects, tail...)
	s.unitEffects = append(s.unitEffects, [][]byte{db, []byte("EXEC")})
}
