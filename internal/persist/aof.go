package persist

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Fsync policies (appendfsync).
type Fsync int

const (
	FsyncEverySec Fsync = iota
	FsyncAlways
	FsyncNo
)

// ParseFsync reads an appendfsync value.
func ParseFsync(s string) (Fsync, bool) {
	switch s {
	case "always":
		return FsyncAlways, true
	case "everysec":
		return FsyncEverySec, true
	case "no":
		return FsyncNo, true
	}
	return 0, false
}

func (f Fsync) String() string {
	return [...]string{"everysec", "always", "no"}[f]
}

// Options configure an AOF.
type Options struct {
	Dir      string // the server's dir
	DirName  string // appenddirname, "appendonlydir" by default
	FileName string // appendfilename, "appendonly.aof" by default
	Fsync    Fsync
	// LoadTruncated accepts a torn tail (aof-load-truncated yes).
	LoadTruncated bool
	Logger        *slog.Logger
}

func (o *Options) defaults() {
	if o.DirName == "" {
		o.DirName = "appendonlydir"
	}
	if o.FileName == "" {
		o.FileName = "appendonly.aof"
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// AOF is an open append-only file.
type AOF struct {
	opts     Options
	dir      string // dir/appenddirname
	manifest *Manifest
	file     *os.File // the current incremental file

	mu       sync.Mutex
	cond     *sync.Cond
	pending  []byte
	spare    []byte
	appended int64 // bytes appended in total (the offset Wait compares)
	written  int64 // bytes written to the file
	synced   int64 // bytes fsynced
	leading  bool  // a leader is writing
	// Cohort gathering under appendfsync always (gather.go).
	gcond       *sync.Cond
	joinedSince int           // clients that began waiting since the last take
	lastCohort  int           // clients the last fsync served
	lastFsync   time.Duration // how long the last fsync took
	fsyncs      int64         // fsyncs by leaders (for benchmarks)
	gathering   bool
	gathered    bool        // the gathering time is up
	err         error       // a write or fsync failure; the AOF stops accepting
	broken      atomic.Bool // err is set (read without a.mu by Broken)
	lastDB      int

	stop chan struct{}
	done chan struct{}
}

// Open opens (creating if needed) the AOF directory, its manifest and its
// current incremental file. It does not load anything: call Load first
// when the data should be replayed.
func Open(opts Options) (*AOF, error) {
	opts.defaults()
	a := &AOF{opts: opts, dir: filepath.Join(opts.Dir, opts.DirName), lastDB: -1,
		stop: make(chan struct{}), done: make(chan struct{})}
	a.cond = sync.NewCond(&a.mu)
	a.gcond = sync.NewCond(&a.mu)
	if err := os.MkdirAll(a.dir, 0o755); err != nil {
		return nil, err
	}
	m, err := a.readManifest()
	if err != nil {
		return nil, err
	}
	if m == nil {
		// A new AOF: an empty base (the dataset at the moment
		// persistence starts is written by the first rewrite) and the
		// first incremental file.
		base := opts.FileName + ".1.base.aof"
		if err := writeFileAtomic(filepath.Join(a.dir, base), nil); err != nil {
			return nil, err
		}
		m = &Manifest{Files: []ManifestFile{
			{Name: base, Seq: 1, Type: TypeBase},
			{Name: opts.FileName + ".1.incr.aof", Seq: 1, Type: TypeIncr},
		}}
		if err := a.writeManifest(m); err != nil {
			return nil, err
		}
	}
	a.manifest = m
	incrs := m.Incrs()
	if len(incrs) == 0 {
		return nil, fmt.Errorf("AOF manifest %s names no incremental file", a.manifestPath())
	}
	last := incrs[len(incrs)-1]
	a.file, err = os.OpenFile(filepath.Join(a.dir, last.Name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	go a.syncLoop()
	return a, nil
}

func (a *AOF) manifestPath() string {
	return filepath.Join(a.dir, a.opts.FileName+".manifest")
}

func (a *AOF) readManifest() (*Manifest, error) {
	data, err := os.ReadFile(a.manifestPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m, err := ParseManifest(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.manifestPath(), err)
	}
	return m, nil
}

func (a *AOF) writeManifest(m *Manifest) error {
	return writeFileAtomic(a.manifestPath(), m.Encode())
}

// Files returns the paths of the base and incremental files, in load
// order.
func (a *AOF) Files() []string {
	var out []string
	if b, ok := a.manifest.Base(); ok {
		out = append(out, filepath.Join(a.dir, b.Name))
	}
	for _, f := range a.manifest.Incrs() {
		out = append(out, filepath.Join(a.dir, f.Name))
	}
	return out
}

// Append encodes one execution unit's effects. Each effect is a command
// in database db; a SELECT is written first when the database changes.
// It returns the offset a client must Wait for before it is answered.
func (a *AOF) Append(db int, args [][]byte) int64 {
	a.mu.Lock()
	if db != a.lastDB {
		a.pending = appendCommand(a.pending, []byte("SELECT"), []byte(strconv.Itoa(db)))
		a.lastDB = db
	}
	a.pending = appendCommand(a.pending, args...)
	n := a.appended + int64(len(a.pending))
	a.mu.Unlock()
	return n
}

// Offset is the total of bytes appended so far.
func (a *AOF) Offset() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.appended + int64(len(a.pending))
}

func appendCommand(dst []byte, args ...[]byte) []byte {
	dst = append(dst, '*')
	dst = strconv.AppendInt(dst, int64(len(args)), 10)
	dst = append(dst, '\r', '\n')
	for _, a := range args {
		dst = append(dst, '$')
		dst = strconv.AppendInt(dst, int64(len(a)), 10)
		dst = append(dst, '\r', '\n')
		dst = append(dst, a...)
		dst = append(dst, '\r', '\n')
	}
	return dst
}

// Wait returns once the bytes up to offset are in the file (and fsynced,
// under appendfsync always). It writes them itself when no other client is
// already doing so.
func (a *AOF) Wait(offset int64) error {
	return a.wait(offset, true)
}

// WaitBatch is Wait for a caller whose one call carries many clients'
// writes (the event loop, once per turn): a leader then writes at once,
// without gathering a cohort or yielding to let other clients append, as
// there are none to wait for.
func (a *AOF) WaitBatch(offset int64) error {
	return a.wait(offset, false)
}

func (a *AOF) wait(offset int64, group bool) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	needSync := a.opts.Fsync == FsyncAlways
	joined := !group
	for {
		if a.err != nil {
			return a.err
		}
		done := a.written
		if needSync {
			done = a.synced
		}
		if done >= offset {
			return nil
		}
		if needSync && !joined {
			joined = true
			a.joined()
		}
		if a.leading {
			a.cond.Wait()
			continue
		}
		a.lead(needSync, group)
	}
}

// lead writes everything pending (and fsyncs when asked) with a.mu
// released during the I/O, then wakes the waiters. Called with a.mu held.
// With group set the leader first lets other clients join: it gathers a
// cohort under "always" (gather.go) or yields once otherwise.
func (a *AOF) lead(fsync, group bool) {
	a.leading = true
	switch {
	case !group:
	case fsync:
		a.gather()
		a.taken()
	default:
		a.letOthersAppend()
	}
	buf := a.pending
	a.pending = a.spare[:0]
	end := a.appended + int64(len(buf))
	a.appended = end
	a.mu.Unlock()
	var err, werr error
	kept := 0 // bytes of buf that stay in the file after a failed write
	if len(buf) > 0 {
		var n int
		n, werr = a.file.Write(buf)
		if werr != nil && n > 0 {
			kept = a.cutShortWrite(n)
		}
		err = werr
	}
	if err == nil && fsync {
		t0 := time.Now()
		err = fdatasync(a.file)
		a.lastFsync = time.Since(t0) // read only under a.mu, by the next leader
	}
	if fsync {
		a.fsyncs++ // a.leading excludes other leaders; read under a.mu
	}
	a.mu.Lock()
	switch {
	case werr != nil:
		// What was not written goes back in front of what was appended
		// meanwhile, for the retry (syncLoop, once a second).
		rest := buf[kept:]
		a.pending = append(append(make([]byte, 0, len(rest)+len(a.pending)), rest...), a.pending...)
		a.appended = end - int64(len(rest))
		a.written += int64(kept)
		a.fail(fmt.Errorf("writing the AOF: %w", werr))
	case err != nil:
		a.written = end
		a.fail(fmt.Errorf("fsync of the AOF: %w", err))
	default:
		a.written = end
		if fsync {
			a.synced = end
		}
		if a.broken.Load() && (fsync || a.opts.Fsync != FsyncAlways) {
			a.err = nil
			a.broken.Store(false)
			a.opts.Logger.Warn("AOF write error looks solved, writes are accepted again")
		}
	}
	if cap(buf) <= 1<<20 {
		a.spare = buf[:0]
	}
	a.leading = false
	a.cond.Broadcast()
}

// fail records a write or fsync failure (with a.mu held): writes are
// refused (Broken) until a retry succeeds. It is logged once, not at every
// retry.
func (a *AOF) fail(err error) {
	if !a.broken.Load() {
		a.opts.Logger.Error("AOF write failed: writes are refused until it can be written again", "err", err)
	}
	a.err = err
	a.broken.Store(true)
}

// cutShortWrite removes the n bytes a failed write left at the end of the
// file, so that the retry writes its records whole. If the file cannot be
// cut, the n bytes stay, and the retry writes only the rest (as Redis
// does); it returns how many bytes stayed.
func (a *AOF) cutShortWrite(n int) int {
	st, err := a.file.Stat()
	if err == nil {
		err = a.file.Truncate(st.Size() - int64(n))
	}
	if err != nil {
		a.opts.Logger.Warn("Could not remove a short write from the AOF", "err", err)
		return n
	}
	return 0
}

// syncLoop writes what is pending and, under everysec, fsyncs once a
// second, so that data reaches the disk even when no client waits. The
// fsync runs without blocking writers (as Redis runs it in a background
// thread): clients keep appending and writing while it waits on the disk.
func (a *AOF) syncLoop() {
	defer close(a.done)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-a.stop:
			return
		case <-t.C:
		}
		a.mu.Lock()
		for a.leading {
			a.cond.Wait()
		}
		switch {
		case a.broken.Load():
			// try again: a write and an fsync that succeed end it
			a.lead(true, false)
		case len(a.pending) > 0:
			a.lead(false, false)
		}
		f, target, policy := a.file, a.written, a.opts.Fsync
		a.mu.Unlock()
		if policy != FsyncEverySec {
			continue
		}
		err := fdatasync(f)
		if errors.Is(err, os.ErrClosed) {
			continue // a rewrite switched files; it fsynced the old one
		}
		a.mu.Lock()
		if err != nil {
			a.fail(fmt.Errorf("fsync of the AOF: %w", err))
		} else if target > a.synced {
			a.synced = target
		}
		a.mu.Unlock()
	}
}

// Close writes and fsyncs what is pending and closes the file.
func (a *AOF) Close() error {
	close(a.stop)
	<-a.done
	a.mu.Lock()
	for a.leading {
		a.cond.Wait()
	}
	a.lead(true, false) // (after a failure, one last try)
	err := a.err
	a.mu.Unlock()
	if cerr := a.file.Close(); err == nil {
		err = cerr
	}
	return err
}

// fdatasync flushes the file's data (not its metadata, as Redis uses
// fdatasync on Linux): an append-only file needs its size, which
// fdatasync covers, not its modification time.
func fdatasync(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		for {
			serr = syscall.Fdatasync(int(fd))
			if serr != syscall.EINTR {
				return
			}
		}
	}); err != nil {
		return err
	}
	return serr
}

// Err is the write or fsync failure that stopped the AOF, if any.
func (a *AOF) Err() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.err
}

// Broken reports whether a write or fsync has failed (see Err), cheaply
// enough to ask before every write command.
func (a *AOF) Broken() bool { return a.broken.Load() }

// SetFsync changes the fsync policy (CONFIG SET appendfsync).
func (a *AOF) SetFsync(f Fsync) {
	a.mu.Lock()
	a.opts.Fsync = f
	a.mu.Unlock()
}
