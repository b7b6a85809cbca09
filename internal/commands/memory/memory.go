package memory

import (
	"github.com/moonkv/moonkv/internal/types/memsize"
	"runtime/debug"

	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
)

var memoryHelp = []string{
	"DOCTOR",
	"    Return memory problems reports.",
	"MALLOC-STATS",
	"    Return internal statistics report from the memory allocator.",
	"PURGE",
	"    Attempt to purge dirty pages for reclamation by the allocator.",
	"STATS",
	"    Return information about the memory usage of the server.",
	"USAGE <key> [SAMPLES <count>]",
	"    Return memory in bytes used by <key> and its value. Nested values are",
	"    sampled up to <count> times (default: 5, 0 means sample all).",
}

// Register adds MEMORY to the table.
func Register(r *server.Registry) {
	r.Add(&server.Spec{Name: "memory", Arity: -2, Group: "server", Since: "4.0.0",
		Summary: "A container for commands that report on memory use.", Complexity: "Depends on subcommand.",
		Subs: map[string]*server.Spec{
			"usage": {Arity: -3, Flags: server.ReadOnly, KeySpecs: []server.KeySpec{{Flags: []string{"RO"}, BeginIndex: 2, LastKey: 0, KeyStep: 1}},
				Since: "4.0.0", Summary: "Estimates how many bytes a key and its value take.",
				Complexity: "O(N) where N is the number of samples.", Handler: cmdUsage,
				Args: []server.ArgDoc{{Name: "key", Type: "key"}, {Name: "count", Type: "integer", Token: "SAMPLES", Optional: true}}},
			"help": {Arity: 2, Flags: server.Loading | server.Stale, Since: "4.0.0",
				Summary: "Describes the MEMORY subcommands.", Complexity: "O(1)", Handler: cmdHelp},
			"purge": {Arity: 2, Since: "4.0.0", Tips: []string{"request_policy:all_shards", "response_policy:all_succeeded"},
				Summary: "Asks the allocator to give unused memory back to the system.", Complexity: "Depends on how much memory is allocated, could be slow",
				Handler: cmdPurge},
			"doctor": {Arity: 2, Since: "4.0.0", Tips: []string{"nondeterministic_output", "request_policy:all_shards", "response_policy:special"},
				Summary: "Reports memory problems the server can see, with advice.", Complexity: "O(1)",
				Handler: cmdDoctor},
			"stats": {Arity: 2, Since: "4.0.0", Tips: []string{"nondeterministic_output", "request_policy:all_shards", "response_policy:special"},
				Summary: "Reports what the server's memory is used for.", Complexity: "O(1)",
				Handler: cmdStats},
			"malloc-stats": {Arity: 2, Since: "4.0.0", Tips: []string{"nondeterministic_output", "request_policy:all_shards", "response_policy:special"},
				Summary: "Returns the allocator's own statistics report.", Complexity: "Depends on how much memory is allocated, could be slow",
				Handler: cmdMallocStats},
		}})
}

// cmdPurge returns freed heap pages to the operating system, Go's
// counterpart of jemalloc's purge.
func cmdPurge(c *server.Ctx) {
	debug.FreeOSMemory()
	c.OK()
}

// cmdMallocStats answers as Redis does when built without jemalloc: Go's
// allocator has no such report.
func cmdMallocStats(c *server.Ctx) {
	c.R.Verbatim("txt", "Stats not supported for the current allocator")
}

func cmdHelp(c *server.Ctx) { server.ReplyHelp(c, "MEMORY", memoryHelp) }

const dictEntrySize = 24

func cmdUsage(c *server.Ctx) {
	samples := int64(defaultSamples)
	for i := 3; i < len(c.Args); i++ {
		if !server.Is(c.Args[i], "samples") || i+1 >= len(c.Args) {
			c.Err(rerr.Syntax)
			return
		}
		n, ok := c.Int(c.Args[i+1])
		if !ok {
			return
		}
		if n < 0 {
			c.Err(rerr.Syntax)
			return
		}
		samples = n
		i++
	}
	e := c.DB.Peek(c.Args[2])
	if e == nil {
		c.R.Null()
		return
	}
	c.R.Int(int64(Usage(c.Args[2], e, int(min(samples, 1<<30)))))
}

// defaultSamples is how many elements of a large aggregate MEMORY USAGE
// looks at unless told otherwise.
const defaultSamples = 5

// sampler is implemented by values whose estimate can use more or fewer
// samples than keyspace.Object.MemUsage's default.
type sampler interface {
	MemUsageSamples(samples int) int
}

// Usage is Redis's MEMORY USAGE figure for a key holding e; samples 0
// means every element.
func Usage(key []byte, e *keyspace.Entry, samples int) int {
	return ValueSize(e, samples) + memsize.SDS(len(key)) + dictEntrySize
}

// ValueSize estimates Redis's allocation for a value (objectComputeSize).
func ValueSize(e *keyspace.Entry, samples int) int {
	if e.Type == keyspace.TypeString {
		return StringSize(e.Str, e.RawStr)
	}
	if s, ok := e.Obj.(sampler); ok {
		return s.MemUsageSamples(samples)
	}
	if o, ok := e.Obj.(keyspace.Object); ok {
		return o.MemUsage()
	}
	return robjSize
}

const (
	robjSize     = 16
	maxEmbstrLen = 44
	sdsHdr8      = 3
)

// StringSize is what Redis allocates for a string value: the bare object
// for an integer, one allocation holding object and sds for an embstr, or
// the object plus a separate sds for a raw string.
func StringSize(s []byte, raw bool) int {
	if !raw && isInt(s) {
		return robjSize
	}
	if !raw && len(s) <= maxEmbstrLen {
		return memsize.Alloc(robjSize + sdsHdr8 + len(s) + 1)
	}
	return robjSize + sdsAlloc(len(s))
}

// sdsAlloc is the allocation of a value sds, whose header is at least
// sdshdr8 (Redis only uses sdshdr5 for keys).
func sdsAlloc(n int) int {
	hdr := 17
	switch {
	case n < 256:
		hdr = 3
	case n < 65536:
		hdr = 5
	case n < 1<<32:
		hdr = 9
	}
	return memsize.Alloc(hdr + n + 1)
}

func isInt(s []byte) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	_, ok := server.ParseInt(s)
	return ok
}
