package moonkv

import (
	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/server"
	"os"
)

// Config configures an embedded server. The zero value listens on a free
// port of 127.0.0.1 with no persistence.
type Config struct {
	// Addr is host:port to listen on; "" means 127.0.0.1:0 (a free port).
	Addr string
	// Password, when set, is required by AUTH (requirepass).
	Password string
	// Databases is the number of databases (default 16).
	Databases int
	// Clock, when set, replaces the wall clock for expiry; see FakeClock.
	Clock Clock
}

// Clock tells the time in Unix milliseconds.
type Clock = keyspace.Clock

// FakeClock is a Clock a test moves by hand (FastForward-style expiry
// tests without sleeping).
type FakeClock = keyspace.FakeClock

// Server is a running moonkv.
type Server struct {
	srv *server.Server
	dir string // the private data directory
}

// Start starts a server and returns once it accepts connections.
func Start(cfg Config) (*Server, error) {
	sc := server.DefaultConfig()
	sc.Port = 0
	if cfg.Addr != "" {
		host, port, err := splitAddr(cfg.Addr)
		if err != nil {
			return nil, err
		}
		sc.Bind, sc.Port = []string{host}, port
	}
	sc.RequirePass = cfg.Password
	if cfg.Databases > 0 {
		sc.Databases = cfg.Databases
	}
	sc.Clock = cfg.Clock
	// An embedded server is for tests: nothing is written to disk unless
	// a client asks (SAVE, CONFIG SET appendonly yes), and then into a
	// private directory removed by Close, never the caller's.
	sc.AppendOnly, sc.Save = false, nil
	dir, err := os.MkdirTemp("", "moonkv-")
	if err != nil {
		return nil, err
	}
	sc.Dir = dir
	s := server.New(sc, commands.Registry())
	if err := s.Listen(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.Serve()
	return &Server{srv: s, dir: dir}, nil
}

// Addr is the address clients connect to, as host:port.
func (s *Server) Addr() string { return s.srv.Addr().String() }

// Close stops the server and disconnects its clients.
func (s *Server) Close() error {
	err := s.srv.Close()
	os.RemoveAll(s.dir)
	return err
}

// Wait blocks until the server stops (Close, or SHUTDOWN from a client).
func (s *Server) Wait() { <-s.srv.Done() }
