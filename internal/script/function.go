package script

import (
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/server"
)

// Library is one function library: the code FUNCTION LOAD was given
// (shebang included, as DUMP and the RDB keep it) and the functions its
// code registered.
type Library struct {
	Name  string
	Code  []byte
	Funcs []*Function // in registration order
}

// Function is one function a library registered.
type Function struct {
	Name    string
	Desc    string
	HasDesc bool
	Flags   Flags
	Lib     *Library
	// S is what the run machinery runs: S.SHA holds the name that error
	// replies show ("script: <name>"), S.Flags the function's flags and
	// S.Compiled the VM's handle for the callback.
	S Script
}

// FunctionVM is what a VM offers to run function libraries, in a Lua
// state of their own (EVAL's state and SCRIPT FLUSH do not touch it).
type FunctionVM interface {
	// LoadLibrary runs a library's code (the payload after its shebang
	// line, the newline kept so lines count from the shebang) with the
	// load-time API, and returns the functions it registered, each with
	// Name, Desc, Flags and S.Compiled set. The error is the full reply
	// text ("ERR Error compiling function: ..."). A timeout of 0 means
	// none.
	LoadLibrary(code string, timeout time.Duration) ([]*Function, error)
	// FlushFunctions forgets every function: the next library loads in a
	// fresh Lua state.
	FlushFunctions()
	// FunctionsMemory is the memory of the functions' Lua state.
	FunctionsMemory() int64
}

// LoadTimeout bounds FUNCTION LOAD's run of a library's code, as Redis
// does (the AOF and the RDB load without a bound).
const LoadTimeout = 500 * time.Millisecond

// libSet is a set of libraries and the index of their functions by
// case-insensitive name (FCALL looks names up in any case).
type libSet struct {
	libs  map[string]*Library
	funcs map[string]*Function
}

func newLibSet() *libSet {
	return &libSet{libs: map[string]*Library{}, funcs: map[string]*Function{}}
}

func (s *libSet) link(l *Library) {
	s.libs[l.Name] = l
	for _, f := range l.Funcs {
		s.funcs[strings.ToLower(f.Name)] = f
	}
}

func (s *libSet) unlink(l *Library) {
	delete(s.libs, l.Name)
	for _, f := range l.Funcs {
		delete(s.funcs, strings.ToLower(f.Name))
	}
}

// functionState is the engine's FUNCTION state.
type functionState struct {
	set *libSet
	// running is the function FCALL is running, read without the
	// execution lock by FUNCTION STATS and the kill commands.
	running atomic.Pointer[runningFunction]
}

type runningFunction struct {
	fn    *Function
	args  [][]byte // the FCALL command as the caller sent it
	start time.Time
}

func (e *Engine) libs() *libSet {
	if e.fn.set == nil {
		e.fn.set = newLibSet()
	}
	return e.fn.set
}

func (e *Engine) fvm() FunctionVM {
	fv, ok := e.vm.(FunctionVM)
	if !ok {
		panic("script: the VM cannot run functions")
	}
	return fv
}

// ValidName reports whether a library or function name is made of
// letters, digits and underscores only, and is not empty.
func ValidName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// functionFlags are the flags register_function accepts, in the order
// FUNCTION LIST prints them.
var functionFlags = []struct {
	name string
	f    Flags
}{{"no-writes", NoWrites}, {"allow-oom", AllowOOM}, {"allow-stale", AllowStale},
	{"no-cluster", NoCluster}, {"allow-cross-slot-keys", AllowCrossSlot}}

// FlagByName finds a function flag by its name in any case.
func FlagByName(name string) (Flags, bool) {
	for _, fl := range functionFlags {
		if strings.EqualFold(fl.name, name) {
			return fl.f, true
		}
	}
	return 0, false
}

// FlagNames lists the names of the flags set in f.
func FlagNames(f Flags) []string {
	var out []string
	for _, fl := range functionFlags {
		if f&fl.f != 0 {
			out = append(out, fl.name)
		}
	}
	return out
}

