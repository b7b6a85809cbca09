package server

// evictedScripts is INFO stats' evicted_scripts (Redis 7.4's name): the
// EVAL-only scripts the engine's bounded cache has evicted.
func (s *Server) evictedScripts() int64 {
	if e, ok := s.Scripts.(interface{ EvictedScripts() int64 }); ok {
		return e.EvictedScripts()
	}
	return 0
}
