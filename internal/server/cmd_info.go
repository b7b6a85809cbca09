package server

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/moonkv/moonkv/internal/keyspace"
)

type keyspaceEntry = keyspace.Entry

// infoSections lists INFO's sections in Redis's order; def marks those
// "INFO" and "INFO default" print, all those "INFO all" prints (everything
// adds nothing more: moonkv has no modules).
var infoSections = []struct {
	name     string
	def, all bool
	gen      func(s *Server, b *infoBuf)
}{
	{"server", true, true, infoServer},
	{"clients", true, true, infoClients},
	{"memory", true, true, infoMemory},
	{"persistence", true, true, infoPersistence},
	{"stats", true, true, infoStats},
	{"replication", true, true, infoReplication},
	{"cpu", true, true, infoCPU},
	{"modules", true, true, func(*Server, *infoBuf) {}},
	{"commandstats", false, true, infoCommandStats},
	{"errorstats", true, true, infoErrorStats},
	{"cluster", true, true, func(s *Server, b *infoBuf) { b.int("cluster_enabled", 0) }},
	{"keyspace", true, true, infoKeyspace},
}

// INFO's "latencystats" section (per-command latency percentiles) is not
// produced: moonkv does not keep latency histograms yet.

type infoBuf struct{ strings.Builder }

func (b *infoBuf) str(k, v string) {
	b.WriteString(k)
	b.WriteByte(':')
	b.WriteString(v)
	b.WriteString("\r\n")
}

func (b *infoBuf) int(k string, v int64) { b.str(k, strconv.FormatInt(v, 10)) }

func (b *infoBuf) bool(k string, v bool) {
	if v {
		b.int(k, 1)
	} else {
		b.int(k, 0)
	}
}

// Info renders INFO for the given section names (none: the default set).
func (s *Server) Info(sections []string) string {
	want := map[string]bool{}
	all, def := false, len(sections) == 0
	for _, sec := range sections {
		switch sec = strings.ToLower(sec); sec {
		case "all", "everything":
			all = true
		case "default":
			def = true
		default:
			want[sec] = true
		}
	}
	var b infoBuf
	n := 0
	for _, sec := range infoSections {
		if !(want[sec.name] || (all && sec.all) || (def && sec.def)) {
			continue
		}
		if n > 0 {
			b.WriteString("\r\n")
		}
		n++
		title := strings.ToUpper(sec.name[:1]) + sec.name[1:]
		if sec.name == "cpu" {
			title = "CPU"
		}
		b.WriteString("# " + title + "\r\n")
		sec.gen(s, &b)
	}
	return b.String()
}

func cmdInfo(c *Ctx) {
	c.Srv.adm.ops.start(c.Srv)
	secs := make([]string, len(c.Args)-1)
	for i, a := range c.Args[1:] {
		secs[i] = string(a)
	}
	c.R.Verbatim("txt", c.Srv.Info(secs))
}

// runID is a random identity made at the server's first INFO and kept.
func (s *Server) runID() string {
	s.adm.mu.Lock()
	defer s.adm.mu.Unlock()
	if s.adm.runID == "" {
		s.adm.runID = randomHex40()
		s.adm.replID = randomHex40()
	}
	return s.adm.runID
}

func randomHex40() string {
	var b [20]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func buildID() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, st := range bi.Settings {
			if st.Key == "vcs.revision" && len(st.Value) >= 16 {
				return st.Value[:16]
			}
		}
	}
	return "0"
}

func unameString() string {
	var u syscall.Utsname
	if err := syscall.Uname(&u); err != nil {
		return runtime.GOOS
	}
	str := func(a [65]int8) string {
		var out []byte
		for _, c := range a {
			if c == 0 {
				break
			}
			out = append(out, byte(c))
		}
		return string(out)
	}
	return str(u.Sysname) + " " + str(u.Release) + " " + str(u.Machine)
}

