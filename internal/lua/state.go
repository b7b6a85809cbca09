package lua

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
	"time"
)

// GoFunction is a native function. args aliases the caller's stack and
// is valid only until the function returns; the returned slice must be
// consumed by the caller before the next call, so natives usually return
// L.Ret(...) results, which reuse a per-thread buffer.
type GoFunction func(L *State, args []Value) []Value

// Function is a Lua closure or a native function.
type Function struct {
	proto  *proto
	upvals []*Value
	env    *Table
	native GoFunction
	name   string // natives: the name used in "bad argument" messages
	mark   uint16 // the memory walk that last counted f (memwalk.go)
}

// Name returns the name a native function was registered with.
func (f *Function) Name() string { return f.name }

// Options configures a State. The zero value is usable.
type Options struct {
	// Print, if set, installs a global print that writes each line to it.
	// Redis scripts have no print; tests use it.
	Print func(line string)
	// MaxCallDepth bounds nested Lua calls; deeper calls fail with
	// "stack overflow". The default, 16000, is about where lua5.1 stops;
	// that depth costs a few tens of MB of goroutine stack. Natives
	// calling back into Lua (pcall, metamethods, sort comparators) are
	// bounded separately at 200 levels ("C stack overflow").
	MaxCallDepth int
	// MemoryLimit, if > 0, is an approximate budget in bytes for tables,
	// strings and closures created since the last ResetMemory; exceeding
	// it fails the running script with "not enough memory".
	MemoryLimit int64
	// Hook, if set, is called every HookEvery loop iterations and calls;
	// a non-nil error aborts the running script (pcall cannot catch it).
	Hook      func(L *State) error
	HookEvery int
	// Random, if set, replaces math.random's generator: it returns a
	// number in [0,1). Seed is called by math.randomseed.
	Random func() float64
	Seed   func(seed int64)
}

// global is what all threads (coroutines) of one State share.
type global struct {
	opts       Options
	globals    *Table
	registry   *Table
	stringMeta *Table
	memUsed    int64
	memLimit   int64
	memNext    int64  // memUsed that triggers the next walk (memwalk.go)
	memTotal   int64  // everything ever charged (release)
	memEpoch   uint16 // the current walk's mark
	maxDepth   int
	hookEvery  int
	start      time.Time
	main       *State
	rng        glibcRand
	coroutines map[*coroutine]struct{} // started and not finished
}

// State is a Lua thread: the main state returned by NewState, or a
// coroutine. It is not safe for concurrent use.
type State struct {
	g         *global
	stack     []Value
	top       int
	frames    []*frame
	depth     int  // index of the running Lua frame in frames (0 = none)
	ncalls    int  // nested calls of any kind (Lua and native)
	baseC     int  // C-call levels of the threads resuming this one (lua_setlevel)
	nn        bool // running a native that was called by a native
	steps     int  // countdown to the next hook call
	retBuf    [4]Value
	native    *Function  // the native running now, for argument errors
	co        *coroutine // nil for the main thread
	hookCount int        // free for Hook implementations
	results   []Value
	coRet     []Value // coroutine.resume's results, reused
}

// Error is a Lua error: a value raised by error() or a runtime failure.
// Message has the "chunk:line:" prefix when the error had one.
type Error struct {
	Value Value
	fatal bool   // budget, memory or hook errors that pcall must not catch
	at    string // "chunk:line:" of the innermost Lua function when it was raised
}

// Where returns the "chunk:line:" position of the innermost Lua function
// that was running when the error left Call or Run (the function that
// raised it, or the one that called the raising native), or "" when it is
// not known. Hosts use it as Redis's error handler uses debug.getinfo.
func (e *Error) Where() string { return e.at }

func (e *Error) Error() string {
	if s, ok := toStringCoerce(e.Value); ok {
		return s
	}
	if e.Value.t == TypeNil {
		return "nil"
	}
	return fmt.Sprintf("(error object is a %s value)", e.Value.t)
}

// InternalError reports a Go panic inside the engine or a native
// function, recovered at the Call boundary.
type InternalError struct {
	Panic any
	Stack string
}

