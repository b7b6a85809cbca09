package server

import (
	"log/slog"
	"time"

	"github.com/moonkv/moonkv/internal/keyspace"
)

// Config is the server's configuration: what a redis.conf-style file and
// command-line flags set, and what CONFIG GET/SET read and change at run
// time (fields changed at run time are only touched under the execution
// lock).
type Config struct {
	Bind        []string
	Port        int
	Dir         string
	Databases   int
	RequirePass string
	MaxClients  int
	// Timeout closes idle clients after this long (0: never).
	Timeout time.Duration
	// BusyReplyThreshold is how long a script may run before other clients
	// get -BUSY (lua-time-limit / busy-reply-threshold).
	BusyReplyThreshold time.Duration
	// Hz is how many times a second the periodic task runs (active expiry,
	// rehashing, client timeouts).
	Hz              int
	ProtoMaxBulkLen int64
	MaxMemory       int64

	// Clock is injected by tests; nil means the wall clock.
	Clock keyspace.Clock
	// Logger receives the server's log lines; nil means slog.Default().
	Logger *slog.Logger
}

// DefaultConfig is what moonkv runs with when nothing is configured.
func DefaultConfig() Config {
	return Config{
		Bind:               []string{"127.0.0.1"},
		Port:               6379,
		Dir:                ".",
		Databases:          16,
		MaxClients:         10000,
		BusyReplyThreshold: 5 * time.Second,
		Hz:                 10,
		ProtoMaxBulkLen:    512 * 1024 * 1024,
	}
}
