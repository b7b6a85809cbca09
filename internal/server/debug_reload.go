package server

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/persist"
	"github.com/moonkv/moonkv/internal/rerr"
)

// Operations behind DEBUG RELOAD, DEBUG LOADAOF and DEBUG
// SET-ACTIVE-EXPIRE. They use the same writer and loaders as SAVE and the
// start (saveSync, persist.LoadRDB, AOF.Load through replay), so a RELOAD
// that keeps every key is evidence that a restart would.

// ReloadOptions are DEBUG RELOAD's MERGE, NOFLUSH and NOSAVE.
type ReloadOptions struct {
	Merge, NoFlush, NoSave bool
}

// errDuplicateKey marks a load refused because a key of the file already
// exists (NOFLUSH without MERGE). Redis panics there; moonkv refuses the
// load and keeps running.
var errDuplicateKey = errors.New("RDB has duplicated key")

// DebugReload saves dbfilename (unless NoSave), empties the dataset
// (unless NoFlush) and loads the file back. It returns rerr.DebugSaveFailed
// when the save fails (nothing was changed then) and
// rerr.DebugReloadFailed when the load fails. Called with the execution
// lock held.
func (s *Server) DebugReload(o ReloadOptions) error {
	if !o.NoSave {
		if err := s.saveForReload(); err != nil {
			return rerr.DebugSaveFailed
		}
	}
	path := filepath.Join(s.Cfg.Dir, s.Cfg.DBFilename)
	// Emptying and loading are not changes to save (Redis's dbAdd on load
	// leaves server.dirty alone).
	dirty := s.KS.Dirty
	defer func() { s.KS.Dirty = dirty }()
	// Nothing of a reload is propagated (the libraries are loaded through
	// FUNCTION's own handlers, which would).
	prop := s.Propagator
	s.Propagator = nil
	defer func() { s.Propagator = prop }()
	strict := o.NoFlush && !o.Merge
	if strict {
		// Refuse before touching any key when a key of the file exists;
		// the file's libraries go first, as they come first in the file,
		// and one that exists already fails the load.
		funcs, err := s.checkNoDuplicates(path)
		if err == nil {
			err = s.loadFunctionsNoReplace(funcs)
		}
		if err != nil {
			s.Log.Warn("DEBUG RELOAD refused", "err", err)
			return rerr.DebugReloadFailed
		}
	}
	if !o.NoFlush {
		s.emptyData()
		s.flushFunctions()
	}
	start := time.Now()
	st, err := s.loadRDBFile(path, s.KS)
	if err == nil && !strict {
		err = s.LoadFunctionCodes(st.Functions)
	}
	if err != nil {
		s.Log.Warn("Error trying to load the RDB dump", "file", path, "err", err)
		return rerr.DebugReloadFailed
	}
	s.Log.Info("DB reloaded by DEBUG RELOAD", "keys", st.Keys, "expired_skipped", st.Expired,
		"seconds", fmt.Sprintf("%.3f", time.Since(start).Seconds()))
	return nil
}

// saveForReload is SAVE's foreground save, done even while a BGSAVE runs
// (as Redis's rdbSave is): the running job keeps its own temporary file.
func (s *Server) saveForReload() error {
	if j := s.pers.job; j != nil && !j.rewrite {
		return s.saveRDB(fmt.Sprintf("temp-reload-%d.rdb", os.Getpid()))
	}
	return s.saveSync()
}

// loadRDBFile loads an RDB file into ks through the loader the start uses.
func (s *Server) loadRDBFile(path string, ks *keyspace.Keyspace) (persist.RDBLoadStats, error) {
	f, err := os.Open(path)
	if err != nil {
		return persist.RDBLoadStats{}, err
	}
	defer f.Close()
	return persist.LoadRDB(f, ks)
}

// checkNoDuplicates loads the file into a scratch keyspace and reports the
// first of its keys that already exists in the dataset; it returns the
// file's function libraries.
func (s *Server) checkNoDuplicates(path string) ([][]byte, error) {
	tmp := keyspace.New(len(s.KS.DBs), s.KS.Clock)
	tmp.Now, tmp.Limits = s.KS.Now, s.KS.Limits
	st, err := s.loadRDBFile(path, tmp)
	if err != nil {
		return nil, err
	}
	for i, db := range tmp.DBs {
		var dup string
		db.Range(func(k string, _ *keyspace.Entry) bool {
			if s.KS.DBs[i].Exists([]byte(k)) {
				dup = k
				return false
			}
			return true
		})
		if dup != "" {
			return nil, fmt.Errorf("%w '%s' in DB %d", errDuplicateKey, dup, i)
		}
	}
	return st.Functions, nil
}

// emptyData removes every key as Redis's emptyData does for a reload:
// transactions watching existing keys fail.
func (s *Server) emptyData() {
	for _, db := range s.KS.DBs {
		s.TouchWatchedInDB(db, nil)
	}
	s.KS.FlushAll()
	s.KS.ThawFinished()
}

// DebugLoadAOF writes what is pending to the AOF, empties the dataset and
// replays the AOF's files, as DEBUG LOADAOF does. With appendonly off
// there is no AOF to load: Redis 7.0.15 crashes there; moonkv replies the
// load error.
func (s *Server) DebugLoadAOF() error {
	a := s.pers.aof
	if a == nil {
		s.Log.Warn("DEBUG LOADAOF: the append only file is off")
		return rerr.DebugLoadAOFFailed
	}
	if err := a.Wait(a.Offset()); err != nil {
		s.Log.Warn("DEBUG LOADAOF: flushing the AOF", "err", err)
		return rerr.DebugLoadAOFFailed
	}
	if j := s.pers.job; j != nil && j.rewrite {
		// the rewrite's base would describe the dataset being replaced
		s.abortJob()
	}
	s.emptyData()
	// Replayed commands must not be appended again.
	prop := s.Propagator
	s.Propagator = nil
	defer func() { s.Propagator = prop }()
	s.flushFunctions()
	st, err := s.replayAOF(a)
	if err != nil {
		s.Log.Warn("DEBUG LOADAOF failed", "err", err)
		return rerr.DebugLoadAOFFailed
	}
	// as Redis zeroes server.dirty: nothing loaded counts as a change
	s.KS.Dirty = s.adm.dirtyAtSave
	s.Log.Info("Append Only File loaded by DEBUG LOADAOF", "commands", st.Commands)
	return nil
}

// SetActiveExpire turns the periodic expiry of keys on or off (DEBUG
// SET-ACTIVE-EXPIRE); keys still expire when they are accessed.
func (s *Server) SetActiveExpire(on bool) { s.dbg.activeExpireOff = !on }

// debugState is what DEBUG subcommands switch at run time.
type debugState struct {
	activeExpireOff bool
	cronPaused      bool
}

// SetCronPaused stops (or resumes) the periodic task: active expiry,
// rehashing, save points and client timeouts (DEBUG PAUSE-CRON).
func (s *Server) SetCronPaused(on bool) { s.dbg.cronPaused = on }