func (e *InternalError) Error() string { return fmt.Sprintf("internal error: %v", e.Panic) }

// rtError makes a Lua error without position; callers that know where
// they are use errorAt.
func rtError(msg string) *Error { return &Error{Value: String(msg)} }

// NewState makes a state with the Redis subset of the standard
// libraries (base, string, table, math, os.clock).
func NewState(opts Options) *State {
	g := &global{opts: opts, start: time.Now()}
	g.maxDepth = opts.MaxCallDepth
	if g.maxDepth <= 0 {
		g.maxDepth = 16000
	}
	g.memLimit = opts.MemoryLimit
	g.memNext = opts.MemoryLimit
	g.hookEvery = opts.HookEvery
	if g.hookEvery <= 0 {
		g.hookEvery = 100000
	}
	L := &State{g: g}
	L.init()
	g.main = L
	g.globals = NewTable(0, 0)
	g.registry = NewTable(0, 0)
	openBase(L)
	openString(L)
	openTable(L)
	openMath(L)
	openOS(L)
	openCoroutine(L)
	if opts.Print != nil {
		L.Register("print", func(L *State, args []Value) []Value {
			s := ""
			for i, a := range args {
				if i > 0 {
					s += "\t"
				}
				s += cstr(L.ToString(a)) // C print writes with fputs
			}
			opts.Print(s)
			return nil
		})
	}
	g.globals.g = g
	return L
}

func (L *State) init() {
	L.stack = make([]Value, 256)
	L.frames = make([]*frame, 1, 16)
	L.frames[0] = &frame{th: L}
	L.steps = L.g.hookEvery
}

// Globals returns the globals table.
func (L *State) Globals() *Table { return L.g.globals }

// Registry returns a table for the host's private use.
func (L *State) Registry() *Table { return L.g.registry }

// GetGlobal returns the global name (raw access).
func (L *State) GetGlobal(name string) Value { return L.g.globals.GetStr(name) }

// SetGlobal sets the global name (raw access, ignoring read-only).
func (L *State) SetGlobal(name string, v Value) { L.g.globals.SetStr(name, v) }

// NewFunction wraps a native function; name appears in argument errors.
func (L *State) NewFunction(name string, fn GoFunction) *Function {
	return &Function{native: fn, name: name, env: L.g.globals}
}

// Register sets global name to a native function.
func (L *State) Register(name string, fn GoFunction) {
	L.SetGlobal(name, FunctionValue(L.NewFunction(name, fn)))
}

// RegisterLib creates (or extends) global table name with natives.
func (L *State) RegisterLib(name string, fns map[string]GoFunction) *Table {
	t := L.GetGlobal(name).AsTable()
	if t == nil {
		t = NewTable(0, len(fns))
		L.SetGlobal(name, TableValue(t))
	}
	for k, f := range fns {
		t.SetStr(k, FunctionValue(L.NewFunction(k, f)))
	}
	return t
}

// NewTable makes a table whose growth counts against the memory budget.
func (L *State) NewTable(narray, nhash int) *Table {
	L.g.charge(int64(72 + 24*narray + 48*nhash))
	t := NewTable(narray, nhash)
	t.g = L.g
	return t
}

// ResetMemory restarts the memory budget count (call before each run).
func (L *State) ResetMemory() { L.g.memUsed = 0 }

// MemoryUsed returns the approximate bytes charged since ResetMemory.
func (L *State) MemoryUsed() int64 { return L.g.memUsed }

// charge counts n bytes about to be allocated. The count only grows
// between walks: when it passes the budget, the memory still reachable
// is measured (memwalk.go) and the script fails only if that, plus n,
// is over the limit, so garbage does not count against it.
func (g *global) charge(n int64) {
	g.memUsed += n
	g.memTotal += n
	if g.memLimit > 0 && g.memUsed > g.memNext {
		g.collect(n)
	}
}