func infoServer(s *Server, b *infoBuf) {
	up := s.Uptime()
	port := s.Cfg.Port
	if len(s.listeners) > 0 {
		if a, ok := s.Addr().(interface{ String() string }); ok {
			if _, p, err := splitHostPort(a.String()); err == nil {
				port = p
			}
		}
	}
	exe := s.Cfg.Executable
	if exe == "" {
		exe, _ = os.Executable()
	}
	b.str("redis_version", RedisVersion)
	b.str("redis_git_sha1", "00000000")
	b.int("redis_git_dirty", 0)
	b.str("redis_build_id", buildID())
	b.str("redis_mode", "standalone")
	b.str("os", unameString())
	b.int("arch_bits", int64(strconv.IntSize))
	b.str("monotonic_clock", "POSIX clock_gettime")
	b.str("multiplexing_api", "epoll")
	b.str("atomicvar_api", "sync/atomic")
	b.str("gcc_version", "0.0.0")
	b.int("process_id", int64(os.Getpid()))
	b.str("process_supervised", "no")
	b.str("run_id", s.runID())
	b.int("tcp_port", int64(port))
	b.int("server_time_usec", time.Now().UnixMicro())
	b.int("uptime_in_seconds", int64(up/time.Second))
	b.int("uptime_in_days", int64(up/(24*time.Hour)))
	b.int("hz", int64(s.Cfg.Hz))
	b.int("configured_hz", int64(s.Cfg.Hz))
	b.int("lru_clock", (time.Now().UnixMilli()/1000)&(1<<24-1))
	b.str("executable", exe)
	b.str("config_file", s.Cfg.ConfigFile)
	b.int("io_threads_active", 0)
	b.str("moonkv_version", Version)
	b.str("moonkv_go_version", runtime.Version())
}

func splitHostPort(a string) (string, int, error) {
	i := strings.LastIndexByte(a, ':')
	if i < 0 {
		return "", 0, fmt.Errorf("no port")
	}
	p, err := strconv.Atoi(a[i+1:])
	return a[:i], p, err
}

func infoClients(s *Server, b *infoBuf) {
	blocked := 0
	if s.Hooks.BlockedClients != nil {
		blocked = s.Hooks.BlockedClients()
	}
	b.int("connected_clients", int64(len(s.Clients())))
	b.int("cluster_connections", 0)
	b.int("maxclients", int64(s.Cfg.MaxClients))
	b.int("client_recent_max_input_buffer", 0)
	b.int("client_recent_max_output_buffer", 0)
	b.int("blocked_clients", int64(blocked))
	b.int("tracking_clients", 0)
	b.int("clients_in_timeout_table", 0)
}

// humanBytes formats a size as Redis's bytesToHuman does.
func humanBytes(n float64) string {
	switch {
	case n < 1024:
		return strconv.FormatInt(int64(n), 10) + "B"
	case n < 1024*1024:
		return fmt.Sprintf("%.2fK", n/1024)
	case n < 1024*1024*1024:
		return fmt.Sprintf("%.2fM", n/(1024*1024))
	case n < 1024*1024*1024*1024:
		return fmt.Sprintf("%.2fG", n/(1024*1024*1024))
	case n < 1024*1024*1024*1024*1024:
		return fmt.Sprintf("%.2fT", n/(1024*1024*1024*1024))
	}
	return fmt.Sprintf("%.2fP", n/(1024*1024*1024*1024*1024))
}

// rssBytes reads the resident set size from /proc (0 where unavailable).
func rssBytes() int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

func totalSystemMemory() int64 {
	var si syscall.Sysinfo_t
	if err := syscall.Sysinfo(&si); err != nil {
		return 0
	}
	return int64(si.Totalram) * int64(si.Unit)
}

