package server

import (
	"strconv"
	"strings"
)

// Flags are a command's properties, as Redis's command table declares them.
// COMMAND INFO prints their names; the dispatcher, MULTI, scripts and the
// busy-script gate read them instead of keeping lists of their own.
type Flags uint32

const (
	Write Flags = 1 << iota
	ReadOnly
	DenyOOM
	Admin
	PubSub
	NoScript
	Blocking
	Loading
	Stale
	SkipMonitor
	SkipSlowlog
	Asking
	Fast
	NoAuth
	MayReplicate
	NoMandatoryKeys
	NoMulti
	AllowBusy
	// MovableKeys is derived (see Registry.Add): the keys' positions depend
	// on the arguments.
	MovableKeys
	// TxControl marks the commands that run at once inside MULTI instead
	// of being queued (EXEC, DISCARD, MULTI, WATCH, QUIT, RESET). It is
	// moonkv's own and not printed by COMMAND.
	TxControl
	// NoAsyncLoading is Redis's no_async_loading (refused while a replica
	// loads its dataset asynchronously); moonkv only reports it.
	NoAsyncLoading
)

var flagNames = []struct {
	f    Flags
	name string
}{
	{Write, "write"}, {ReadOnly, "readonly"}, {DenyOOM, "denyoom"}, {Admin, "admin"},
	{PubSub, "pubsub"}, {NoScript, "noscript"}, {Blocking, "blocking"}, {Loading, "loading"},
	{Stale, "stale"}, {SkipMonitor, "skip_monitor"}, {SkipSlowlog, "skip_slowlog"},
	// may_replicate is not printed: Redis hides it from COMMAND.
	{Asking, "asking"}, {Fast, "fast"}, {NoAuth, "no_auth"},
	{NoMandatoryKeys, "no_mandatory_keys"}, {NoAsyncLoading, "no_async_loading"}, {NoMulti, "no_multi"},
	{MovableKeys, "movablekeys"}, {AllowBusy, "allow_busy"},
}

// Names lists the flags in the order COMMAND INFO prints them.
func (f Flags) Names() []string {
	var out []string
	for _, fn := range flagNames {
		if f&fn.f != 0 {
			out = append(out, fn.name)
		}
	}
	return out
}

// ACL categories, in the order Redis prints them.
type Category uint32

const (
	CatKeyspace Category = 1 << iota
	CatRead
	CatWrite
	CatSet
	CatSortedSet
	CatList
	CatHash
	CatString
	CatBitmap
	CatHyperLogLog
	CatGeo
	CatStream
	CatPubSub
	CatAdmin
	CatFast
	CatSlow
	CatBlocking
	CatDangerous
	CatConnection
	CatTransaction
	CatScripting
)

var categoryNames = []string{"keyspace", "read", "write", "set", "sortedset", "list", "hash",
	"string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
	"blocking", "dangerous", "connection", "transaction", "scripting"}

// Names lists the categories as "@name", in Redis's order.
func (c Category) Names() []string {
	var out []string
	for i, n := range categoryNames {
		if c&(1<<i) != 0 {
			out = append(out, "@"+n)
		}
	}
	return out
}

// KeySpec is one Redis 7 key specification: where the search for keys
// begins (an argument index, or the argument after a keyword) and how keys
// are found from there (a range, or a count argument followed by keys).
type KeySpec struct {
	Flags []string // RW, RO, OW, RM; ACCESS, UPDATE, INSERT, DELETE; ...

	// Begin search: BeginIndex > 0 for an index; else Keyword, searched
	// from KeywordFrom (negative counts from the end).
	BeginIndex  int
	Keyword     string
	KeywordFrom int

	// Find keys: a range (LastKey relative to the first key, -1 for the
	// last argument; KeyStep; Limit), or, when KeyNum is set, a count at
	// KeyNumIdx followed by keys starting at FirstKey (both relative to the
	// begin position).
	LastKey   int
	KeyStep   int
	Limit     int
	KeyNum    bool
	KeyNumIdx int
	FirstKey  int
	// Unknown marks a spec whose keys cannot be found from the arguments
	// (Redis's "unknown" find_keys type); such commands supply KeysFunc.
	Unknown bool
	// Notes is the key spec's explanatory note, as COMMAND INFO prints it.
	Notes string
}

