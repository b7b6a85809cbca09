package server

import (
	"errors"
	"strings"
	"time"
)

// Function libraries in DEBUG RELOAD and LOADAOF. As in Redis, emptying
// the dataset for a reload drops the libraries too, and the file's
// libraries are loaded with it: replacing existing ones under MERGE,
// refused when one exists under NOFLUSH without MERGE.

// runAsLoader runs one command as the loading client and returns its
// error reply, if any. Called with the execution lock held.
func (s *Server) runAsLoader(args ...[]byte) error {
	spec, err := s.resolve(args)
	if err != nil {
		return err
	}
	loader := &Client{ID: 0, srv: s, authed: true, Created: time.Now()}
	ctx := Ctx{Srv: s, Client: loader, KS: s.KS, DB: s.KS.DBs[0], R: &loader.out, Args: args, Spec: spec}
	spec.Handler(&ctx)
	if ctx.failed {
		return errors.New(strings.TrimRight(strings.TrimPrefix(string(loader.out.Buf), "-"), "\r\n"))
	}
	return nil
}

// hasFunctions reports whether the command table has FUNCTION FLUSH (the
// scripting family registers it).
func (s *Server) hasFunctions() bool {
	spec := s.Reg.Lookup([]byte("function"))
	return spec != nil && spec.Subs["flush"] != nil
}

// flushFunctions drops every library (FUNCTION FLUSH SYNC).
func (s *Server) flushFunctions() {
	if !s.hasFunctions() {
		return
	}
	if err := s.runAsLoader([]byte("FUNCTION"), []byte("FLUSH"), []byte("SYNC")); err != nil {
		s.Log.Warn("flushing the function libraries", "err", err)
	}
}

// loadFunctionsNoReplace loads libraries that must not exist yet (DEBUG
// RELOAD NOFLUSH without MERGE), stopping at the first that does.
func (s *Server) loadFunctionsNoReplace(codes [][]byte) error {
	for _, code := range codes {
		if err := s.runAsLoader([]byte("FUNCTION"), []byte("LOAD"), code); err != nil {
			return errors.New("loading a function library: " + err.Error())
		}
	}
	return nil
}