func infoMemory(s *Server, b *infoBuf) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	used := int64(ms.HeapAlloc)
	rss := rssBytes()
	s.adm.mu.Lock()
	if used > s.adm.peakMem {
		s.adm.peakMem = used
	}
	if s.adm.startMem == 0 {
		s.adm.startMem = used
	}
	peak, startup := s.adm.peakMem, s.adm.startMem
	s.adm.mu.Unlock()
	overhead := int64(ms.StackInuse + ms.MSpanInuse + ms.MCacheInuse + ms.GCSys)
	dataset := used - startup
	if dataset < 0 {
		dataset = 0
	}
	var luaMem, fnMem, scriptsOver, fnOver, cached, funcs, libs int64
	if s.Hooks.ScriptStats != nil {
		st := s.Hooks.ScriptStats()
		luaMem, cached, funcs, libs = st.Memory, int64(st.Scripts), int64(st.Functions), int64(st.Libraries)
		fnMem, scriptsOver, fnOver = st.FunctionsMemory, st.ScriptsOverhead, st.FunctionsOverhead
	}
	perc := func(a, b int64) string {
		if b == 0 {
			return "0.00%"
		}
		return fmt.Sprintf("%.2f%%", float64(a)*100/float64(b))
	}
	ratio := func(a, b int64) string {
		if b == 0 {
			return "0.00"
		}
		return fmt.Sprintf("%.2f", float64(a)/float64(b))
	}
	total := totalSystemMemory()
	active := int64(ms.HeapInuse)
	resident := int64(ms.HeapSys - ms.HeapReleased)
	b.int("used_memory", used)
	b.str("used_memory_human", humanBytes(float64(used)))
	b.int("used_memory_rss", rss)
	b.str("used_memory_rss_human", humanBytes(float64(rss)))
	b.int("used_memory_peak", peak)
	b.str("used_memory_peak_human", humanBytes(float64(peak)))
	b.str("used_memory_peak_perc", perc(used, peak))
	b.int("used_memory_overhead", overhead)
	b.int("used_memory_startup", startup)
	b.int("used_memory_dataset", dataset)
	b.str("used_memory_dataset_perc", perc(dataset, used))
	b.int("allocator_allocated", used)
	b.int("allocator_active", active)
	b.int("allocator_resident", resident)
	b.int("total_system_memory", total)
	b.str("total_system_memory_human", humanBytes(float64(total)))
	b.int("used_memory_lua", luaMem)
	b.int("used_memory_vm_eval", luaMem)
	b.str("used_memory_lua_human", humanBytes(float64(luaMem)))
	b.int("used_memory_scripts_eval", scriptsOver)
	b.int("number_of_cached_scripts", cached)
	b.int("number_of_functions", funcs)
	b.int("number_of_libraries", libs)
	b.int("used_memory_vm_functions", fnMem)
	b.int("used_memory_vm_total", luaMem+fnMem)
	b.str("used_memory_vm_total_human", humanBytes(float64(luaMem+fnMem)))
	b.int("used_memory_functions", fnOver)
	b.int("used_memory_scripts", scriptsOver+fnOver)
	b.str("used_memory_scripts_human", humanBytes(float64(scriptsOver+fnOver)))
	b.int("maxmemory", s.Cfg.MaxMemory)
	b.str("maxmemory_human", humanBytes(float64(s.Cfg.MaxMemory)))
	b.str("maxmemory_policy", s.Cfg.MaxMemoryPolicy)
	b.str("allocator_frag_ratio", ratio(active, used))
	b.int("allocator_frag_bytes", active-used)
	b.str("allocator_rss_ratio", ratio(resident, active))
	b.int("allocator_rss_bytes", resident-active)
	b.str("rss_overhead_ratio", ratio(rss, resident))
	b.int("rss_overhead_bytes", rss-resident)
	b.str("mem_fragmentation_ratio", ratio(rss, used))
	b.int("mem_fragmentation_bytes", rss-used)
	b.int("mem_not_counted_for_evict", 0)
	b.int("mem_replication_backlog", 0)
	b.int("mem_total_replication_buffers", 0)
	b.int("mem_clients_slaves", 0)
	b.int("mem_clients_normal", int64(len(s.Clients()))*clientOverhead)
	b.int("mem_cluster_links", 0)
	b.int("mem_aof_buffer", 0)
	b.str("mem_allocator", "go-"+runtime.Version())
	b.int("active_defrag_running", 0)
	b.int("lazyfree_pending_objects", 0)
	b.int("lazyfreed_objects", 0)
}

