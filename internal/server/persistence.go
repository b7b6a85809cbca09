package server

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/persist"
	"github.com/moonkv/moonkv/internal/rerr"
)

// persistState is the server's side of persistence: the open AOF, the
// background job (a BGSAVE or an AOF rewrite; one at a time, as Redis
// allows one child), and the figures INFO persistence reports.
type persistState struct {
	aof *persist.AOF
	// unitOffset is the AOF offset after the last unit's effects.
	unitOffset int64

	job        *bgJob // the running background job, nil when none
	rewriteDue bool   // BGREWRITEAOF asked while a BGSAVE ran
	saveDue    bool   // BGSAVE SCHEDULE asked while a rewrite ran
	// lastBgsaveTry is when a BGSAVE last started (Unix seconds): save
	// points wait bgsaveRetryDelay after a failed one
	lastBgsaveTry int64

	mu              sync.Mutex // guards the figures below (read by INFO)
	lastBgsaveOK    bool
	lastBgsaveSecs  int64
	lastRewriteOK   bool
	lastRewriteSecs int64
	rewrites        int64
	rewriteBaseSize int64 // AOF size after the last rewrite or load
	loadedAt        time.Time
}

// bgJob is a background snapshot being written.
type bgJob struct {
	rewrite bool // an AOF rewrite; otherwise a BGSAVE
	start   time.Time
	snap    *keyspace.Snapshot
	w       *persist.RDBWriter
	buf     chunkBuffer
	file    *os.File
	tmp     string
	rw      *persist.Rewrite
	err     error
	// aborted is set under the lock by abortJob; the job's goroutine,
	// which owns the file, cleans up when it next takes the lock.
	aborted bool
}

// chunkBuffer collects the RDB bytes emitted under the execution lock;
// the job's goroutine writes them to disk outside it.
type chunkBuffer struct{ b []byte }

func (c *chunkBuffer) Write(p []byte) (int, error) {
	c.b = append(c.b, p...)
	return len(p), nil
}

// OpenPersistence loads the data at start: the AOF when appendonly is on
// (and then appends to it), otherwise dbfilename when it exists. cmd/moonkv
// and moonkv.Start call it before Serve.
func (s *Server) OpenPersistence() error {
	s.Hooks.Save = s.saveForShutdown
	start := time.Now()
	s.KS.Tick()
	if !s.Cfg.AppendOnly {
		path := filepath.Join(s.Cfg.Dir, s.Cfg.DBFilename)
		f, err := os.Open(path)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		defer f.Close()
		st, err := persist.LoadRDB(f, s.KS)
		if err == nil {
			err = s.LoadFunctionCodes(st.Functions)
		}
		if err != nil {
			return fmt.Errorf("loading %s: %w", path, err)
		}
		s.KS.Dirty = 0
		s.Log.Info("DB loaded from disk", "seconds", fmt.Sprintf("%.3f", time.Since(start).Seconds()),
			"keys", st.Keys, "expired_skipped", st.Expired)
		return nil
	}
	return s.openAOF(start)
}

func (s *Server) openAOF(start time.Time) error {
	policy, ok := persist.ParseFsync(s.Cfg.AppendFsync)
	if !ok {
		policy = persist.FsyncEverySec
	}
	a, err := persist.Open(persist.Options{
		Dir:           s.Cfg.Dir,
		DirName:       s.Cfg.AppendDirname,
		FileName:      s.Cfg.AppendFilename,
		Fsync:         policy,
		LoadTruncated: s.Cfg.AOFLoadTruncated,
		Logger:        s.Log,
	})
	if err != nil {
		return err
	}
	st, err := s.replayAOF(a)
	if err != nil {
		a.Close()
		return fmt.Errorf("loading the AOF: %w", err)
	}
	s.KS.Dirty = 0
	s.Log.Info("DB loaded from append only file", "seconds", fmt.Sprintf("%.3f", time.Since(start).Seconds()),
		"commands", st.Commands, "keys", s.keyCount())
	s.attachAOF(a)
	return nil
}

// replayAOF loads the AOF's files into the keyspace: an RDB base (keys
// and function libraries) or a RESP base, then the incremental files,
// each command run as the loading client (at start and DEBUG LOADAOF).
func (s *Server) replayAOF(a *persist.AOF) (persist.LoadStats, error) {
	loader := &Client{ID: 0, srv: s, authed: true, Created: time.Now()}
	return a.Load(func(f *os.File) error {
		st, err := persist.LoadRDB(f, s.KS)
		if err == nil {
			err = s.LoadFunctionCodes(st.Functions)
		}
		return err
	}, func(args [][]byte) error { return s.replay(loader, args) })
}