// parseLibMeta reads a library's "#!<engine> name=<name>" line; body is
// what follows it, from its newline on.
func parseLibMeta(code []byte) (engine, name, body string, err error) {
	if len(code) < 2 || code[0] != '#' || code[1] != '!' {
		return "", "", "", errText(rerr.LibMissingMeta)
	}
	end := strings.IndexByte(string(code), '\n')
	if end < 0 {
		return "", "", "", errText(rerr.LibInvalidMeta)
	}
	parts, perr := resp.SplitArgs(nil, code[:end])
	if perr != nil || len(parts) == 0 {
		return "", "", "", errText(rerr.LibInvalidMeta)
	}
	engine = string(parts[0][2:])
	seen := false
	for _, p := range parts[1:] {
		if len(p) >= 5 && strings.EqualFold(string(p[:5]), "name=") {
			if seen {
				return "", "", "", errText(rerr.LibNameTwice)
			}
			name, seen = string(p[5:]), true
			continue
		}
		return "", "", "", rerr.LibMetaValue(string(p))
	}
	if !seen {
		return "", "", "", errText(rerr.LibNoName)
	}
	return engine, name, string(code[end:]), nil
}

type replyError string

func (e replyError) Error() string { return string(e) }

func errText(s string) error { return replyError("ERR " + s) }

// create compiles a library into set (FUNCTION LOAD, RESTORE, loading a
// snapshot). A library of the same name is replaced only when replace is
// set; on any error set is left as it was.
func (e *Engine) create(set *libSet, code []byte, replace bool, timeout time.Duration) (*Library, error) {
	engine, name, body, err := parseLibMeta(code)
	if err != nil {
		return nil, err
	}
	if !ValidName(name) {
		return nil, errText(rerr.LibBadName)
	}
	if !strings.EqualFold(engine, "lua") {
		return nil, rerr.EngineNotFound(engine)
	}
	old := set.libs[name]
	if old != nil && !replace {
		return nil, rerr.LibraryExists(name)
	}
	if old != nil {
		set.unlink(old)
	}
	fail := func(err error) (*Library, error) {
		if old != nil {
			set.link(old)
		}
		return nil, err
	}
	funcs, err := e.fvm().LoadLibrary(body, timeout)
	if err != nil {
		return fail(err)
	}
	if len(funcs) == 0 {
		return fail(errText(rerr.LibNoFunctions))
	}
	for _, f := range funcs {
		if set.funcs[strings.ToLower(f.Name)] != nil {
			return fail(rerr.FunctionExists(f.Name))
		}
	}
	lib := &Library{Name: name, Code: append([]byte(nil), code...), Funcs: funcs}
	for _, f := range funcs {
		f.Lib = lib
		f.S.SHA, f.S.Flags = f.Name, f.Flags
	}
	set.link(lib)
	return lib, nil
}

// LoadLibrary is FUNCTION LOAD: it returns the library's name.
func (e *Engine) LoadLibrary(code []byte, replace bool, timeout time.Duration) (string, error) {
	lib, err := e.create(e.libs(), code, replace, timeout)
	if err != nil {
		return "", err
	}
	return lib.Name, nil
}

// DeleteLibrary is FUNCTION DELETE; it reports whether the library existed.
func (e *Engine) DeleteLibrary(name string) bool {
	set := e.libs()
	lib := set.libs[name]
	if lib == nil {
		return false
	}
	set.unlink(lib)
	return true
}

// FlushFunctions is FUNCTION FLUSH: every library goes, with the Lua
// state that ran them.
func (e *Engine) FlushFunctions() {
	e.fn.set = newLibSet()
	e.fvm().FlushFunctions()
}