// Ret returns values from a native without allocating.
func (L *State) Ret(vs ...Value) []Value {
	if len(vs) <= len(L.retBuf) {
		n := copy(L.retBuf[:], vs)
		return L.retBuf[:n]
	}
	return append([]Value(nil), vs...)
}

// Ret1 returns one value from a native without allocating.
func (L *State) Ret1(v Value) []Value {
	L.retBuf[0] = v
	return L.retBuf[:1]
}

// Chunk is compiled code ready to run many times.
type Chunk struct {
	fn *Function
}

// Load compiles src. name follows Lua's chunkname rules: "@file" shows
// as file, "=name" as name, anything else as [string "..."]. The Chunk
// belongs to L (it runs with L's globals) and can be run any number of
// times.
func (L *State) Load(src, name string) (c *Chunk, err error) {
	if len(src) > 0 && src[0] == 0x1b {
		return nil, errors.New("bytecode chunks are not supported")
	}
	defer func() {
		if r := recover(); r != nil {
			if se, ok := r.(*syntaxError); ok {
				c, err = nil, se
				return
			}
			if le, ok := r.(*Error); ok {
				c, err = nil, le
				return
			}
			panic(r)
		}
	}()
	fi := parseChunk(src, chunkID(name))
	p := compileFunction(fi, chunkID(name))
	p.size = compiledSize(src)
	f := &Function{proto: p, env: L.g.globals}
	return &Chunk{fn: f}, nil
}

// Function returns the chunk's main function (a fresh closure each
// time is not needed: main chunks have no upvalues).
func (c *Chunk) Function() *Function { return c.fn }

// chunkID renders a chunk name like luaO_chunkid with LUA_IDSIZE 80.
func chunkID(src string) string {
	if len(src) > 0 && src[0] == '=' {
		s := src[1:]
		if len(s) > 79 {
			s = s[:79]
		}
		return s
	}
	if len(src) > 0 && src[0] == '@' {
		s := src[1:]
		if len(s) > 72 {
			s = "..." + s[len(s)-72:]
		}
		return s
	}
	line := src
	for i := 0; i < len(line); i++ {
		if line[i] == '\n' || line[i] == '\r' {
			line = line[:i]
			break
		}
	}
	const max = 63
	if len(line) > max {
		line = line[:max]
	}
	if len(line) < len(src) {
		return `[string "` + line + `..."]`
	}
	return `[string "` + line + `"]`
}

// Call runs fn with args and returns its results. The result slice is
// reused by the next Call or Run on this State, so copy what must be
// kept; this keeps calling a script allocation-free. Lua errors come
// back as *Error.
func (L *State) Call(fn Value, args ...Value) (rets []Value, err error) {
	base := L.top
	depth := L.depth
	ncalls := L.ncalls
	nn := L.nn
	native := L.native
	mark := L.g.memTotal
	defer func() {
		if r := recover(); r != nil {
			at, byNative := L.depth, L.native != nil
			defer L.release(base, mark)
			L.top = base
			L.depth = depth
			L.ncalls = ncalls
			L.nn = nn
			L.native = native
			if e, ok := r.(*Error); ok {
				if e.at == "" {
					e.at = L.errorPos(at, byNative, e)
				}
				rets, err = nil, e
				return
			}
			if _, ok := r.(killSignal); ok {
				panic(r)
			}
			// A bug in the engine or in a native must not take the
			// server down: report it as an error of its own type.
			rets, err = nil, &InternalError{Panic: r, Stack: string(debug.Stack())}
		}
	}()
	for _, a := range args {
		L.push(a)
	}
	L.nn = true
	res := L.call(fn, base, len(args))
	L.nn = nn
	L.results = append(L.results[:0], res...)
	L.top = base
	L.release(base, mark)
	return L.results, nil
}

// Run calls a compiled chunk with no arguments.
func (L *State) Run(c *Chunk) ([]Value, error) {
	return L.Call(FunctionValue(c.fn))
}

// DoString compiles and runs src (chunk name "=name").
func (L *State) DoString(src, name string) ([]Value, error) {
	c, err := L.Load(src, name)
	if err != nil {
		return nil, err
	}
	return L.Run(c)
}