// attachAOF makes a the destination of every unit's effects.
func (s *Server) attachAOF(a *persist.AOF) {
	s.pers.aof = a
	s.pers.rewriteBaseSize = a.Size()
	s.Propagator = func(effects []Effect) {
		var off int64
		for _, e := range effects {
			off = a.Append(e.DB, e.Args)
		}
		s.pers.unitOffset = off
	}
}

// replay applies one command read from the AOF, as the loading client.
func (s *Server) replay(c *Client, args [][]byte) error {
	spec, err := s.resolve(args)
	if err != nil {
		return err
	}
	if c.multi != nil && !spec.Is(TxControl) {
		c.queue(spec, args)
		return nil
	}
	ctx := Ctx{Srv: s, Client: c, KS: s.KS, DB: s.KS.DBs[c.db], R: &c.out, Args: args, Spec: spec}
	spec.Handler(&ctx)
	c.out.Reset()
	return nil
}

// dbSizes are each database's key and expiry counts, for RESIZEDB.
func (s *Server) dbSizes() [][2]int {
	sizes := make([][2]int, len(s.KS.DBs))
	for i, db := range s.KS.DBs {
		sizes[i] = [2]int{db.Len(), db.ExpiresLen()}
	}
	return sizes
}

func (s *Server) keyCount() int {
	n := 0
	for _, db := range s.KS.DBs {
		n += db.Len()
	}
	return n
}

// closePersistence finishes at stop: the AOF is flushed and fsynced.
func (s *Server) closePersistence() {
	if s.pers.job != nil {
		s.abortJob()
	}
	if s.pers.aof != nil {
		if err := s.pers.aof.Close(); err != nil {
			s.Log.Error("closing the AOF", "err", err)
		}
	}
}

// waitDurable holds a client's replies until its writes are on disk as the
// fsync policy demands (see package persist).
func (c *Client) waitDurable() bool {
	off := c.durableAt
	c.durableAt = 0
	return c.srv.waitDurableOffset(off, false)
}

// DiskError is the error that refuses write commands (and PING) while
// persistence is failing, as Redis's writeCommandsDeniedByDiskError: the
// last BGSAVE failed while save points and stop-writes-on-bgsave-error
// are on, or the AOF could not be written. nil when writes may go on.
// Called with the execution lock held.
func (s *Server) DiskError() error {
	if !s.pers.lastBgsaveOK && s.Cfg.StopWritesOnBgsaveError && len(s.Cfg.Save) > 0 {
		return rerr.MisconfRDB
	}
	if a := s.pers.aof; a != nil && a.Broken() {
		return rerr.MisconfAOF(a.Err())
	}
	return nil
}

// waitDurableOffset waits until the AOF holds everything up to off; false
// when it cannot (the client is then disconnected unanswered). batch is
// set by the event loop, whose one wait serves all the clients of a turn.
func (s *Server) waitDurableOffset(off int64, batch bool) bool {
	if off == 0 || s.pers.aof == nil {
		return true
	}
	wait := s.pers.aof.Wait
	if batch {
		wait = s.pers.aof.WaitBatch
	}
	if err := wait(off); err != nil {
		s.Log.Error("AOF", "err", err)
		return false
	}
	return true
}

// rdbAux are the auxiliary fields Redis writes at the head of an RDB.
func (s *Server) rdbAux(aofBase bool) (map[string]string, []string) {
	base := "0"
	if aofBase {
		base = "1"
	}
	aux := map[string]string{
		"redis-ver":  RedisVersion,
		"redis-bits": "64",
		"ctime":      strconv.FormatInt(time.Now().Unix(), 10),
		"used-mem":   strconv.FormatInt(usedMemory(), 10),
		"aof-base":   base,
	}
	return aux, []string{"redis-ver", "redis-bits", "ctime", "used-mem", "aof-base"}
}

// saveSync writes dbfilename in the foreground (SAVE, SHUTDOWN SAVE),
// through a temporary file that is fsynced and renamed. Called with the
// execution lock held.
func (s *Server) saveSync() error {
	if s.pers.job != nil && !s.pers.job.rewrite {
		return rerr.BgsaveInProgress
	}
	return s.saveRDB(fmt.Sprintf("temp-%d.rdb", os.Getpid()))
}

