package server

import (
	"runtime"
	"runtime/metrics"
)

// MemOverhead is what MEMORY STATS and MEMORY DOCTOR report: Redis's
// redisMemOverhead, filled from what moonkv knows of its own memory. Go's
// heap plays jemalloc's part:
//
//   - total.allocated (zmalloc_used) is the bytes of live heap objects
//     (/memory/classes/heap/objects), the figure INFO's used_memory is;
//   - allocator.allocated is the same; allocator.active adds the unused
//     tails of in-use spans (the heap's in-use pages, jemalloc's "active");
//     allocator.resident adds free pages not yet returned to the system
//     (jemalloc's "resident": what the allocator holds in RAM);
//   - the process RSS comes from /proc/self/statm, as Redis reads it.
//
// Ratios are computed in float32, as Redis's fields are floats.
type MemOverhead struct {
	PeakAllocated, TotalAllocated, StartupAllocated int64
	ReplBacklog, ClientsSlaves, ClientsNormal       int64
	ClusterLinks, AOFBuffer, LuaCaches              int64
	FunctionsCaches                                 int64
	DBs                                             []DBOverhead
	OverheadTotal, TotalKeys, BytesPerKey, Dataset  int64
	DatasetPerc, PeakPerc                           float32

	AllocatorAllocated, AllocatorActive, AllocatorResident int64
	AllocatorFrag, AllocatorRSS, RSSExtra, TotalFrag       float32
	AllocatorFragBytes, AllocatorRSSBytes, RSSExtraBytes   int64
	TotalFragBytes                                         int64

	// Clients is the number of connected clients and Scripts the number
	// of cached EVAL scripts (MEMORY DOCTOR's averages and limits);
	// Allocator names the allocator ("go-<version>", as INFO's
	// mem_allocator).
	Clients, Scripts int64
	Allocator        string
}

// DBOverhead is one database's table overhead, as Redis counts it: a
// 24-byte dictEntry per key plus an 8-byte bucket pointer per slot, and a
// 16-byte robj per key for the main table.
type DBOverhead struct {
	ID                              int
	HashtableMain, HashtableExpires int64
	HashtableSlotToKeys             int64 // 0: moonkv has no cluster mode
	keys                            int64
}

const (
	dictEntrySize = 24
	dictSlotSize  = 8
	robjSize      = 16
)

// redisDictSlots is the bucket count of a Redis dict holding n entries
// grown by inserts: at least 4, doubled whenever it fills.
func redisDictSlots(n int) int64 {
	if n == 0 {
		return 0
	}
	s := int64(4)
	for s < int64(n) {
		s *= 2
	}
	return s
}

// heapFigures reads the Go heap's classes without stopping the world.
func heapFigures() (objects, unused, free int64) {
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
	}
	metrics.Read(samples)
	get := func(i int) int64 {
		if samples[i].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return int64(samples[i].Value.Uint64())
	}
	return get(0), get(1), get(2)
}

// MemoryOverhead gathers the figures; called with the execution lock held.
func (s *Server) MemoryOverhead() MemOverhead {
	objects, unused, free := heapFigures()
	var m MemOverhead
	m.TotalAllocated = objects
	s.adm.mu.Lock()
	if objects > s.adm.peakMem {
		s.adm.peakMem = objects
	}
	if s.adm.startMem == 0 {
		s.adm.startMem = objects
	}
	m.PeakAllocated, m.StartupAllocated = s.adm.peakMem, s.adm.startMem
	s.adm.mu.Unlock()

	total := m.StartupAllocated
	// No replication, no cluster: backlog, replicas and links are 0.
	m.Clients = int64(len(s.Clients()))
	m.ClientsNormal = m.Clients * clientOverhead // as INFO's mem_clients_normal
	total += m.ClientsNormal
	// The AOF's pending bytes are written before any reply leaves, so
	// between commands the buffer is empty.
	m.AOFBuffer = 0
	if s.Hooks.ScriptStats != nil {
		st := s.Hooks.ScriptStats()
		// As Redis's evalScriptsMemory and functionsMemoryOverhead: the
		// caches' own bytes (bodies, names), not the Lua states, which
		// INFO reports as used_memory_vm_*.
		m.LuaCaches = st.ScriptsOverhead
		m.FunctionsCaches = st.FunctionsOverhead
		m.Scripts = int64(st.Scripts)
	}
	total += m.LuaCaches + m.FunctionsCaches
	for _, db := range s.KS.DBs {
		n := db.Len()
		if n == 0 {
			continue
		}
		e := db.ExpiresLen()
		d := DBOverhead{ID: db.ID,
			HashtableMain:    int64(n)*(dictEntrySize+robjSize) + redisDictSlots(n)*dictSlotSize,
			HashtableExpires: int64(e)*dictEntrySize + redisDictSlots(e)*dictSlotSize}
		m.DBs = append(m.DBs, d)
		m.TotalKeys += int64(n)
		total += d.HashtableMain + d.HashtableExpires
	}
	m.OverheadTotal = total
	m.Dataset = max(m.TotalAllocated-total, 0)
	if m.PeakAllocated > 0 {
		m.PeakPerc = float32(m.TotalAllocated) * 100 / float32(m.PeakAllocated)
	}
	net := int64(1)
	if m.TotalAllocated > m.StartupAllocated {
		net = m.TotalAllocated - m.StartupAllocated
	}
	m.DatasetPerc = float32(m.Dataset) * 100 / float32(net)
	if m.TotalKeys > 0 {
		m.BytesPerKey = m.Dataset / m.TotalKeys
	}

	m.AllocatorAllocated = objects
	m.AllocatorActive = objects + unused
	m.AllocatorResident = objects + unused + free
	rss := rssBytes()
	ratio := func(a, b int64) float32 {
		if b == 0 {
			return 0
		}
		return float32(a) / float32(b)
	}
	m.AllocatorFrag, m.AllocatorFragBytes = ratio(m.AllocatorActive, m.AllocatorAllocated), m.AllocatorActive-m.AllocatorAllocated
	m.AllocatorRSS, m.AllocatorRSSBytes = ratio(m.AllocatorResident, m.AllocatorActive), m.AllocatorResident-m.AllocatorActive
	m.RSSExtra, m.RSSExtraBytes = ratio(rss, m.AllocatorResident), rss-m.AllocatorResident
	m.TotalFrag, m.TotalFragBytes = ratio(rss, m.TotalAllocated), rss-m.TotalAllocated
	m.Allocator = "go-" + runtime.Version()
	return m
}
