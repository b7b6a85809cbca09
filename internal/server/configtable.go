package server

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// ParamKind is how a parameter's value is written and checked.
type ParamKind int

const (
	KindBool     ParamKind = iota // yes / no
	KindInt                       // an integer, strictly parsed
	KindMemory                    // bytes, with optional k/kb/m/mb/g/gb unit
	KindEnum                      // one of Enum, any case
	KindString                    // free text
	KindDuration                  // an integer count of Unit
	KindSpecial                   // parsed and printed by its own functions
)

// Param describes one configuration parameter. The table of Params is the
// only description of the configuration: the config file, the command-line
// flags and CONFIG GET/SET/REWRITE all use it.
type Param struct {
	Name    string
	Aliases []string
	Kind    ParamKind
	// Default is the value in its CONFIG GET form.
	Default  string
	Min, Max int64
	Enum     []string
	Unit     time.Duration // KindDuration
	// Immutable parameters are set at start only; Protected ones are
	// refused by CONFIG SET as with enable-protected-configs no.
	Immutable, Protected bool
	// MultiArg parameters take several words (save, bind): CONFIG SET
	// splits its value on single spaces, the config file passes the
	// directive's arguments.
	MultiArg bool
	// NoEffect says why moonkv accepts the parameter without acting on it
	// yet; empty when the value is used.
	NoEffect string

	field func(c *Config) any // *bool, *int, *int64, *string, *time.Duration
	// KindSpecial: parse words into c, or print c's value.
	setArgs func(c *Config, args []string, fromFile bool) string
	get     func(c *Config) string
	// apply, when set, makes a changed value take effect at run time; it
	// may refuse (CONFIG SET then restores the old configuration).
	apply func(s *Server, old *Config) error
}

var (
	params    []*Param
	paramByID map[string]*Param // by lower-case name or alias
)

func init() {
	params = paramTable()
	paramByID = map[string]*Param{}
	for _, p := range params {
		paramByID[p.Name] = p
		for _, a := range p.Aliases {
			paramByID[a] = p
		}
	}
}

// Params returns the parameter table (read-only).
func Params() []*Param { return params }

// LookupParam finds a parameter by name or alias, in any case.
func LookupParam(name string) *Param { return paramByID[strings.ToLower(name)] }

// Get renders the parameter's value in c as CONFIG GET shows it.
func (p *Param) Get(c *Config) string {
	if p.get != nil {
		return p.get(c)
	}
	switch v := p.field(c).(type) {
	case *bool:
		if *v {
			return "yes"
		}
		return "no"
	case *int:
		return strconv.Itoa(*v)
	case *int64:
		return strconv.FormatInt(*v, 10)
	case *string:
		return *v
	case *time.Duration:
		return strconv.FormatInt(int64(*v/p.Unit), 10)
	}
	return ""
}

// set parses value into c. It returns "" or the reason Redis gives for
// refusing the value.
func (p *Param) set(c *Config, value string, fromFile bool) string {
	if p.setArgs != nil {
		var args []string
		if value != "" || !p.MultiArg {
			args = strings.Split(value, " ")
		}
		return p.setArgs(c, args, fromFile)
	}
	return p.setOne(c, value)
}

// setWords sets the parameter from a config file directive's arguments.
func (p *Param) setWords(c *Config, words []string) string {
	if p.setArgs != nil {
		return p.setArgs(c, words, true)
	}
	if len(words) != 1 {
		return "wrong number of arguments"
	}
	return p.setOne(c, words[0])
}