// saveRDB is saveSync's work, through the temporary file tmpName in dir
// (DEBUG RELOAD saves beside a running BGSAVE under another name).
func (s *Server) saveRDB(tmpName string) error {
	path := filepath.Join(s.Cfg.Dir, s.Cfg.DBFilename)
	tmp := filepath.Join(s.Cfg.Dir, tmpName)
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	aux, order := s.rdbAux(false)
	w := persist.NewRDBWriter(f, aux, order)
	w.SetDBSizes(s.dbSizes())
	w.Functions(s.functionCodes())
	for _, db := range s.KS.DBs {
		db.Range(func(k string, e *keyspace.Entry) bool {
			err = w.Entry(db.ID, k, e)
			return err == nil
		})
		if err != nil {
			break
		}
	}
	if err == nil {
		err = w.Close()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		s.Log.Warn("Failed saving the DB", "err", err)
		return err
	}
	s.SetLastSave(time.Now().Unix())
	s.pers.mu.Lock()
	s.pers.lastBgsaveOK = true // as Redis's rdbSave: writes may resume
	s.pers.mu.Unlock()
	s.Log.Info("DB saved on disk")
	return nil
}

// saveForShutdown is the final save of SHUTDOWN and SIGTERM: a background
// job in progress is abandoned (as Redis kills its child) and the dataset
// saved in the foreground.
func (s *Server) saveForShutdown() error {
	if s.pers.job != nil {
		s.abortJob()
	}
	return s.saveSync()
}

// startJob begins a background snapshot: a BGSAVE to dbfilename, or an AOF
// rewrite's new base. Called with the execution lock held.
func (s *Server) startJob(rewrite bool) error {
	j := &bgJob{rewrite: rewrite, start: time.Now()}
	var path string
	if rewrite {
		rw, err := s.pers.aof.BeginRewrite()
		if err != nil {
			return err
		}
		j.rw, path = rw, rw.BasePath
		j.tmp = path + ".tmp"
	} else {
		path = filepath.Join(s.Cfg.Dir, s.Cfg.DBFilename)
		j.tmp = filepath.Join(s.Cfg.Dir, fmt.Sprintf("temp-%d.rdb", os.Getpid()))
	}
	if !rewrite {
		s.pers.lastBgsaveTry = time.Now().Unix()
	}
	f, err := os.Create(j.tmp)
	if err != nil {
		// Redis's child creates this file: the command has answered
		// "started" by then, and the failure shows in INFO persistence
		// (and, for a BGSAVE, stops writes: DiskError).
		s.Log.Warn("Failed opening the temp file for the background job", "file", j.tmp, "err", err)
		j.err = err
		s.finishJob(j)
		return nil
	}
	j.file = f
	aux, order := s.rdbAux(rewrite)
	j.w = persist.NewRDBWriter(&j.buf, aux, order)
	j.w.SetDBSizes(s.dbSizes())
	j.w.Functions(s.functionCodes())
	j.snap = s.KS.BeginSnapshot(func(db int, key string, e *keyspace.Entry) {
		if j.err == nil {
			j.err = j.w.Entry(db, key, e)
		}
	})
	s.pers.job = j
	s.wg.Add(1)
	go s.runJob(j, path)
	return nil
}

// runJob walks the snapshot in steps under the lock and writes each step's
// bytes outside it, so clients keep being served.
func (s *Server) runJob(j *bgJob, path string) {
	defer s.wg.Done()
	// j.err is also set by the snapshot's emit, which runs under the lock
	// from other clients' commands: it is only touched under the lock
	// until the snapshot is closed; a file write's error waits in werr.
	var werr error
	var spare []byte
	for {
		if !s.tryLockFor(s.ctx) {
			return
		}
		if j.aborted {
			s.unlock()
			j.file.Close()
			os.Remove(j.tmp)
			return
		}
		if j.err == nil {
			j.err = werr
		}
		s.KS.Tick()
		done := j.snap.Step(1000)
		if done {
			j.snap.Close()
			if j.err == nil {
				j.err = j.w.Close()
			}
		} else {
			j.w.Flush()
		}
		// the buffers take turns: one fills under the lock while the
		// other goes to disk
		chunk := j.buf.b
		j.buf.b, spare = spare[:0], nil
		failed := j.err != nil
		s.unlock()
		if !failed && werr == nil && len(chunk) > 0 {
			_, werr = j.file.Write(chunk)
		}
		if cap(chunk) <= 4<<20 {
			spare = chunk
		}
		if done {
			break
		}
	}
	if j.err == nil {
		j.err = werr
	}
	if j.err == nil {
		j.err = j.file.Sync()
	}
	if cerr := j.file.Close(); j.err == nil {
		j.err = cerr
	}
	if !s.tryLockFor(s.ctx) {
		os.Remove(j.tmp)
		return
	}
	defer s.unlock()
	if j.aborted {
		os.Remove(j.tmp)
		return
	}
	// renamed under the lock, so an abort cannot slip in between
	if j.err == nil {
		j.err = os.Rename(j.tmp, path)
	}
	s.finishJob(j)
}

