package server

// Effects are recorded for the Propagator (the AOF) in two arenas that
// live as long as the server and are reset at each execution unit's
// start and after its effects are handed on: the argument bytes are
// copied into effBytes and the argument lists carved out of effArgs.
// Before, every write command allocated its effect's list and a copy of
// each argument (four allocations for a SET) only for the AOF to copy the
// bytes once more; now a unit allocates nothing once the arenas have
// grown to the largest unit seen.
//
// An arena that must grow is replaced, never moved: slices taken from the
// old array stay valid until the unit ends. The Propagator must therefore
// not keep the effects it is given past its call (the AOF encodes them at
// once; tests copy them).

// effArenaKeep bounds the arenas kept between units: one huge unit (a
// MULTI writing big values) must not pin its memory for ever.
const effArenaKeep = 1 << 20

// copyEffect returns db+args as one effect whose bytes live in the arenas.
func (s *Server) copyEffect(db int, args [][]byte) [][]byte {
	n := len(args) + 1
	if cap(s.effArgs)-len(s.effArgs) < n {
		s.effArgs = make([][]byte, 0, max(2*cap(s.effArgs), 64, n))
	}
	e := s.effArgs[len(s.effArgs) : len(s.effArgs)+n : len(s.effArgs)+n]
	s.effArgs = s.effArgs[:len(s.effArgs)+n]
	e[0] = s.effBytesOf([]byte{byte(db)})
	for i, a := range args {
		e[i+1] = s.effBytesOf(a)
	}
	return e
}

// effBytesOf copies b into the byte arena.
func (s *Server) effBytesOf(b []byte) []byte {
	if cap(s.effBytes)-len(s.effBytes) < len(b) {
		s.effBytes = make([]byte, 0, max(2*cap(s.effBytes), 4096, len(b)))
	}
	start := len(s.effBytes)
	s.effBytes = append(s.effBytes, b...)
	return s.effBytes[start:len(s.effBytes):len(s.effBytes)]
}

// resetEffects empties the unit's effects and arenas.
func (s *Server) resetEffects() {
	s.unitEffects = s.unitEffects[:0]
	if cap(s.effBytes) > effArenaKeep {
		s.effBytes = nil
	}
	if cap(s.effArgs) > effArenaKeep/24 {
		s.effArgs = nil
	}
	s.effBytes = s.effBytes[:0]
	s.effArgs = s.effArgs[:0]
	clear(s.effOut)
	s.effOut = s.effOut[:0]
}
