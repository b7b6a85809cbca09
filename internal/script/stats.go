package script

import (
	"math"
	"math/bits"
	"slices"
)

// cacheEntry is what the cache keeps beside a script: how it was loaded,
// its place in the EVAL LRU list, its run statistics and the state of the
// undeclared-key warnings. Scripts not kept in the cache (a function
// library's, say) leave it zero and are not counted.
type cacheEntry struct {
	inCache bool // kept in Engine.scripts
	loaded  bool // SCRIPT LOAD-ed: never evicted
	// prev and next link the EVAL-only scripts, least recently used first.
	prev, next *Script

	stats runStats
	// bodyKeys is how many key arguments the body names as string
	// literals (found at load); warnedRun is set once the run-time
	// undeclared-key warning has been logged.
	bodyKeys  int
	warnedRun bool
}

// runStats are one script's figures for SCRIPT STATS.
type runStats struct {
	calls, errors int64
	totalNs       int64
	undeclared    int64 // key accesses not declared in KEYS
	// hist is allocated at the first timed run: a script that was only
	// loaded costs nothing.
	hist *histogram
}

// The run-time histogram is log-linear, as HdrHistogram's are: 8 linear
// sub-buckets per power of two of nanoseconds, so a bucket's upper bound
// is at most 12.5% above any run it holds. Values up to 2^40 ns (about 18
// minutes) have their own bucket; longer runs share the last. 304 uint32
// counters: 1216 bytes per script that has run, whatever the number of
// runs. A counter that would overflow halves every counter, which keeps
// the shape (and so the percentiles) of the distribution.
const (
	histSubBits = 3
	histSub     = 1 << histSubBits
	histMaxNs   = 1<<40 - 1
	histBuckets = (40-histSubBits-1)*histSub + 2*histSub
)

type histogram [histBuckets]uint32

func histIndex(ns int64) int {
	v := uint64(ns)
	if ns < 0 {
		v = 0
	}
	v = min(v, histMaxNs)
	if v < 2*histSub {
		return int(v)
	}
	s := bits.Len64(v) - histSubBits - 1
	return s*histSub + int(v>>s)
}

// histUpper is the largest value bucket i holds.
func histUpper(i int) int64 {
	if i < 2*histSub {
		return int64(i)
	}
	s := i/histSub - 1
	top := int64(i%histSub + histSub)
	return (top+1)<<s - 1
}

func (h *histogram) add(ns int64) {
	i := histIndex(ns)
	if h[i] == math.MaxUint32 {
		for j := range h {
			h[j] /= 2
		}
	}
	h[i]++
}

// quantile is the upper bound, in nanoseconds, of the bucket holding the
// q-th quantile of the recorded runs (0 with none).
func (h *histogram) quantile(q float64) int64 {
	var total uint64
	for _, n := range h {
		total += uint64(n)
	}
	if total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(total)))
	rank = max(rank, 1)
	var seen uint64
	for i, n := range h {
		seen += uint64(n)
		if seen >= rank {
			return histUpper(i)
		}
	}
	return histUpper(histBuckets - 1)
}

// record counts one run of a cached script: its time (timed false for a
// run refused before it started) and whether it replied with an error.
func (st *runStats) record(ns int64, timed, failed bool) {
	st.calls++
	if failed {
		st.errors++
	}
	if !timed {
		return
	}
	st.totalNs += ns
	if st.hist == nil {
		st.hist = new(histogram)
	}
	st.hist.add(ns)
}

// ScriptStats is one script's line of SCRIPT STATS.
type ScriptStats struct {
	SHA           string
	Calls, Errors int64
	// TotalUs is the time spent running the script; P99Us the 99th
	// percentile of one run's time (see histogram), both in microseconds.
	TotalUs, P99Us int64
	// Loaded is true for a script loaded by SCRIPT LOAD (never evicted),
	// false for one only ever sent with EVAL.
	Loaded bool
	// UndeclaredAccesses counts the key accesses of redis.call/pcall on
	// keys not among the script's KEYS; BodyKeys the key arguments the
	// body names as string literals.
	UndeclaredAccesses int64
	BodyKeys           int
}

func statsOf(s *Script) ScriptStats {
	st := &s.cached.stats
	out := ScriptStats{SHA: s.SHA, Calls: st.calls, Errors: st.errors, TotalUs: st.totalNs / 1000,
		Loaded: s.cached.loaded, UndeclaredAccesses: st.undeclared, BodyKeys: s.cached.bodyKeys}
	if st.hist != nil {
		out.P99Us = (st.hist.quantile(0.99) + 500) / 1000
	}
	return out
}

// StatsOf returns the statistics of one cached script, named by its SHA1
// in any case.
func (e *Engine) StatsOf(sha []byte) (ScriptStats, bool) {
	s := e.Lookup(sha)
	if s == nil {
		return ScriptStats{}, false
	}
	return statsOf(s), true
}

// AllStats returns the statistics of every cached script, ordered by SHA1.
func (e *Engine) AllStats() []ScriptStats {
	out := make([]ScriptStats, 0, len(e.scripts))
	for _, s := range e.scripts {
		out = append(out, statsOf(s))
	}
	slices.SortFunc(out, func(a, b ScriptStats) int {
		switch {
		case a.SHA < b.SHA:
			return -1
		case a.SHA > b.SHA:
			return 1
		}
		return 0
	})
	return out
}

// refused counts a run of a cached script refused before it started (OOM,
// a write from EVAL_RO): a call and an error, with no run time.
func (e *Engine) refused(s *Script) {
	if s.cached.inCache {
		s.cached.stats.record(0, false, true)
	}
}

// ResetStats is CONFIG RESETSTAT's part here: every script's counters and
// times, and INFO's evicted_scripts, start again from zero. (What a body
// names in its keys, and whether its warning was logged, stay.)
func (e *Engine) ResetStats() {
	for _, s := range e.scripts {
		s.cached.stats = runStats{}
	}
	e.cs.evicted = 0
}