// finishJob records a job's outcome under the lock and starts whatever was
// scheduled behind it.
func (s *Server) finishJob(j *bgJob) {
	secs := int64(time.Since(j.start).Seconds())
	s.pers.job = nil
	s.pers.mu.Lock()
	if j.rewrite {
		s.pers.lastRewriteOK, s.pers.lastRewriteSecs = j.err == nil, secs
		if j.err == nil {
			s.pers.rewrites++
		}
	} else {
		s.pers.lastBgsaveOK, s.pers.lastBgsaveSecs = j.err == nil, secs
	}
	s.pers.mu.Unlock()
	switch {
	case j.err != nil:
		os.Remove(j.tmp)
		if j.rw != nil {
			j.rw.Abort()
		}
		s.Log.Warn("Background job failed", "rewrite", j.rewrite, "err", j.err)
	case j.rewrite:
		if err := j.rw.Finish(); err != nil {
			s.pers.mu.Lock()
			s.pers.lastRewriteOK = false
			s.pers.mu.Unlock()
			s.Log.Warn("Background AOF rewrite failed installing the new manifest", "err", err)
		} else {
			s.pers.rewriteBaseSize = s.pers.aof.Size()
			s.Log.Info("Background AOF rewrite finished successfully")
		}
	default:
		s.SetLastSave(time.Now().Unix())
		s.Log.Info("Background saving terminated with success")
	}
	if s.pers.rewriteDue && s.pers.aof != nil {
		s.pers.rewriteDue = false
		s.startJob(true)
	} else if s.pers.saveDue {
		s.pers.saveDue = false
		s.startJob(false)
	}
}

// abortJob abandons the running job, under the lock. Its goroutine sees
// the mark and removes its temporary file; the manifest of an abandoned
// rewrite stays valid as it is (see persist.Rewrite.Abort).
func (s *Server) abortJob() {
	j := s.pers.job
	s.pers.job = nil
	j.aborted = true
	j.snap.Close()
	if j.rw != nil {
		j.rw.Abort()
	}
}

const bgsaveRetryDelay = 5 // seconds

// persistCron runs the save points and the automatic AOF rewrite; called
// from cron with the lock held.
func (s *Server) persistCron() {
	if s.pers.job != nil {
		return
	}
	now := time.Now().Unix()
	changes := s.KS.Dirty - s.adm.dirtyAtSave
	// after a failed BGSAVE, save points try again every 5 seconds (as
	// Redis's CONFIG_BGSAVE_RETRY_DELAY), not at every tick
	retry := s.pers.lastBgsaveOK || now-s.pers.lastBgsaveTry > bgsaveRetryDelay
	for _, sp := range s.Cfg.Save {
		if retry && changes >= int64(sp.Changes) && now-s.LastSave() >= int64(sp.Seconds) {
			s.Log.Info("changes in seconds: saving", "changes", sp.Changes, "seconds", sp.Seconds)
			if err := s.startJob(false); err != nil {
				s.Log.Warn("Can't save in background", "err", err)
			}
			return
		}
	}
	if a := s.pers.aof; a != nil && s.Cfg.AutoAOFRewritePercent > 0 {
		size, base := a.Size(), max(s.pers.rewriteBaseSize, 1)
		if size >= s.Cfg.AutoAOFRewriteMinSize && (size-base)*100/base >= int64(s.Cfg.AutoAOFRewritePercent) {
			s.Log.Info("Starting automatic rewriting of AOF", "growth_pct", (size-base)*100/base)
			if err := s.startJob(true); err != nil {
				s.Log.Warn("Can't rewrite the AOF in background", "err", err)
			}
		}
	}
}

// usedMemory is the bytes of live heap objects, read without stopping the
// world (runtime.ReadMemStats would).
func usedMemory() int64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(sample[0].Value.Uint64())
}