// Libraries returns the libraries sorted by name.
func (e *Engine) Libraries() []*Library {
	set := e.libs()
	out := make([]*Library, 0, len(set.libs))
	for _, l := range set.libs {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LibraryCodes returns the code of every library, sorted by library name
// (FUNCTION DUMP, snapshots, AOF rewrites).
func (e *Engine) LibraryCodes() [][]byte {
	libs := e.Libraries()
	out := make([][]byte, len(libs))
	for i, l := range libs {
		out[i] = l.Code
	}
	return out
}

// FunctionCounts returns the number of libraries and of functions.
func (e *Engine) FunctionCounts() (libs, funcs int) {
	set := e.libs()
	return len(set.libs), len(set.funcs)
}

// LookupFunction finds a function by name in any case.
func (e *Engine) LookupFunction(name []byte) *Function {
	return e.libs().funcs[strings.ToLower(string(name))]
}

// RestorePolicy is FUNCTION RESTORE's way with existing libraries.
type RestorePolicy int

const (
	RestoreAppend RestorePolicy = iota
	RestoreReplace
	RestoreFlush
)

// RestoreLibraries is FUNCTION RESTORE once the payload is decoded: the
// libraries are compiled apart first, then joined to the current ones by
// the policy; on any error nothing changes.
func (e *Engine) RestoreLibraries(codes [][]byte, policy RestorePolicy) error {
	tmp := newLibSet()
	for _, code := range codes {
		if _, err := e.create(tmp, code, false, 0); err != nil {
			return err
		}
	}
	if policy == RestoreFlush {
		e.fn.set = tmp
		return nil
	}
	cur := e.libs()
	names := make([]string, 0, len(tmp.libs))
	for n := range tmp.libs {
		names = append(names, n)
	}
	sort.Strings(names)
	var replaced []*Library
	undo := func() {
		for _, l := range replaced {
			cur.link(l)
		}
	}
	for _, n := range names {
		if old := cur.libs[n]; old != nil {
			if policy != RestoreReplace {
				undo()
				return rerr.LibraryExistsRestore(n)
			}
			cur.unlink(old)
			replaced = append(replaced, old)
		}
	}
	for _, n := range names {
		for _, f := range tmp.libs[n].Funcs {
			if cur.funcs[strings.ToLower(f.Name)] != nil {
				undo()
				return rerr.FunctionExists(f.Name)
			}
		}
	}
	for _, n := range names {
		cur.link(tmp.libs[n])
	}
	return nil
}

// RunFunction runs a function for FCALL (ro false) or FCALL_RO.
func (e *Engine) RunFunction(c *server.Ctx, f *Function, keys, argv [][]byte, ro bool) {
	e.fn.running.Store(&runningFunction{fn: f, args: c.Args, start: time.Now()})
	e.Run(c, &f.S, keys, argv, ro)
	e.fn.running.Store(nil)
}

// FunctionRunning describes the running script for FUNCTION STATS: ok
// is false when no script runs; eval is true when it is an EVAL script.
func (e *Engine) FunctionRunning() (name string, args [][]byte, ms int64, eval, ok bool) {
	if e.cur.Load() == nil {
		return "", nil, 0, false, false
	}
	rf := e.fn.running.Load()
	if rf == nil {
		return "", nil, 0, true, true
	}
	return rf.fn.Name, rf.args, time.Since(rf.start).Milliseconds(), false, true
}

// runningIsFunction reports whether the running script is a function
// (for the kill commands, which each stop only their own kind).
func (e *Engine) runningIsFunction() bool { return e.fn.running.Load() != nil }

// FunctionsMemory is the memory of the functions' Lua state (INFO).
func (e *Engine) FunctionsMemory() int64 { return e.fvm().FunctionsMemory() }

// KillEval is SCRIPT KILL: as Kill(false), but a running function is
// left alone (FUNCTION KILL stops those). SHUTDOWN NOSAVE uses Kill,
// which stops either kind.
func (e *Engine) KillEval() error {
	e.busyMu.Lock()
	r := e.cur.Load()
	isFn := e.runningIsFunction()
	e.busyMu.Unlock()
	if r != nil && !r.wrote.Load() && isFn {
		return rerr.FunctionBusyFunction
	}
	return e.Kill(false)
}

// BusyError is the reply to commands refused while a script is busy:
// Redis names SCRIPT KILL for an EVAL script and FUNCTION KILL for a
// function.
func (e *Engine) BusyError() error {
	if e.runningIsFunction() {
		return rerr.FunctionBusyFunction
	}
	return rerr.Busy
}