func infoPersistence(s *Server, b *infoBuf) {
	p := s.persistInfo()
	b.int("loading", 0)
	b.int("async_loading", 0)
	b.int("current_cow_peak", 0)
	b.int("current_cow_size", 0)
	b.int("current_cow_size_age", 0)
	b.str("current_fork_perc", "0.00")
	b.int("current_save_keys_processed", 0)
	b.int("current_save_keys_total", 0)
	b.int("rdb_changes_since_last_save", s.KS.Dirty-s.adm.dirtyAtSave)
	b.bool("rdb_bgsave_in_progress", p.bgsaveRunning)
	b.int("rdb_last_save_time", s.LastSave())
	b.str("rdb_last_bgsave_status", okErr(p.lastBgsaveOK))
	b.int("rdb_last_bgsave_time_sec", p.lastBgsaveSecs)
	b.int("rdb_current_bgsave_time_sec", p.curBgsaveSecs)
	b.int("rdb_saves", s.adm.saves)
	b.int("rdb_last_cow_size", 0)
	b.int("rdb_last_load_keys_expired", 0)
	b.int("rdb_last_load_keys_loaded", 0)
	b.bool("aof_enabled", p.aofOn)
	b.bool("aof_rewrite_in_progress", p.rewriteRunning)
	b.bool("aof_rewrite_scheduled", p.rewriteDue)
	b.int("aof_last_rewrite_time_sec", p.lastRewriteSecs)
	b.int("aof_current_rewrite_time_sec", p.curRewriteSecs)
	b.str("aof_last_bgrewrite_status", okErr(p.lastRewriteOK))
	b.int("aof_rewrites", p.rewrites)
	b.int("aof_rewrites_consecutive_failures", 0)
	b.str("aof_last_write_status", okErr(p.lastWriteOK))
	b.int("aof_last_cow_size", 0)
	b.int("module_fork_in_progress", 0)
	b.int("module_fork_last_cow_size", 0)
	if p.aofOn {
		b.int("aof_current_size", p.aofSize)
		b.int("aof_base_size", p.aofBaseSize)
		b.int("aof_pending_rewrite", 0)
		b.int("aof_buffer_length", 0)
		b.int("aof_pending_bio_fsync", 0)
		b.int("aof_delayed_fsync", 0)
	}
}

func okErr(ok bool) string {
	if ok {
		return "ok"
	}
	return "err"
}

func infoStats(s *Server, b *infoBuf) {
	o := &s.adm.ops
	kbps := func(i int) string { return fmt.Sprintf("%.2f", o.rate(i)/1024) }
	var ch, pat, shard int
	if s.Hooks.PubSubCounts != nil {
		ch, pat, shard = s.Hooks.PubSubCounts()
	}
	b.int("total_connections_received", s.Stats.Connections.Load())
	b.int("total_commands_processed", s.Stats.Commands.Load())
	b.int("instantaneous_ops_per_sec", int64(o.rate(0)))
	b.int("total_net_input_bytes", s.Stats.NetInput.Load())
	b.int("total_net_output_bytes", s.Stats.NetOutput.Load())
	b.int("total_net_repl_input_bytes", 0)
	b.int("total_net_repl_output_bytes", 0)
	b.str("instantaneous_input_kbps", kbps(1))
	b.str("instantaneous_output_kbps", kbps(2))
	b.str("instantaneous_input_repl_kbps", "0.00")
	b.str("instantaneous_output_repl_kbps", "0.00")
	b.int("rejected_connections", s.Stats.Rejected.Load())
	b.int("sync_full", 0)
	b.int("sync_partial_ok", 0)
	b.int("sync_partial_err", 0)
	b.int("expired_keys", s.KS.ExpiredKeys)
	b.str("expired_stale_perc", "0.00")
	b.int("expired_time_cap_reached_count", 0)
	b.int("expire_cycle_cpu_milliseconds", 0)
	b.int("evicted_keys", 0)
	b.int("evicted_clients", 0)
	b.int("evicted_scripts", s.evictedScripts())
	b.int("total_eviction_exceeded_time", 0)
	b.int("current_eviction_exceeded_time", 0)
	b.int("keyspace_hits", s.KS.Hits)
	b.int("keyspace_misses", s.KS.Misses)
	b.int("pubsub_channels", int64(ch))
	b.int("pubsub_patterns", int64(pat))
	b.int("pubsubshard_channels", int64(shard))
	b.int("latest_fork_usec", 0)
	b.int("total_forks", 0)
	b.int("migrate_cached_sockets", 0)
	b.int("slave_expires_tracked_keys", 0)
	b.int("active_defrag_hits", 0)
	b.int("active_defrag_misses", 0)
	b.int("active_defrag_key_hits", 0)
	b.int("active_defrag_key_misses", 0)
	b.int("total_active_defrag_time", 0)
	b.int("current_active_defrag_time", 0)
	b.int("tracking_total_keys", 0)
	b.int("tracking_total_items", 0)
	b.int("tracking_total_prefixes", 0)
	b.int("unexpected_error_replies", 0)
	b.int("total_error_replies", s.totalErrorReplies())
	b.int("dump_payload_sanitizations", 0)
	b.int("total_reads_processed", s.Stats.Commands.Load())
	b.int("total_writes_processed", 0)
	b.int("io_threaded_reads_processed", 0)
	b.int("io_threaded_writes_processed", 0)
	b.int("reply_buffer_shrinks", 0)
	b.int("reply_buffer_expands", 0)
}

