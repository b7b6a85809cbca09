package server

import "strings"

// ClockPerValue reports whether maxmemory is set with an LRU or LFU
// policy, under which Redis gives every value its own object (for its
// access clock) instead of sharing small integers: OBJECT REFCOUNT and
// DEBUG OBJECT depend on it.
func (s *Server) ClockPerValue() bool {
	if s.Cfg.MaxMemory == 0 {
		return false
	}
	p := strings.ToLower(s.Cfg.MaxMemoryPolicy)
	return strings.HasSuffix(p, "-lru") || strings.HasSuffix(p, "-lfu")
}
