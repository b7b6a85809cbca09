package memory

import (
	"strconv"
	"strings"

	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/server"
)

// cmdStats is MEMORY STATS: Redis 7.0's fields in its order, integers as
// integers and ratios as doubles (bulk strings in RESP2), one map per
// non-empty database.
func cmdStats(c *server.Ctx) {
	m := c.Srv.MemoryOverhead()
	replyStats(c.R, &m)
}

func replyStats(r resp.Replier, m *server.MemOverhead) {
	r.MapLen(27 + len(m.DBs))
	kv := func(k string, v int64) {
		r.BulkString(k)
		r.Int(v)
	}
	kd := func(k string, v float32) {
		r.BulkString(k)
		r.Double(float64(v))
	}
	kv("peak.allocated", m.PeakAllocated)
	kv("total.allocated", m.TotalAllocated)
	kv("startup.allocated", m.StartupAllocated)
	kv("replication.backlog", m.ReplBacklog)
	kv("clients.slaves", m.ClientsSlaves)
	kv("clients.normal", m.ClientsNormal)
	kv("cluster.links", m.ClusterLinks)
	kv("aof.buffer", m.AOFBuffer)
	kv("lua.caches", m.LuaCaches)
	kv("functions.caches", m.FunctionsCaches)
	for _, d := range m.DBs {
		r.BulkString("db." + strconv.Itoa(d.ID))
		r.MapLen(3)
		kv("overhead.hashtable.main", d.HashtableMain)
		kv("overhead.hashtable.expires", d.HashtableExpires)
		kv("overhead.hashtable.slot-to-keys", d.HashtableSlotToKeys)
	}
	kv("overhead.total", m.OverheadTotal)
	kv("keys.count", m.TotalKeys)
	kv("keys.bytes-per-key", m.BytesPerKey)
	kv("dataset.bytes", m.Dataset)
	kd("dataset.percentage", m.DatasetPerc)
	kd("peak.percentage", m.PeakPerc)
	kv("allocator.allocated", m.AllocatorAllocated)
	kv("allocator.active", m.AllocatorActive)
	kv("allocator.resident", m.AllocatorResident)
	kd("allocator-fragmentation.ratio", m.AllocatorFrag)
	kv("allocator-fragmentation.bytes", m.AllocatorFragBytes)
	kd("allocator-rss.ratio", m.AllocatorRSS)
	kv("allocator-rss.bytes", m.AllocatorRSSBytes)
	kd("rss-overhead.ratio", m.RSSExtra)
	kv("rss-overhead.bytes", m.RSSExtraBytes)
	kd("fragmentation", m.TotalFrag)
	kv("fragmentation.bytes", m.TotalFragBytes)
}

// cmdDoctor is MEMORY DOCTOR: Redis's report, driven by the same figures
// as MEMORY STATS.
func cmdDoctor(c *server.Ctx) {
	m := c.Srv.MemoryOverhead()
	c.R.Verbatim("txt", DoctorReport(&m))
}

// Thresholds of Redis's memory doctor.
const (
	emptyBelow       = 5 << 20
	tenMB            = 10 << 20
	clientBufPerConn = 200 * 1024
	manyScripts      = 1000
)

// DoctorReport is Redis's getMemoryDoctorReport over moonkv's figures.
func DoctorReport(m *server.MemOverhead) string {
	if m.TotalAllocated < emptyBelow {
		return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n"
	}
	var issues []string
	if float32(m.PeakAllocated)/float32(m.TotalAllocated) > 1.5 {
		issues = append(issues, doctorPeak)
	}
	if m.TotalFrag > 1.4 && m.TotalFragBytes > tenMB {
		issues = append(issues, strings.Replace(doctorTotalRSS, "%s", m.Allocator, 1))
	}
	if m.AllocatorFrag > 1.1 && m.AllocatorFragBytes > tenMB {
		issues = append(issues, doctorAllocFrag)
	}
	if m.AllocatorRSS > 1.1 && m.AllocatorRSSBytes > tenMB {
		issues = append(issues, doctorAllocRSS)
	}
	if m.RSSExtra > 1.1 && m.RSSExtraBytes > tenMB {
		issues = append(issues, doctorProcRSS)
	}
	if m.Clients > 0 && m.ClientsNormal/m.Clients > clientBufPerConn {
		issues = append(issues, doctorClientBuf)
	}
	if m.Scripts > manyScripts {
		issues = append(issues, doctorScripts)
	}
	if len(issues) == 0 {
		return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n"
	}
	var b strings.Builder
	b.WriteString("Sam, I detected a few issues in this Redis instance memory implants:\n\n")
	for _, s := range issues {
		b.WriteString(s)
		b.WriteString("\n\n")
	}
	b.WriteString("I'm here to keep you safe, Sam. I want to help you.\n")
	return b.String()
}

// The doctor's findings, in Redis's words (replica buffers, which moonkv
// cannot have, are left out).
const (
	doctorPeak      = " * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance."
	doctorTotalRSS  = " * High total RSS: This instance has a memory fragmentation and RSS overhead greater than 1.4 (this means that the Resident Set Size of the Redis process is much larger than the sum of the logical allocations Redis performed). This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. If the problem is a large peak memory, then there is no issue. Otherwise, make sure you are using the Jemalloc allocator and not the default libc malloc. Note: The currently used allocator is \"%s\"."
	doctorAllocFrag = " * High allocator fragmentation: This instance has an allocator external fragmentation greater than 1.1. This problem is usually due either to a large peak memory (check if there is a peak memory entry above in the report) or may result from a workload that causes the allocator to fragment memory a lot. You can try enabling 'activedefrag' config option."
	doctorAllocRSS  = " * High allocator RSS overhead: This instance has an RSS memory overhead is greater than 1.1 (this means that the Resident Set Size of the allocator is much larger than the sum what the allocator actually holds). This problem is usually due to a large peak memory (check if there is a peak memory entry above in the report), you can try the MEMORY PURGE command to reclaim it."
	doctorProcRSS   = " * High process RSS overhead: This instance has non-allocator RSS memory overhead is greater than 1.1 (this means that the Resident Set Size of the Redis process is much larger than the RSS the allocator holds). This problem may be due to Lua scripts or Modules."
	doctorClientBuf = " * Big client buffers: The clients output buffers in this instance are greater than 200K per client (on average). This may result from different causes, like Pub/Sub clients subscribed to channels bot not receiving data fast enough, so that data piles on the Redis instance output buffer, or clients sending commands with large replies or very large sequences of commands in the same pipeline. Please use the CLIENT LIST command in order to investigate the issue if it causes problems in your instance, or to understand better why certain clients are using a big amount of memory."
	doctorScripts   = " * Many scripts: There seem to be many cached scripts in this instance (more than 1000). This may be because scripts are generated and `EVAL`ed, instead of being parameterized (with KEYS and ARGV), `SCRIPT LOAD`ed and `EVALSHA`ed. Unless `SCRIPT FLUSH` is called periodically, the scripts' caches may end up consuming most of your memory."
)
