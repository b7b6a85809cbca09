package script

// EvalCacheMax is how many scripts that reached the cache only through
// EVAL it keeps, as Redis 7.4 does: beyond it the least recently used is
// evicted (and EVALSHA of it answers NOSCRIPT, so clients send the body
// again). Scripts loaded by SCRIPT LOAD are never evicted.
const EvalCacheMax = 500

// cacheState is the engine's part of the cache bookkeeping.
type cacheState struct {
	// head and tail of the EVAL-only scripts, least recently used first.
	head, tail *Script
	n          int
	// max overrides EvalCacheMax when positive (tests).
	max int
	// evicted counts evictions for INFO stats (evicted_scripts).
	evicted int64
	// loadedAt is when the last compile ended (Server.MonoNow): a run
	// in the same command starts from there.
	loadedAt int64

	watch replyWatch
	kc    keyCheck
}

func (e *Engine) evalMax() int {
	if e.cs.max > 0 {
		return e.cs.max
	}
	return EvalCacheMax
}

// SetEvalCacheMax changes the number of EVAL-only scripts kept (0 restores
// EvalCacheMax), evicting at once beyond it.
func (e *Engine) SetEvalCacheMax(n int) {
	e.cs.max = n
	for e.cs.n > e.evalMax() {
		e.evict(e.cs.head)
	}
}

// EvictedScripts is INFO's evicted_scripts.
func (e *Engine) EvictedScripts() int64 { return e.cs.evicted }

// EvalCached is the number of scripts that may be evicted.
func (e *Engine) EvalCached() int { return e.cs.n }

// LoadEval is Load for EVAL: a script new to the cache joins the EVAL-only
// scripts, and may evict the least recently used of them.
func (e *Engine) LoadEval(body []byte) (*Script, error) {
	return e.load(body, false)
}

// lruPush appends s as the most recently used.
func (e *Engine) lruPush(s *Script) {
	c := &s.cached
	c.prev, c.next = e.cs.tail, nil
	if e.cs.tail != nil {
		e.cs.tail.cached.next = s
	} else {
		e.cs.head = s
	}
	e.cs.tail = s
	e.cs.n++
}

func (e *Engine) lruRemove(s *Script) {
	c := &s.cached
	if c.prev != nil {
		c.prev.cached.next = c.next
	} else {
		e.cs.head = c.next
	}
	if c.next != nil {
		c.next.cached.prev = c.prev
	} else {
		e.cs.tail = c.prev
	}
	c.prev, c.next = nil, nil
	e.cs.n--
}

// touch marks an EVAL-only script as just used.
func (e *Engine) touch(s *Script) {
	if s.cached.loaded || e.cs.tail == s {
		return
	}
	e.lruRemove(s)
	e.lruPush(s)
}

// promote makes an EVAL-only script permanent (SCRIPT LOAD of its body).
func (e *Engine) promote(s *Script) {
	if s.cached.loaded {
		return
	}
	e.lruRemove(s)
	s.cached.loaded = true
}

// evict drops an EVAL-only script from the cache; its compiled function
// goes with it (the VM keeps nothing else of a script).
func (e *Engine) evict(s *Script) {
	e.lruRemove(s)
	delete(e.scripts, s.SHA)
	delete(e.byBody, string(s.Body))
	s.cached.inCache = false
	e.cs.evicted++
}

// insert adds a newly compiled script to the cache.
func (e *Engine) insert(s *Script, loaded bool) {
	s.cached.inCache = true
	s.cached.loaded = loaded
	if !loaded {
		for e.cs.n >= e.evalMax() {
			e.evict(e.cs.head)
		}
		e.lruPush(s)
	}
	e.scripts[s.SHA] = s
	e.byBody[string(s.Body)] = s
}

// resetLRU forgets the EVAL-only list (SCRIPT FLUSH); the eviction count
// is a statistic and stays.
func (e *Engine) resetLRU() {
	e.cs.head, e.cs.tail, e.cs.n = nil, nil, 0
}