func (p *Param) setOne(c *Config, value string) string {
	switch p.Kind {
	case KindBool:
		var b bool
		switch strings.ToLower(value) {
		case "yes":
			b = true
		case "no":
		default:
			return "argument must be 'yes' or 'no'"
		}
		*p.field(c).(*bool) = b
		return ""
	case KindEnum:
		for _, e := range p.Enum {
			if strings.EqualFold(e, value) {
				*p.field(c).(*string) = e
				return ""
			}
		}
		return "argument(s) must be one of the following: " + strings.Join(p.Enum, ", ")
	case KindString:
		*p.field(c).(*string) = value
		return ""
	}
	var n int64
	if p.Kind == KindMemory {
		v, ok := parseMemory(value)
		if !ok {
			return "argument must be a memory value"
		}
		n = v
	} else {
		v, ok := ParseInt([]byte(value))
		if !ok {
			return "argument couldn't be parsed into an integer"
		}
		n = v
	}
	if n < p.Min || n > p.Max {
		return "argument must be between " + strconv.FormatInt(p.Min, 10) + " and " + p.maxText() + " inclusive"
	}
	switch f := p.field(c).(type) {
	case *int:
		*f = int(n)
	case *int64:
		*f = n
	case *time.Duration:
		*f = time.Duration(n) * p.Unit
	}
	return ""
}

// maxText prints the upper bound as Redis does: unsigned parameters whose
// bound is the type's maximum print it as such.
func (p *Param) maxText() string {
	switch p.Max {
	case maxUint32:
		return "4294967295"
	}
	return strconv.FormatInt(p.Max, 10)
}

const (
	maxInt32  = math.MaxInt32
	maxUint32 = math.MaxUint32
	maxInt64  = math.MaxInt64
)

// parseMemory parses a memory amount as Redis's memtoull does: digits and
// an optional unit (b, k, kb, m, mb, g, gb in any case; k is 1000, kb
// 1024).
func parseMemory(s string) (int64, bool) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	var mul uint64
	switch strings.ToLower(s[i:]) {
	case "", "b":
		mul = 1
	case "k":
		mul = 1000
	case "kb":
		mul = 1024
	case "m":
		mul = 1000 * 1000
	case "mb":
		mul = 1024 * 1024
	case "g":
		mul = 1000 * 1000 * 1000
	case "gb":
		mul = 1024 * 1024 * 1024
	default:
		return 0, false
	}
	if i == 0 {
		return 0, true // strtoull of no digits is 0, as memtoull accepts
	}
	if i > 20 {
		return 0, false
	}
	v, err := strconv.ParseUint(s[:i], 10, 64)
	if err != nil || (v != 0 && mul > math.MaxUint64/v) {
		return 0, false
	}
	v *= mul
	if v > math.MaxInt64 {
		return 0, false
	}
	return int64(v), true
}

// Param constructors keep the table below one line per parameter.

func pBool(name string, def bool, f func(*Config) *bool) *Param {
	d := "no"
	if def {
		d = "yes"
	}
	return &Param{Name: name, Kind: KindBool, Default: d, field: func(c *Config) any { return f(c) }}
}

func pInt(name string, def string, min, max int64, f func(*Config) *int) *Param {
	return &Param{Name: name, Kind: KindInt, Default: def, Min: min, Max: max, field: func(c *Config) any { return f(c) }}
}

func pInt64(name string, def string, min, max int64, f func(*Config) *int64) *Param {
	return &Param{Name: name, Kind: KindInt, Default: def, Min: min, Max: max, field: func(c *Config) any { return f(c) }}
}

func pMem(name string, def string, min, max int64, f func(*Config) *int64) *Param {
	return &Param{Name: name, Kind: KindMemory, Default: def, Min: min, Max: max, field: func(c *Config) any { return f(c) }}
}

func pEnum(name, def string, enum []string, f func(*Config) *string) *Param {
	return &Param{Name: name, Kind: KindEnum, Default: def, Enum: enum, field: func(c *Config) any { return f(c) }}
}

func pStr(name, def string, f func(*Config) *string) *Param {
	return &Param{Name: name, Kind: KindString, Default: def, field: func(c *Config) any { return f(c) }}
}

func pDur(name, def string, unit time.Duration, min, max int64, f func(*Config) *time.Duration) *Param {
	return &Param{Name: name, Kind: KindDuration, Default: def, Unit: unit, Min: min, Max: max, field: func(c *Config) any { return f(c) }}
}

