package server

// A client's commands repeat: a pipeline of SETs, a loop of EVALSHAs. Each
// client remembers the last command name it resolved and its spec, so a
// repeated name is a short byte comparison instead of a lower-casing and
// a map lookup (about 40 ns of a pipelined command's 300). Container
// commands (CONFIG, SCRIPT, ...) are not cached: their spec depends on the
// subcommand.

// lookupCacheMax is the longest name cached (the longest command name in
// the table is shorter).
const lookupCacheMax = 24

type lookupCache struct {
	name [lookupCacheMax]byte // lower case
	n    int
	spec *Spec
}

// resolveFor is resolve with the client's one-entry cache in front.
func (s *Server) resolveFor(c *Client, args [][]byte) (*Spec, error) {
	lc := &c.lookup
	if name := args[0]; lc.spec != nil && len(name) == lc.n && sameLower(name, lc.name[:lc.n]) {
		spec := lc.spec
		if (spec.Arity > 0 && len(args) != spec.Arity) || len(args) < -spec.Arity {
			return nil, errWrongArityFor(spec)
		}
		return spec, nil
	}
	spec, err := s.resolve(args)
	if err == nil && spec.Subs == nil && spec.Parent == nil && len(args[0]) <= lookupCacheMax {
		lc.n = copy(lc.name[:], args[0])
		for i, b := range lc.name[:lc.n] {
			lc.name[i] = lowerASCII(b)
		}
		lc.spec = spec
	}
	return spec, err
}

// sameLower reports whether b lower-cased equals lower.
func sameLower(b, lower []byte) bool {
	for i, c := range b {
		if lowerASCII(c) != lower[i] {
			return false
		}
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
