package persist

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/moonkv/moonkv/internal/resp"
)

// RDBLoader loads an RDB base file into the dataset.
type RDBLoader func(f *os.File) error

// Applier executes one command read from the AOF. It returns an error for
// a command that cannot be applied (unknown, wrong arity): the file is then
// not one moonkv or Redis wrote, and loading stops.
type Applier func(args [][]byte) error

// LoadStats tells what Load did.
type LoadStats struct {
	Commands  int
	Truncated bool  // a torn tail was cut
	CutAt     int64 // the size the last file was cut to
}

// Load replays the base and incremental files through apply. A torn tail
// of the last file is truncated away when LoadTruncated is set (and
// reported in the stats); any other damage is an error.
func (a *AOF) Load(loadRDB RDBLoader, apply Applier) (LoadStats, error) {
	var st LoadStats
	files := a.Files()
	for i, path := range files {
		last := i == len(files)-1
		if isRDB(path) {
			f, err := os.Open(path)
			if err != nil {
				return st, err
			}
			err = loadRDB(f)
			f.Close()
			if err != nil {
				return st, fmt.Errorf("%s: %w", path, err)
			}
			continue
		}
		if err := a.loadFile(path, last, apply, &st); err != nil {
			return st, err
		}
	}
	return st, nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (a *AOF) loadFile(path string, last bool, apply Applier, st *LoadStats) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) && last {
		return nil // the incremental file is created on first write
	}
	if err != nil {
		return err
	}
	defer f.Close()
	cr := &countingReader{r: f}
	rd := resp.NewReader(cr)
	inMulti := false
	var beforeMulti, prev int64
	for {
		args, err := rd.ReadCommand()
		consumed := cr.n - int64(rd.Buffered())
		if err != nil {
			torn := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
			if torn && rd.Buffered() == 0 && !inMulti {
				return nil // clean end
			}
			if !torn {
				return fmt.Errorf("bad file format reading the append only file %s at offset %d: %v (use redis-check-aof --fix to repair it)", path, consumed, err)
			}
			cut := consumed
			if inMulti {
				cut = beforeMulti
			}
			if !last || !a.opts.LoadTruncated {
				return fmt.Errorf("the append only file %s ends in the middle of a command (offset %d); set aof-load-truncated yes to load it cut there", path, consumed)
			}
			f.Close()
			if err := os.Truncate(path, cut); err != nil {
				return fmt.Errorf("truncating the append only file %s: %w", path, err)
			}
			st.Truncated, st.CutAt = true, cut
			what := "a torn command"
			if inMulti {
				what = "an unfinished MULTI/EXEC transaction"
			}
			a.opts.Logger.Warn("AOF loaded anyway because aof-load-truncated is enabled: removed "+what+" from the end",
				"file", path, "size", cut)
			return nil
		}
		switch {
		case len(args) == 1 && strings.EqualFold(string(args[0]), "multi"):
			inMulti, beforeMulti = true, prev
		case len(args) == 1 && strings.EqualFold(string(args[0]), "exec"):
			inMulti = false
		}
		if err := apply(args); err != nil {
			return fmt.Errorf("%s at offset %d: %v", path, consumed, err)
		}
		st.Commands++
		prev = consumed
	}
}