func (p *Param) alias(a ...string) *Param                      { p.Aliases = a; return p }
func (p *Param) immutable() *Param                             { p.Immutable = true; return p }
func (p *Param) protected() *Param                             { p.Protected = true; return p }
func (p *Param) noEffect(why string) *Param                    { p.NoEffect = why; return p }
func (p *Param) onApply(f func(*Server, *Config) error) *Param { p.apply = f; return p }

const (
	notYet      = "accepted and reported; moonkv does not act on it yet"
	noEncodings = "moonkv's data structures do not use Redis's encodings"
	noReplicas  = "moonkv has no replication"
	noEviction  = "moonkv does not evict keys yet"
)

var evictionPolicies = []string{"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
	"allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"}

func paramTable() []*Param {
	return []*Param{
		{Name: "bind", Kind: KindSpecial, Default: "127.0.0.1", MultiArg: true,
			setArgs: setBind, get: func(c *Config) string { return strings.Join(c.Bind, " ") }, apply: applyListen},
		pInt("port", "6379", 0, 65535, func(c *Config) *int { return &c.Port }).onApply(applyListen),
		{Name: "dir", Kind: KindSpecial, Default: ".", Protected: true, setArgs: setDir, get: getDir},
		pInt("databases", "16", 1, maxInt32, func(c *Config) *int { return &c.Databases }).immutable(),
		pStr("requirepass", "", func(c *Config) *string { return &c.RequirePass }),
		pInt("maxclients", "10000", 1, maxUint32, func(c *Config) *int { return &c.MaxClients }),
		pDur("timeout", "0", time.Second, 0, maxInt32, func(c *Config) *time.Duration { return &c.Timeout }),
		pInt("hz", "10", 0, maxInt32, func(c *Config) *int { return &c.Hz }).onApply(applyHz),
		pDur("busy-reply-threshold", "5000", time.Millisecond, 0, maxInt64, func(c *Config) *time.Duration { return &c.BusyReplyThreshold }).alias("lua-time-limit"),
		pDur("loop-spin-us", "50", time.Microsecond, 0, 10000, func(c *Config) *time.Duration { return &c.LoopSpin }).onApply(applyLoopSpin),
		pMem("proto-max-bulk-len", "536870912", 1024*1024, maxInt64, func(c *Config) *int64 { return &c.ProtoMaxBulkLen }),
		pMem("client-query-buffer-limit", "1073741824", 1024*1024, maxInt64, func(c *Config) *int64 { return &c.ClientQueryBufferLimit }).noEffect(notYet),
		pMem("maxmemory", "0", 0, maxInt64, func(c *Config) *int64 { return &c.MaxMemory }).noEffect(noEviction),
		pEnum("maxmemory-policy", "noeviction", evictionPolicies, func(c *Config) *string { return &c.MaxMemoryPolicy }).noEffect(noEviction),
		pInt("maxmemory-samples", "5", 1, 255, func(c *Config) *int { return &c.MaxMemorySamples }).noEffect(noEviction),
		pInt("maxmemory-eviction-tenacity", "10", 0, 100, func(c *Config) *int { return &c.MaxMemoryTenacity }).noEffect(noEviction),
		pMem("maxmemory-clients", "0", 0, maxInt64, func(c *Config) *int64 { return &c.MaxMemoryClients }).noEffect(noEviction),
		pBool("appendonly", false, func(c *Config) *bool { return &c.AppendOnly }).onApply(applyAppendOnly),
		pEnum("appendfsync", "everysec", []string{"everysec", "always", "no"}, func(c *Config) *string { return &c.AppendFsync }).onApply(applyAppendFsync),
		pStr("appendfilename", "appendonly.aof", func(c *Config) *string { return &c.AppendFilename }).immutable(),
		pStr("appenddirname", "appendonlydir", func(c *Config) *string { return &c.AppendDirname }).immutable(),
		{Name: "save", Kind: KindSpecial, Default: "", MultiArg: true, setArgs: setSave, get: getSave},
		pStr("dbfilename", "dump.rdb", func(c *Config) *string { return &c.DBFilename }).protected(),
		pBool("stop-writes-on-bgsave-error", true, func(c *Config) *bool { return &c.StopWritesOnBgsaveError }),
		pBool("rdbcompression", true, func(c *Config) *bool { return &c.RDBCompression }).noEffect("moonkv writes RDB strings uncompressed (and reads compressed ones)"),
		pBool("rdbchecksum", true, func(c *Config) *bool { return &c.RDBChecksum }).noEffect("moonkv always writes the RDB checksum"),
		pBool("aof-timestamp-enabled", false, func(c *Config) *bool { return &c.AOFTimestampEnabled }).noEffect(notYet),
		pBool("no-appendfsync-on-rewrite", false, func(c *Config) *bool { return &c.NoAppendfsyncOnRewrite }).noEffect(notYet),
		pBool("aof-use-rdb-preamble", true, func(c *Config) *bool { return &c.AOFUseRDBPreamble }).noEffect("moonkv always writes the AOF base in RDB format"),
		pBool("aof-load-truncated", true, func(c *Config) *bool { return &c.AOFLoadTruncated }),
		pInt("auto-aof-rewrite-percentage", "100", 0, maxInt32, func(c *Config) *int { return &c.AutoAOFRewritePercent }),
		pMem("auto-aof-rewrite-min-size", "67108864", 0, maxInt64, func(c *Config) *int64 { return &c.AutoAOFRewriteMinSize }),
		pEnum("loglevel", "notice", []string{"debug", "verbose", "notice", "warning"}, func(c *Config) *string { return &c.LogLevel }).onApply(applyLogLevel),
		pStr("logfile", "", func(c *Config) *string { return &c.LogFile }).immutable(),
		{Name: "daemonize", Kind: KindSpecial, Default: "no", Immutable: true, setArgs: setDaemonize,
			get: func(c *Config) string { return yesNo(c.Daemonize) }},
		pStr("pidfile", "", func(c *Config) *string { return &c.PidFile }).immutable(),
		pBool("protected-mode", true, func(c *Config) *bool { return &c.ProtectedMode }).noEffect(notYet),
		pInt("tcp-keepalive", "300", 0, maxInt32, func(c *Config) *int { return &c.TCPKeepAlive }).noEffect(notYet),
		pInt("tcp-backlog", "511", 0, maxInt32, func(c *Config) *int { return &c.TCPBacklog }).immutable().noEffect(notYet),
		pInt64("hash-max-listpack-entries", "512", 0, maxInt64, func(c *Config) *int64 { return &c.HashMaxListpackEntries }).alias("hash-max-ziplist-entries").onApply(applyLimits),
		pMem("hash-max-listpack-value", "64", 0, maxInt64, func(c *Config) *int64 { return &c.HashMaxListpackValue }).alias("hash-max-ziplist-value").onApply(applyLimits),
		pInt64("set-max-intset-entries", "512", 0, maxInt64, func(c *Config) *int64 { return &c.SetMaxIntsetEntries }).onApply(applyLimits),
		pInt64("zset-max-listpack-entries", "128", 0, maxInt64, func(c *Config) *int64 { return &c.ZsetMaxListpackEntries }).alias("zset-max-ziplist-entries").onApply(applyLimits),
		pMem("zset-max-listpack-value", "64", 0, maxInt64, func(c *Config) *int64 { return &c.ZsetMaxListpackValue }).alias("zset-max-ziplist-value").onApply(applyLimits),
		pInt("list-max-listpack-size", "-2", math.MinInt32, maxInt32, func(c *Config) *int { return &c.ListMaxListpackSize }).alias("list-max-ziplist-size").onApply(applyLimits),
		pInt("list-compress-depth", "0", 0, maxInt32, func(c *Config) *int { return &c.ListCompressDepth }).onApply(applyLimits),
		pMem("stream-node-max-bytes", "4096", 0, maxInt64, func(c *Config) *int64 { return &c.StreamNodeMaxBytes }).noEffect(noEncodings),
		pInt64("stream-node-max-entries", "100", 0, maxInt64, func(c *Config) *int64 { return &c.StreamNodeMaxEntries }).noEffect(noEncodings),
		pMem("hll-sparse-max-bytes", "3000", 0, maxInt64, func(c *Config) *int64 { return &c.HLLSparseMaxBytes }).noEffect(noEncodings),
		pBool("lazyfree-lazy-eviction", false, func(c *Config) *bool { return &c.LazyfreeLazyEviction }).noEffect(notYet),
		pBool("lazyfree-lazy-expire", false, func(c *Config) *bool { return &c.LazyfreeLazyExpire }).noEffect(notYet),
		pBool("lazyfree-lazy-server-del", false, func(c *Config) *bool { return &c.LazyfreeLazyServerDel }).noEffect(notYet),
		pBool("lazyfree-lazy-user-del", false, func(c *Config) *bool { return &c.LazyfreeLazyUserDel }).noEffect(notYet),
		pBool("lazyfree-lazy-user-flush", false, func(c *Config) *bool { return &c.LazyfreeLazyUserFlush }).noEffect(notYet),
		{Name: "notify-keyspace-events", Kind: KindSpecial, Default: "", setArgs: setNotify,
			get: func(c *Config) string { return NotifyFlagsString(c.NotifyKeyspaceEvents) }},
		pInt64("slowlog-log-slower-than", "10000", -1, maxInt64, func(c *Config) *int64 { return &c.SlowlogLogSlowerThan }).noEffect(notYet),
		pInt64("slowlog-max-len", "128", 0, maxInt64, func(c *Config) *int64 { return &c.SlowlogMaxLen }).noEffect(notYet),
		pInt64("latency-monitor-threshold", "0", 0, maxInt64, func(c *Config) *int64 { return &c.LatencyMonitorThreshold }).noEffect(notYet),
		pBool("activerehashing", true, func(c *Config) *bool { return &c.ActiveRehashing }).noEffect(notYet),
		pInt("active-expire-effort", "1", 1, 10, func(c *Config) *int { return &c.ActiveExpireEffort }).noEffect(notYet),
		pBool("dynamic-hz", true, func(c *Config) *bool { return &c.DynamicHz }).noEffect(notYet),
		pBool("replica-read-only", true, func(c *Config) *bool { return &c.ReplicaReadOnly }).alias("slave-read-only").noEffect(noReplicas),
		pBool("replica-serve-stale-data", true, func(c *Config) *bool { return &c.ReplicaServeStaleData }).alias("slave-serve-stale-data").noEffect(noReplicas),
		pInt("replica-priority", "100", 0, maxInt32, func(c *Config) *int { return &c.ReplicaPriority }).alias("slave-priority").noEffect(noReplicas),
		pInt("min-replicas-to-write", "0", 0, maxInt32, func(c *Config) *int { return &c.MinReplicasToWrite }).alias("min-slaves-to-write").noEffect(noReplicas),
		pInt("min-replicas-max-lag", "10", 0, maxInt32, func(c *Config) *int { return &c.MinReplicasMaxLag }).alias("min-slaves-max-lag").noEffect(noReplicas),
		pMem("repl-backlog-size", "1048576", 1, maxInt64, func(c *Config) *int64 { return &c.ReplBacklogSize }).noEffect(noReplicas),
		pInt("shutdown-timeout", "10", 0, maxInt32, func(c *Config) *int { return &c.ShutdownTimeout }).noEffect(noReplicas),
		{Name: "shutdown-on-sigint", Kind: KindSpecial, Default: "default", MultiArg: true,
			setArgs: shutdownFlags(func(c *Config) *string { return &c.ShutdownOnSigint }), get: func(c *Config) string { return c.ShutdownOnSigint }},
		{Name: "shutdown-on-sigterm", Kind: KindSpecial, Default: "default", MultiArg: true,
			setArgs: shutdownFlags(func(c *Config) *string { return &c.ShutdownOnSigterm }), get: func(c *Config) string { return c.ShutdownOnSigterm }},
		pInt64("tracking-table-max-keys", "1000000", 0, maxInt64, func(c *Config) *int64 { return &c.TrackingTableMaxKeys }).noEffect(notYet),
		pInt64("acllog-max-len", "128", 0, maxInt64, func(c *Config) *int64 { return &c.AclLogMaxLen }).noEffect(notYet),
		pInt("lfu-log-factor", "10", 0, maxInt32, func(c *Config) *int { return &c.LFULogFactor }).noEffect(noEviction),
		pInt("lfu-decay-time", "1", 0, maxInt32, func(c *Config) *int { return &c.LFUDecayTime }).noEffect(noEviction),
		pBool("activedefrag", false, func(c *Config) *bool { return &c.ActiveDefrag }).noEffect(notYet),
		pInt("io-threads", "1", 1, 128, func(c *Config) *int { return &c.IOThreads }).immutable().noEffect(notYet),
		pEnum("enable-debug-command", "no", []string{"no", "yes", "local"}, func(c *Config) *string { return &c.EnableDebugCommand }).immutable(),
		pEnum("enable-module-command", "no", []string{"no", "yes", "local"}, func(c *Config) *string { return &c.EnableModuleCommand }).immutable().noEffect(notYet),
		pEnum("enable-protected-configs", "no", []string{"no", "yes", "local"}, func(c *Config) *string { return &c.EnableProtectedConfigs }).immutable().noEffect(notYet),
		pEnum("supervised", "no", []string{"upstart", "systemd", "auto", "no"}, func(c *Config) *string { return &c.Supervised }).immutable().noEffect(notYet),
		pBool("always-show-logo", false, func(c *Config) *bool { return &c.AlwaysShowLogo }).immutable().noEffect(notYet),
		pBool("set-proc-title", true, func(c *Config) *bool { return &c.SetProcTitle }).immutable().noEffect(notYet),
		pStr("unixsocket", "", func(c *Config) *string { return &c.UnixSocket }).immutable().noEffect(notYet),
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// setBind takes one or more addresses. Redis accepts a leading '-' (the
// address is optional); moonkv keeps the words as given and listens on
// each, skipping optional ones it cannot bind.
func setBind(c *Config, args []string, fromFile bool) string {
	if len(args) > 16 {
		return "Too many bind addresses specified."
	}
	if len(args) == 1 && args[0] == "" {
		args = nil
	}
	c.Bind = append([]string(nil), args...)
	return ""
}

func setDir(c *Config, args []string, fromFile bool) string {
	if len(args) != 1 {
		return "wrong number of arguments"
	}
	c.Dir = args[0]
	return ""
}

func getDir(c *Config) string {
	return absDir(c.Dir)
}

func setDaemonize(c *Config, args []string, fromFile bool) string {
	if len(args) != 1 {
		return "wrong number of arguments"
	}
	switch strings.ToLower(args[0]) {
	case "no":
		c.Daemonize = false
		return ""
	case "yes":
		// Go programs cannot fork themselves safely; run moonkv under a
		// supervisor instead.
		return "moonkv cannot daemonize; run it under a supervisor (daemonize must be 'no')"
	}
	return "argument must be 'yes' or 'no'"
}

func setSave(c *Config, args []string, fromFile bool) string {
	if len(args) == 1 && args[0] == "" {
		// save "" clears every save point, also between lines of a file
		// (as Redis's resetServerSaveParams), so a later --save "" flag
		// turns snapshots off
		c.Save, c.saveFromFile = nil, fromFile
		return ""
	}
	if len(args)%2 != 0 {
		return "Invalid save parameters"
	}
	pts := make([]SavePoint, 0, len(args)/2)
	for j := 0; j < len(args); j += 2 {
		sec, ok1 := strtoll(args[j])
		ch, ok2 := strtoll(args[j+1])
		if !ok1 || !ok2 || sec < 1 || ch < 0 {
			return "Invalid save parameters"
		}
		pts = append(pts, SavePoint{sec, ch})
	}
	if fromFile && c.saveFromFile {
		// successive "save" lines in a file add up
		c.Save = append(c.Save, pts...)
		return ""
	}
	c.saveFromFile = fromFile
	c.Save = pts
	return ""
}

// strtoll accepts what C's strtoll accepts when the whole string must be
// consumed: blanks, a sign, then digits (an empty string is 0).
func strtoll(s string) (int64, bool) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	if t == "" {
		return 0, s == t
	}
	neg := false
	if t[0] == '+' || t[0] == '-' {
		neg = t[0] == '-'
		t = t[1:]
	}
	var v int64
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return 0, false
		}
		if v < math.MaxInt64/10 {
			v = v*10 + int64(t[i]-'0')
		} else {
			v = math.MaxInt64
		}
	}
	if neg {
		v = -v
	}
	return v, true
}