// SignalShutdown stops the server on sig ("SIGTERM" or "SIGINT") as
// Redis does: a busy script is killed, the final save runs as
// shutdown-on-sigterm / shutdown-on-sigint say (by default when save
// points are configured), the AOF is flushed, then everything closes. If
// the final save fails, the server keeps running, data and all, unless
// the flags include force, and SignalShutdown reports false: exiting would
// throw away what could not be saved.
func (s *Server) SignalShutdown(sig string) bool {
	for !s.lock() {
		if s.Scripts != nil {
			s.Scripts.Kill(false)
		}
		time.Sleep(10 * time.Millisecond)
	}
	flags := s.Cfg.ShutdownOnSigterm
	if sig == "SIGINT" {
		flags = s.Cfg.ShutdownOnSigint
	}
	var save, nosave, force bool
	for _, f := range strings.Fields(flags) {
		switch f {
		case "save":
			save = true
		case "nosave":
			nosave = true
		case "force":
			force = true
		}
	}
	err := s.PrepareShutdown(save, nosave, force)
	s.unlock()
	if err != nil {
		s.Log.Warn(sig + " received but errors trying to shut down the server, check the logs for more information")
		return false
	}
	s.Close()
	return true
}

// persistFigures are what INFO persistence reports.
type persistFigures struct {
	aofOn, bgsaveRunning, rewriteRunning, rewriteDue bool
	lastBgsaveOK, lastRewriteOK, lastWriteOK         bool
	lastBgsaveSecs, curBgsaveSecs                    int64
	lastRewriteSecs, curRewriteSecs                  int64
	rewrites, aofSize, aofBaseSize                   int64
}

// persistInfo gathers the figures; called with the execution lock held.
func (s *Server) persistInfo() persistFigures {
	p := &s.pers
	f := persistFigures{aofOn: p.aof != nil, rewriteDue: p.rewriteDue, curBgsaveSecs: -1, curRewriteSecs: -1, lastWriteOK: true}
	p.mu.Lock()
	f.lastBgsaveOK, f.lastRewriteOK = p.lastBgsaveOK, p.lastRewriteOK
	f.lastBgsaveSecs, f.lastRewriteSecs, f.rewrites = p.lastBgsaveSecs, p.lastRewriteSecs, p.rewrites
	p.mu.Unlock()
	if j := p.job; j != nil {
		secs := int64(time.Since(j.start).Seconds())
		if j.rewrite {
			f.rewriteRunning, f.curRewriteSecs = true, secs
		} else {
			f.bgsaveRunning, f.curBgsaveSecs = true, secs
		}
	}
	if p.aof != nil {
		f.aofSize, f.aofBaseSize = p.aof.Size(), p.rewriteBaseSize
		f.lastWriteOK = p.aof.Err() == nil
	}
	return f
}

// applyAppendOnly starts or stops the AOF at run time (CONFIG SET
// appendonly): starting writes a base of the current dataset by a
// rewrite, as Redis does, and appends from that instant.
func applyAppendOnly(s *Server, old *Config) error {
	if s.Cfg.AppendOnly == (s.pers.aof != nil) || len(s.listeners) == 0 {
		return nil // unchanged, or not serving yet: OpenPersistence decides
	}
	if !s.Cfg.AppendOnly {
		if j := s.pers.job; j != nil && j.rewrite {
			s.abortJob()
		}
		s.Propagator = nil
		err := s.pers.aof.Close()
		s.pers.aof = nil
		return err
	}
	if s.pers.job != nil {
		s.abortJob()
	}
	if err := s.openAOFLive(); err != nil {
		return err
	}
	return s.startJob(true)
}

// openAOFLive opens the AOF without loading it (the dataset in memory is
// the truth; the rewrite that follows makes the files match it).
func (s *Server) openAOFLive() error {
	policy, _ := persist.ParseFsync(s.Cfg.AppendFsync)
	a, err := persist.Open(persist.Options{Dir: s.Cfg.Dir, DirName: s.Cfg.AppendDirname, FileName: s.Cfg.AppendFilename,
		Fsync: policy, LoadTruncated: s.Cfg.AOFLoadTruncated, Logger: s.Log})
	if err != nil {
		return err
	}
	s.attachAOF(a)
	return nil
}

func applyAppendFsync(s *Server, old *Config) error {
	if s.pers.aof != nil {
		policy, _ := persist.ParseFsync(s.Cfg.AppendFsync)
		s.pers.aof.SetFsync(policy)
	}
	return nil
}