// Handler runs a command. It reads c.Args and replies through c.R exactly
// once.
type Handler func(c *Ctx)

// Spec declares one command or subcommand. The table of Specs is the only
// place a command is described.
type Spec struct {
	Name       string // lower case; "config|get" style for subcommands
	Arity      int    // >0 exact argument count, <0 minimum, counting the name
	Flags      Flags
	Categories Category // explicit ones; Add derives the rest from Flags
	KeySpecs   []KeySpec
	// KeysFunc overrides key extraction where the key specs cannot express
	// it; it returns argument indexes.
	KeysFunc func(args [][]byte) []int
	Handler  Handler
	Subs     map[string]*Spec
	// Protected puts the command behind enable-debug-command (Redis's
	// CMD_PROTECTED; see debug_gate.go).
	Protected bool

	// Documentation for COMMAND DOCS.
	Group      string
	Since      string
	Summary    string
	Complexity string
	Tips       []string
	Args       []ArgDoc
	// History lists (version, change) pairs; DocFlags holds "deprecated"
	// or "syscmd"; DeprecatedSince and ReplacedBy describe deprecation.
	History         [][2]string
	DocFlags        []string
	DeprecatedSince string
	ReplacedBy      string

	// Derived by Registry.Add.
	FirstKey, LastKey, Step int
	Parent                  *Spec

	// Statistics (INFO commandstats), updated under the execution lock.
	// Nsec is the time spent in the handler (Redis reports microseconds).
	Calls, Nsec, Rejected, Failed int64
}

// ArgDoc describes an argument for COMMAND DOCS, enough for redis-cli's
// hints.
type ArgDoc struct {
	Name     string
	Type     string // key, string, integer, double, pattern, unix-time, pure-token, oneof, block
	Token    string
	Optional bool
	Multiple bool
	Sub      []ArgDoc
	// KeySpec is the index of the key spec a "key" argument belongs to.
	KeySpec int
	// Since is the version that added the argument; MultipleToken marks a
	// token repeated before each value; Summary describes it.
	Since           string
	MultipleToken   bool
	Summary         string
	DeprecatedSince string
}

// FullName is the name COMMAND and error messages use ("config|get").
func (s *Spec) FullName() string { return s.Name }

// Is reports whether the spec has all the given flags.
func (s *Spec) Is(f Flags) bool { return s.Flags&f == f }

// AllCategories returns the spec's explicit categories plus those Redis
// derives from its flags.
func (s *Spec) AllCategories() Category {
	c := s.Categories
	if s.Flags&Write != 0 {
		c |= CatWrite
	}
	if s.Flags&ReadOnly != 0 && c&CatScripting == 0 {
		c |= CatRead
	}
	if s.Flags&Admin != 0 {
		c |= CatAdmin | CatDangerous
	}
	if s.Flags&PubSub != 0 {
		c |= CatPubSub
	}
	if s.Flags&Fast != 0 {
		c |= CatFast
	}
	if s.Flags&Blocking != 0 {
		c |= CatBlocking
	}
	if c&CatFast == 0 {
		c |= CatSlow
	}
	return c
}

// Registry is the command table.
type Registry struct {
	cmds map[string]*Spec
}

// NewRegistry returns an empty table.
func NewRegistry() *Registry { return &Registry{cmds: map[string]*Spec{}} }

// Add registers commands. Subcommands are given in Subs keyed by their
// lower-case name; their Name is set to "parent|sub".
func (r *Registry) Add(specs ...*Spec) {
	for _, s := range specs {
		s.Name = strings.ToLower(s.Name)
		if _, dup := r.cmds[s.Name]; dup {
			panic("command registered twice: " + s.Name)
		}
		derive(s)
		for name, sub := range s.Subs {
			sub.Name = s.Name + "|" + strings.ToLower(name)
			sub.Parent = s
			if sub.Group == "" {
				sub.Group = s.Group
			}
			derive(sub)
		}
		r.cmds[s.Name] = s
	}
}