func getSave(c *Config) string {
	var b strings.Builder
	for i, p := range c.Save {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatInt(p.Seconds, 10))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(p.Changes, 10))
	}
	return b.String()
}

func setNotify(c *Config, args []string, fromFile bool) string {
	v := strings.Join(args, " ")
	flags, ok := ParseNotifyFlags(v)
	if !ok {
		return "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."
	}
	c.NotifyKeyspaceEvents = flags
	return ""
}

// ParseNotifyFlags parses a notify-keyspace-events class string.
func ParseNotifyFlags(s string) (int, bool) {
	f := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'A':
			f |= NotifyAll
		case 'g':
			f |= NotifyGeneric
		case '$':
			f |= NotifyString
		case 'l':
			f |= NotifyList
		case 's':
			f |= NotifySet
		case 'h':
			f |= NotifyHash
		case 'z':
			f |= NotifyZset
		case 'x':
			f |= NotifyExpired
		case 'e':
			f |= NotifyEvicted
		case 'K':
			f |= NotifyKeyspace
		case 'E':
			f |= NotifyKeyevent
		case 't':
			f |= NotifyStream
		case 'm':
			f |= NotifyKeyMiss
		case 'd':
			f |= NotifyModule
		case 'n':
			f |= NotifyNew
		default:
			return 0, false
		}
	}
	return f, true
}

