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
//
// Every field a user can set is described once in the parameter table
// (configtable.go); the file parser, the command-line flags, CONFIG
// GET/SET/REWRITE all read that table. Fields documented "no effect yet"
// are accepted and reported exactly as Redis does, but nothing in moonkv
// reads them so far.
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

	// ConfigFile is the absolute path of the file the server was started
	// with ("" for none); CONFIG REWRITE writes it back.
	ConfigFile string
	// Executable is the absolute path of the program (INFO executable).
	Executable string

	// GoroutineClients serves each client from a goroutine of its own
	// instead of the event loop (loop_linux.go); off Linux it is always so.
	// Not a configuration parameter: Redis has no such choice to make.
	GoroutineClients bool
	// OwnProcess says the process is this server (cmd/moonkv), not a
	// program embedding one or many: the event loop may then keep a
	// processor for itself while it waits (loop_linux.go, poll).
	OwnProcess bool
	// LoopSpin is how long the event loop of an OwnProcess server looks
	// for work before it sleeps (loop-spin-us, 0: never; loop_linux.go).
	LoopSpin time.Duration

	MaxMemoryPolicy   string // no effect yet: moonkv does not evict
	MaxMemorySamples  int    // no effect yet
	MaxMemoryTenacity int    // no effect yet

	// Persistence (persistence.go).
	AppendOnly     bool
	AppendFsync    string
	AppendFilename string
	AppendDirname  string
	// AOFLoadTruncated loads an AOF whose tail was torn by a crash, cut
	// back to its last complete command (aof-load-truncated).
	AOFLoadTruncated bool
	// Save holds the snapshot points (seconds, changes).
	Save       []SavePoint
	DBFilename string

	LogLevel      string
	LogFile       string
	Daemonize     bool // only "no" is supported
	PidFile       string
	ProtectedMode bool // no effect yet: moonkv binds to loopback by default
	TCPKeepAlive  int  // seconds; applied to new connections where set
	TCPBacklog    int  // no effect yet (Go chooses the backlog)

	// Encoding thresholds (keyspace.Limits); streams and HyperLogLog
	// thresholds have no effect yet.
	HashMaxListpackEntries int64
	HashMaxListpackValue   int64
	SetMaxIntsetEntries    int64
	ZsetMaxListpackEntries int64
	ZsetMaxListpackValue   int64
	ListMaxListpackSize    int
	ListCompressDepth      int
	StreamNodeMaxBytes     int64
	StreamNodeMaxEntries   int64
	HLLSparseMaxBytes      int64

	// Lazy freeing: no effect yet (moonkv frees through the Go collector).
	LazyfreeLazyEviction  bool
	LazyfreeLazyExpire    bool
	LazyfreeLazyServerDel bool
	LazyfreeLazyUserDel   bool
	LazyfreeLazyUserFlush bool

	// NotifyKeyspaceEvents is the set of Notify* classes enabled.
	NotifyKeyspaceEvents int

	SlowlogLogSlowerThan    int64 // no effect yet
	SlowlogMaxLen           int64 // no effect yet
	LatencyMonitorThreshold int64 // no effect yet
	ActiveRehashing         bool  // no effect yet: rehashing always runs
	ActiveExpireEffort      int   // no effect yet
	DynamicHz               bool  // no effect yet
	ClientQueryBufferLimit  int64 // no effect yet
	StopWritesOnBgsaveError bool  // see DiskError
	RDBCompression          bool  // no effect: RDB strings are written uncompressed
	RDBChecksum             bool  // no effect: the checksum is always written
	AOFUseRDBPreamble       bool  // no effect: the AOF base is always an RDB
	AOFTimestampEnabled     bool  // no effect yet
	NoAppendfsyncOnRewrite  bool  // no effect yet
	AutoAOFRewritePercent   int
	AutoAOFRewriteMinSize   int64
	ReplicaReadOnly         bool // no effect yet: no replication
	ReplicaServeStaleData   bool // no effect yet
	ShutdownTimeout         int  // no effect yet
	ShutdownOnSigint        string
	ShutdownOnSigterm       string
	TrackingTableMaxKeys    int64 // no effect yet
	AclLogMaxLen            int64 // no effect yet
	IOThreads               int   // no effect yet: moonkv's I/O is per connection
	EnableDebugCommand      string
	EnableModuleCommand     string
	EnableProtectedConfigs  string
	Supervised              string
	AlwaysShowLogo          bool
	SetProcTitle            bool   // no effect yet
	UnixSocket              string // no effect yet
	MinReplicasToWrite      int    // no effect yet
	MinReplicasMaxLag       int    // no effect yet
	ReplBacklogSize         int64  // no effect yet
	ReplicaPriority         int    // no effect yet
	LFULogFactor            int    // no effect yet
	LFUDecayTime            int    // no effect yet
	ActiveDefrag            bool   // no effect yet
	MaxMemoryClients        int64  // no effect yet

	// LevelVar, when set, is the level of Logger; CONFIG SET loglevel
	// changes it.
	LevelVar *slog.LevelVar

	// saveFromFile records that Save was set by a config file line, so
	// that further "save" lines add to it instead of replacing it.
	saveFromFile bool

	// Clock is injected by tests; nil means the wall clock.
	Clock keyspace.Clock
	// Logger receives the server's log lines; nil means slog.Default().
	Logger *slog.Logger
}

// SavePoint is one "save <seconds> <changes>" rule.
type SavePoint struct {
	Seconds int64
	Changes int64
}

// Keyspace notification classes (notify-keyspace-events).
const (
	NotifyKeyspace = 1 << iota // K
	NotifyKeyevent             // E
	NotifyGeneric              // g
	NotifyString               // $
	NotifyList                 // l
	NotifySet                  // s
	NotifyHash                 // h
	NotifyZset                 // z
	NotifyExpired              // x
	NotifyEvicted              // e
	NotifyStream               // t
	NotifyKeyMiss              // m
	NotifyModule               // d
	NotifyNew                  // n
	NotifyAll      = NotifyGeneric | NotifyString | NotifyList | NotifySet | NotifyHash | NotifyZset | NotifyExpired | NotifyEvicted | NotifyStream | NotifyModule
)

// DefaultConfig is what moonkv runs with when nothing is configured: each
// parameter's default from the parameter table.
func DefaultConfig() Config {
	var c Config
	for _, p := range params {
		if err := p.set(&c, p.Default, true); err != "" {
			panic("config default for " + p.Name + ": " + err)
		}
	}
	return c
}