func (L *State) push(v Value) {
	if L.top >= len(L.stack) {
		L.growStack(L.top + 1)
	}
	L.stack[L.top] = v
	L.top++
}

const maxStack = 1 << 20

func (L *State) growStack(need int) {
	if need > maxStack {
		panic(L.errorAt(L.where(1), "stack overflow"))
	}
	n := 2 * len(L.stack)
	for n < need+32 {
		n *= 2
	}
	ns := make([]Value, n)
	copy(ns, L.stack[:L.top])
	L.stack = ns
}

// where returns "chunk:line:" for the function at the given level of
// the call stack (1 = the function that called the running native), or
// "" when that level is a native function.
func (L *State) where(level int) string {
	d := L.depth
	lvl := 1
	if L.nn {
		if level <= 1 {
			return ""
		}
		lvl = 2
	}
	for d > 0 && d < len(L.frames) {
		fr := L.frames[d]
		if lvl >= level {
			if fr.fn == nil || fr.fn.proto == nil {
				return ""
			}
			line := fr.line
			if line < 0 {
				line = -line
			}
			return fmt.Sprintf("%s:%d:", fr.fn.proto.chunk, line)
		}
		if fr.nativeCaller {
			lvl++
			if lvl >= level {
				return ""
			}
		}
		d--
		lvl++
	}
	return ""
}

// errorPos finds where an error leaving Call was raised: the innermost
// Lua frame at depth d. A frame's line is that of the call it is making,
// which is right when a native raised the error (error(), a library
// argument check); an error Lua code raised itself (a runtime error, the
// hook) names its line in its message when it has one.
func (L *State) errorPos(d int, byNative bool, e *Error) string {
	pos := L.innermost(d)
	if byNative || e.Value.t != TypeString || pos == "" {
		return pos
	}
	msg := e.Value.str()
	chunk := pos[:strings.LastIndexByte(pos[:len(pos)-1], ':')+1]
	if !strings.HasPrefix(msg, chunk) {
		return pos
	}
	i := len(chunk)
	for i < len(msg) && msg[i] >= '0' && msg[i] <= '9' {
		i++
	}
	if i > len(chunk) && i < len(msg) && msg[i] == ':' {
		return msg[:i+1]
	}
	return pos
}

// innermost returns "chunk:line:" of the innermost Lua frame at or
// below depth d.
func (L *State) innermost(d int) string {
	for ; d > 0 && d < len(L.frames); d-- {
		if fr := L.frames[d]; fr.fn != nil && fr.fn.proto != nil {
			line := fr.line
			if line < 0 {
				line = -line
			}
			if line == 0 {
				// Nothing recorded a line (an error such as the memory
				// budget's, raised by straight-line code): name the
				// function's first line, line 1 for a main chunk.
				line = max(fr.fn.proto.line, 1)
			}
			return fmt.Sprintf("%s:%d:", fr.fn.proto.chunk, line)
		}
	}
	return ""
}

func (L *State) errorAt(pos, msg string) *Error {
	if pos != "" {
		msg = pos + " " + msg
	}
	return &Error{Value: String(msg)}
}

// Errorf raises a Lua error with the caller's position, like luaL_error.
func (L *State) Errorf(format string, args ...any) {
	panic(L.errorAt(L.where(1), fmt.Sprintf(format, args...)))
}

// RaiseError raises v as a Lua error value (like lua_error).
func (L *State) RaiseError(v Value) { panic(&Error{Value: v}) }

var errBudget = errors.New("script exceeded its instruction budget")

// hookAt runs the hook from a loop of fr at the given line, recording the
// line so that an error the hook raises says where the script was.
func (L *State) hookAt(fr *frame, line int) {
	fr.line = line
	L.hook()
}

func (L *State) hook() {
	L.steps = L.g.hookEvery
	if L.g.opts.Hook != nil {
		if err := L.g.opts.Hook(L); err != nil {
			panic(&Error{Value: String(err.Error()), fatal: true})
		}
	}
}