// NotifyFlagsString prints notification classes as Redis does.
func NotifyFlagsString(f int) string {
	var b []byte
	if f&NotifyAll == NotifyAll {
		b = append(b, 'A')
	} else {
		for _, x := range []struct {
			f int
			c byte
		}{{NotifyGeneric, 'g'}, {NotifyString, '$'}, {NotifyList, 'l'}, {NotifySet, 's'}, {NotifyHash, 'h'},
			{NotifyZset, 'z'}, {NotifyExpired, 'x'}, {NotifyEvicted, 'e'}, {NotifyStream, 't'}, {NotifyModule, 'd'}, {NotifyNew, 'n'}} {
			if f&x.f != 0 {
				b = append(b, x.c)
			}
		}
	}
	if f&NotifyKeyspace != 0 {
		b = append(b, 'K')
	}
	if f&NotifyKeyevent != 0 {
		b = append(b, 'E')
	}
	if f&NotifyKeyMiss != 0 {
		b = append(b, 'm')
	}
	return string(b)
}

func shutdownFlags(f func(*Config) *string) func(*Config, []string, bool) string {
	return func(c *Config, args []string, fromFile bool) string {
		seen := map[string]bool{}
		var out []string
		for _, a := range args {
			a = strings.ToLower(a)
			switch a {
			case "default", "save", "nosave", "now", "force":
			default:
				return "argument(s) must be one of the following: default, save, nosave, now, force"
			}
			if !seen[a] {
				seen[a] = true
			}
		}
		if len(args) == 0 {
			return "argument(s) must be one of the following: default, save, nosave, now, force"
		}
		if (seen["save"] && seen["nosave"]) || (seen["default"] && len(seen) > 1) {
			return "Invalid shutdown flags"
		}
		for _, n := range []string{"default", "save", "nosave", "now", "force"} {
			if seen[n] {
				out = append(out, n)
			}
		}
		*f(c) = strings.Join(out, " ")
		return ""
	}
}
