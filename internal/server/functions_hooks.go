package server

import (
	"errors"
	"strings"
	"time"

	"github.com/moonkv/moonkv/internal/rerr"
)

// FunctionHost is what the server needs from a scripting engine that
// keeps function libraries (FUNCTION LOAD): their codes, which snapshots
// and AOF rewrites write before the keys, and the -BUSY reply, which
// names the kill command that applies to the running script.
type FunctionHost interface {
	LibraryCodes() [][]byte
	BusyError() error
}

// busyError is the reply to a command refused while a script is busy.
func (s *Server) busyError() error {
	if h, ok := s.Scripts.(FunctionHost); ok {
		return h.BusyError()
	}
	return rerr.Busy
}

// functionCodes returns the libraries a snapshot must hold (none before
// the scripting engine exists).
func (s *Server) functionCodes() [][]byte {
	if h, ok := s.Scripts.(FunctionHost); ok {
		return h.LibraryCodes()
	}
	return nil
}

// LoadFunctionCodes loads the function libraries read from a snapshot, as
// the loading client running FUNCTION LOAD REPLACE for each: the command
// table reaches the scripting engine (made on first use) without the
// server knowing it. Called with the execution lock held, or at start.
func (s *Server) LoadFunctionCodes(codes [][]byte) error {
	if len(codes) == 0 {
		return nil
	}
	loader := &Client{ID: 0, srv: s, authed: true, Created: time.Now()}
	for _, code := range codes {
		args := [][]byte{[]byte("FUNCTION"), []byte("LOAD"), []byte("REPLACE"), code}
		spec, err := s.resolve(args)
		if err != nil {
			return err
		}
		ctx := Ctx{Srv: s, Client: loader, KS: s.KS, DB: s.KS.DBs[0], R: &loader.out, Args: args, Spec: spec}
		spec.Handler(&ctx)
		if ctx.failed {
			msg := strings.TrimRight(strings.TrimPrefix(string(loader.out.Buf), "-"), "\r\n")
			return errors.New("loading a function library: " + msg)
		}
		loader.out.Buf = loader.out.Buf[:0]
	}
	return nil
}