// totalErrorReplies counts every error reply, rejected commands included
// (Redis's stat_total_error_replies), from the per-code counts.
func (s *Server) totalErrorReplies() int64 {
	s.statsMu.Lock()
	defer s.statsMu.Unlock()
	var n int64
	for _, v := range s.Stats.ErrorsByCode {
		n += v
	}
	return n
}

func infoReplication(s *Server, b *infoBuf) {
	s.runID()
	b.str("role", "master")
	b.int("connected_slaves", 0)
	b.str("master_failover_state", "no-failover")
	b.str("master_replid", s.adm.replID)
	b.str("master_replid2", strings.Repeat("0", 40))
	b.int("master_repl_offset", 0)
	b.int("second_repl_offset", -1)
	b.int("repl_backlog_active", 0)
	b.int("repl_backlog_size", s.Cfg.ReplBacklogSize)
	b.int("repl_backlog_first_byte_offset", 0)
	b.int("repl_backlog_histlen", 0)
}

func infoCPU(s *Server, b *infoBuf) {
	tv := func(t syscall.Timeval) string { return fmt.Sprintf("%d.%06d", t.Sec, t.Usec) }
	var self, kids syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	b.str("used_cpu_sys", tv(self.Stime))
	b.str("used_cpu_user", tv(self.Utime))
	b.str("used_cpu_sys_children", tv(kids.Stime))
	b.str("used_cpu_user_children", tv(kids.Utime))
	// moonkv has no main thread: commands run on many goroutines, so the
	// process's figures are reported.
	b.str("used_cpu_sys_main_thread", tv(self.Stime))
	b.str("used_cpu_user_main_thread", tv(self.Utime))
}

func infoCommandStats(s *Server, b *infoBuf) {
	var specs []*Spec
	for _, sp := range s.Reg.All() {
		specs = append(specs, sp)
		for _, sub := range sp.Subs {
			specs = append(specs, sub)
		}
	}
	sort.Slice(specs, func(i, j int) bool { return specs[i].Name < specs[j].Name })
	for _, sp := range specs {
		if sp.Calls == 0 && sp.Failed == 0 && sp.Rejected == 0 {
			continue
		}
		usec := sp.Nsec / 1000
		per := 0.0
		if sp.Calls > 0 {
			per = float64(sp.Nsec) / 1000 / float64(sp.Calls)
		}
		b.str("cmdstat_"+sp.Name, fmt.Sprintf("calls=%d,usec=%d,usec_per_call=%.2f,rejected_calls=%d,failed_calls=%d",
			sp.Calls, usec, per, sp.Rejected, sp.Failed))
	}
}

func infoErrorStats(s *Server, b *infoBuf) {
	s.statsMu.Lock()
	codes := make([]string, 0, len(s.Stats.ErrorsByCode))
	for k := range s.Stats.ErrorsByCode {
		codes = append(codes, k)
	}
	sort.Strings(codes)
	counts := make([]int64, len(codes))
	for i, k := range codes {
		counts[i] = s.Stats.ErrorsByCode[k]
	}
	s.statsMu.Unlock()
	for i, k := range codes {
		b.str("errorstat_"+k, "count="+strconv.FormatInt(counts[i], 10))
	}
}

func infoKeyspace(s *Server, b *infoBuf) {
	now := s.KS.Clock.NowMs()
	for _, db := range s.KS.DBs {
		keys := db.Len()
		if keys == 0 {
			continue
		}
		exp := db.ExpiresLen()
		avg := int64(0)
		if exp > 0 {
			// Redis estimates avg_ttl from its expiry sampling; moonkv
			// averages the TTLs of up to 1000 keys with a deadline.
			var sum, n int64
			db.Range(func(_ string, e *keyspaceEntry) bool {
				if e.Expire != 0 && e.Expire > now {
					sum += e.Expire - now
					n++
				}
				return n < 1000
			})
			if n > 0 {
				avg = sum / n
			}
		}
		b.str("db"+strconv.Itoa(db.ID), fmt.Sprintf("keys=%d,expires=%d,avg_ttl=%d", keys, exp, avg))
	}
}
