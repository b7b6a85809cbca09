package server

import "time"

// The scripting engine times each script run for SCRIPT STATS. These let
// it start from the reading the dispatcher already took (the command's
// start) and end with one monotonic read, instead of time.Now's two.

// LastMono is the latest monotonic reading the dispatcher took, in
// nanoseconds since the server started: for a running command, about when
// it began. The caller holds the execution lock.
func (s *Server) LastMono() int64 { return s.lastMono }

// MonoNow reads the monotonic clock (nanoseconds since the server
// started).
func (s *Server) MonoNow() int64 { return s.mono() }

// MonoTime turns a reading of MonoNow or LastMono into a time.Time that
// carries the monotonic reading (time.Since of it is exact).
func (s *Server) MonoTime(m int64) time.Time { return s.start.Add(time.Duration(m)) }
