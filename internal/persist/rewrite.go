package persist

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// An AOF rewrite (BGREWRITEAOF) replaces the base and the incremental
// files with a new base holding the dataset of one instant, without
// stopping writes, as Redis 7.0's multi-part AOF does:
//
//  1. BeginRewrite, under the execution lock: the writes appended so far
//     are flushed to the current incremental file, a new incremental file
//     is opened for every later write, and the manifest is rewritten to
//     list it after the old ones. From here a crash loses nothing: the
//     old base, the old incremental files and the new one together are
//     the whole dataset.
//  2. The caller writes the new base — an RDB of the dataset at the
//     instant of step 1 (a keyspace.Snapshot) — to the path BeginRewrite
//     gave, in the background.
//  3. FinishRewrite: the manifest now names the new base and the new
//     incremental file only; the old files are removed. Until that
//     manifest is renamed into place the old one is valid; after it, the
//     new one is.

// Rewrite is a rewrite in progress.
type Rewrite struct {
	a        *AOF
	BasePath string // where the caller writes the new base (RDB format)
	baseName string
	incr     ManifestFile
	old      []ManifestFile
}

// BeginRewrite switches appends to a new incremental file. It must be
// called with the execution lock held, so no unit's effects straddle the
// switch.
func (a *AOF) BeginRewrite() (*Rewrite, error) {
	a.mu.Lock()
	for a.leading {
		a.cond.Wait()
	}
	// flush what is pending into the old incremental file
	if len(a.pending) > 0 {
		a.lead(a.opts.Fsync != FsyncNo, false)
	}
	if a.err != nil {
		err := a.err
		a.mu.Unlock()
		return nil, err
	}
	seq := 0
	for _, f := range a.manifest.Files {
		seq = max(seq, f.Seq)
	}
	seq++
	incr := ManifestFile{Name: fmt.Sprintf("%s.%d.incr.aof", a.opts.FileName, seq), Seq: seq, Type: TypeIncr}
	f, err := os.OpenFile(filepath.Join(a.dir, incr.Name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		a.mu.Unlock()
		return nil, err
	}
	m := &Manifest{Files: append(append([]ManifestFile(nil), a.manifest.Files...), incr)}
	if err := a.writeManifest(m); err != nil {
		f.Close()
		os.Remove(f.Name())
		a.mu.Unlock()
		return nil, err
	}
	fdatasync(a.file)
	a.file.Close()
	a.file = f
	old := a.manifest.Files
	a.manifest = m
	a.lastDB = -1 // the new file starts with a SELECT
	a.mu.Unlock()
	base := fmt.Sprintf("%s.%d.base.rdb", a.opts.FileName, seq)
	return &Rewrite{a: a, BasePath: filepath.Join(a.dir, base), baseName: base, incr: incr, old: old}, nil
}

// Finish installs the new base (already written and fsynced at BasePath)
// and drops the files it replaces.
func (rw *Rewrite) Finish() error {
	a := rw.a
	a.mu.Lock()
	m := &Manifest{Files: []ManifestFile{{Name: rw.baseName, Seq: rw.incr.Seq, Type: TypeBase}}}
	// incremental files opened after this rewrite began stay
	for _, f := range a.manifest.Files {
		if f.Type == TypeIncr && f.Seq >= rw.incr.Seq {
			m.Files = append(m.Files, f)
		}
	}
	if err := a.writeManifest(m); err != nil {
		a.mu.Unlock()
		return err
	}
	a.manifest = m
	a.mu.Unlock()
	for _, f := range rw.old {
		os.Remove(filepath.Join(a.dir, f.Name))
	}
	return nil
}

// Abort gives up a rewrite: the new base is removed and the manifest keeps
// listing the old files followed by the new incremental one, which is
// correct as it stands.
func (rw *Rewrite) Abort() {
	os.Remove(rw.BasePath)
}

// isRDB reports whether a base file is in RDB format.
func isRDB(path string) bool { return strings.HasSuffix(path, ".rdb") }

// Size is the total size of the AOF's files (INFO aof_current_size).
func (a *AOF) Size() int64 {
	var n int64
	for _, p := range a.Files() {
		if st, err := os.Stat(p); err == nil {
			n += st.Size()
		}
	}
	a.mu.Lock()
	n += int64(len(a.pending))
	a.mu.Unlock()
	return n
}