// derive fills the legacy (first, last, step) key range from the key specs
// the way Redis does, and marks commands with movable keys.
func derive(s *Spec) {
	movable := s.KeysFunc != nil
	first, last, step := 0, 0, 0
	for i, ks := range s.KeySpecs {
		if ks.BeginIndex <= 0 || ks.KeyNum || ks.Unknown {
			movable = true
			continue
		}
		if i > 0 && first != 0 {
			// Redis merges several index/range specs into one range only
			// when they are contiguous with the same step; otherwise it
			// reports the outermost range and marks keys movable.
			l := lastOf(ks)
			if ks.KeyStep != step && l != ks.BeginIndex {
				movable = true
			}
			if ks.BeginIndex < first {
				first = ks.BeginIndex
			}
			if l < 0 || last < 0 {
				last = -1
			} else if l > last {
				last = l
			}
			continue
		}
		first, last, step = ks.BeginIndex, lastOf(ks), ks.KeyStep
		if ks.Limit > 1 {
			movable = true
		}
	}
	s.FirstKey, s.LastKey, s.Step = first, last, step
	if movable {
		s.Flags |= MovableKeys
	}
}

func lastOf(ks KeySpec) int {
	if ks.LastKey < 0 {
		return ks.LastKey
	}
	return ks.BeginIndex + ks.LastKey
}

// Lookup finds a top-level command by its name in any case, without
// allocating for names of ordinary length.
func (r *Registry) Lookup(name []byte) *Spec {
	var buf [32]byte
	if len(name) > len(buf) {
		return r.cmds[strings.ToLower(string(name))]
	}
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return r.cmds[string(buf[:len(name)])]
}

// LookupArgs resolves a command and, for container commands, its
// subcommand. It returns the parent when the subcommand is unknown, so the
// caller can tell "unknown command" from "unknown subcommand".
func (r *Registry) LookupArgs(args [][]byte) *Spec {
	s := r.Lookup(args[0])
	if s == nil || s.Subs == nil || len(args) < 2 {
		return s
	}
	if sub := s.Subs[strings.ToLower(string(args[1]))]; sub != nil {
		return sub
	}
	return s
}

// All returns every top-level command.
func (r *Registry) All() []*Spec {
	out := make([]*Spec, 0, len(r.cmds))
	for _, s := range r.cmds {
		out = append(out, s)
	}
	return out
}

// Len is the number of top-level commands (COMMAND COUNT).
func (r *Registry) Len() int { return len(r.cmds) }

// Keys returns the indexes of the key arguments of a command call, as
// COMMAND GETKEYS, WATCH-free checks, scripts and cluster slots need them.
// ok is false when the arguments are malformed for key extraction (Redis
// then answers "Invalid arguments specified for command").
func (s *Spec) Keys(args [][]byte) (idx []int, ok bool) {
	if s.KeysFunc != nil {
		idx = s.KeysFunc(args)
		return idx, idx != nil || len(s.KeySpecs) == 0
	}
	for _, ks := range s.KeySpecs {
		begin := 0
		switch {
		case ks.BeginIndex > 0:
			begin = ks.BeginIndex
		case ks.Keyword != "":
			from, end, dir := ks.KeywordFrom, len(args), 1
			if from < 0 {
				from, end, dir = len(args)+from, 0, -1
			}
			for i := from; i != end && i > 0 && i < len(args); i += dir {
				if strings.EqualFold(string(args[i]), ks.Keyword) {
					begin = i + 1
					break
				}
			}
			if begin == 0 {
				continue
			}
		}
		if begin >= len(args) {
			continue
		}
		if ks.KeyNum {
			ni := begin + ks.KeyNumIdx
			if ni >= len(args) {
				return nil, false
			}
			n, err := strconv.Atoi(string(args[ni]))
			if err != nil || n < 0 {
				return nil, false
			}
			first := begin + ks.FirstKey
			step := max(ks.KeyStep, 1)
			if first+(n-1)*step >= len(args) && n > 0 {
				return nil, false
			}
			for i := 0; i < n; i++ {
				idx = append(idx, first+i*step)
			}
			continue
		}
		last := ks.LastKey
		switch {
		case last >= 0:
			last = begin + last
		case ks.Limit > 1:
			last = begin + (len(args)-1-begin)/ks.Limit
		default:
			last = len(args) + last
		}
		step := max(ks.KeyStep, 1)
		for i := begin; i <= last && i < len(args); i += step {
			idx = append(idx, i)
		}
	}
	return idx, true
}
