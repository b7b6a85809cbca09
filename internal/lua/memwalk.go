package lua

import "unsafe"

// The memory budget (Options.MemoryLimit) bounds what a script keeps,
// not what it allocates over its life: a loop that builds and drops a
// million strings is as legitimate in Redis as one table of a few
// entries. charge counts allocations as they happen; when the count
// passes the budget, collect measures what is still reachable from the
// script's roots — globals, registry, the string metatable, every
// thread's live stack and frames, coroutines — the way a mark phase
// would, and sets the count to that. Only if what is reachable plus the
// allocation being made exceeds the limit does the script fail with
// "not enough memory" (which pcall cannot catch), before the allocation
// happens, so a 2 GB string.rep or table never gets allocated.
//
// Sizes are those charged elsewhere (24 bytes a Value, 48 a hash node,
// 72 a table header, a string's length); a string of 64 bytes or more is
// counted once however many slots refer to it. Values only a native
// holds in Go variables while it runs are not seen.

// memSharedString is the length from which the walk counts a string
// once per distinct data pointer.
const memSharedString = 64

// collect runs a memory walk for a charge of n bytes (already added to
// memUsed) and fails the script if the reachable memory plus n exceeds
// the limit.
func (g *global) collect(n int64) {
	live := g.liveBytes()
	if live+n > g.memLimit {
		// What is reachable stays counted; the failing allocation is
		// not made.
		g.memUsed = live
		g.memNext = g.memLimit
		panic(&Error{Value: String("not enough memory"), fatal: true})
	}
	g.memUsed = live + n
	// Walk again when the count passes the limit; when what is live is
	// already close to it, allow an eighth of the limit first, so that a
	// script living near its budget is not walked at every allocation.
	g.memNext = max(g.memLimit, g.memUsed+g.memLimit/8)
}

// LiveMemory measures the bytes reachable from the state's roots, as the
// memory budget counts them.
func (L *State) LiveMemory() int64 { return L.g.liveBytes() }

type memWalker struct {
	g       *global
	epoch   uint16
	n       int64
	strs    map[unsafe.Pointer]struct{}
	protos  map[*proto]struct{}
	threads map[*State]struct{}
	todo    []Value
}

func (g *global) liveBytes() int64 {
	g.memEpoch++
	if g.memEpoch == 0 {
		g.memEpoch = 1
	}
	w := &memWalker{g: g, epoch: g.memEpoch, strs: map[unsafe.Pointer]struct{}{},
		protos: map[*proto]struct{}{}, threads: map[*State]struct{}{}}
	w.push(TableValue(g.globals))
	w.push(TableValue(g.registry))
	w.push(TableValue(g.stringMeta))
	w.thread(g.main)
	for co := range g.coroutines {
		w.thread(co.th)
	}
	w.drain()
	return w.n
}

func (w *memWalker) push(v Value) {
	switch v.t {
	case TypeString:
		if l := v.strLen(); l >= memSharedString {
			if _, ok := w.strs[v.p]; ok {
				return
			}
			w.strs[v.p] = struct{}{}
			w.n += int64(l)
		} else {
			w.n += int64(l)
		}
	case TypeTable, TypeFunction, TypeThread, TypeUserdata, typeBox:
		if v.p != nil {
			w.todo = append(w.todo, v)
		}
	}
}

func (w *memWalker) drain() {
	for len(w.todo) > 0 {
		v := w.todo[len(w.todo)-1]
		w.todo = w.todo[:len(w.todo)-1]
		switch v.t {
		case TypeTable:
			t := v.tab()
			if t.mark == w.epoch {
				continue
			}
			t.mark = w.epoch
			w.n += int64(72 + 24*len(t.array) + 48*len(t.node))
			for _, x := range t.array {
				w.push(x)
			}
			for i := range t.node {
				nd := &t.node[i]
				if nd.val.t != TypeNil {
					w.push(nd.key())
					w.push(nd.val)
				}
			}
			if t.meta != nil {
				w.push(TableValue(t.meta))
			}
		case TypeFunction:
			f := v.fn()
			if f.mark == w.epoch {
				continue
			}
			f.mark = w.epoch
			w.n += int64(80 + 8*len(f.upvals))
			for _, u := range f.upvals {
				if u != nil {
					w.n += 32
					w.push(*u)
				}
			}
			if f.env != nil {
				w.push(TableValue(f.env))
			}
			if p := f.proto; p != nil {
				if _, ok := w.protos[p]; !ok {
					w.protos[p] = struct{}{}
					w.n += p.size
				}
			}
		case TypeThread:
			w.thread(threadOf(v))
		case TypeUserdata:
			u := (*Userdata)(v.p)
			w.n += 32
			if u.meta != nil {
				w.push(TableValue(u.meta))
			}
		case typeBox:
			w.n += 32
			w.push(*v.box())
		}
	}
}

// thread counts a thread's value stack and pushes what its live part and
// its frames hold.
func (w *memWalker) thread(th *State) {
	if th == nil {
		return
	}
	if _, ok := w.threads[th]; ok {
		return
	}
	w.threads[th] = struct{}{}
	w.n += 1024 + 24*int64(len(th.stack))
	if th.co != nil {
		w.push(th.co.fn)
		if th.co.started && th.co.status != coDead {
			w.n += coroutineStack
		}
	}
	top := min(th.top, len(th.stack))
	for _, x := range th.stack[:top] {
		w.push(x)
	}
	for d := 1; d <= th.depth && d < len(th.frames); d++ {
		for _, x := range th.frames[d].varargs {
			w.push(x)
		}
	}
}

// coroutineStack is what a started coroutine's goroutine costs at least.
const coroutineStack = 8 << 10

// compiledSize estimates what compiling src costs in syntax tree and
// closures (a few Go objects per token); loadstring charges it before
// parsing.
func compiledSize(src string) int64 { return 16 * int64(len(src)) }

// reserve checks, without counting them, that n more bytes fit in the
// budget: natives that build a result in a Go buffer (cjson.encode,
// cmsgpack.pack, gsub, table.concat) call it as the buffer grows, and
// charge the finished string once. A buffer that would outgrow the
// budget fails the script before it does.
func (g *global) reserve(n int64) {
	if g.memLimit > 0 && g.memUsed+n > g.memNext {
		live := g.liveBytes()
		if live+n > g.memLimit {
			g.memUsed = live
			g.memNext = g.memLimit
			panic(&Error{Value: String("not enough memory"), fatal: true})
		}
		g.memUsed = live
		g.memNext = max(g.memLimit, live+n+g.memLimit/8)
	}
}

// Charge counts n bytes a host native is about to allocate for the
// script against the memory budget, failing the script ("not enough
// memory", which pcall cannot catch) if they do not fit.
func (L *State) Charge(n int64) { L.g.charge(n) }

func (v Value) strLenIfString() int {
	if v.t == TypeString {
		return v.strLen()
	}
	return 0
}

// releaseAfter is how much a call must have allocated before release
// clears what it left behind.
const releaseAfter = 1 << 20

// release drops the references a finished call (returned or failed)
// left in the value stack above base and in the frames no longer in use,
// once the call allocated enough for it to matter: otherwise a 500 MB
// table a failed script held in a register would stay reachable for Go's
// collector until a later script happened to overwrite that slot.
func (L *State) release(base int, mark int64) {
	if L.g.memTotal-mark < releaseAfter {
		return
	}
	clear(L.stack[min(base, len(L.stack)):])
	for _, fr := range L.frames[min(L.depth+1, len(L.frames)):] {
		clear(fr.varargs[:cap(fr.varargs)])
		fr.varargs = fr.varargs[:0]
		clear(fr.retBuf[:cap(fr.retBuf)])
		fr.ret, fr.retBuf = nil, fr.retBuf[:0]
		fr.tailFn, fr.fn = Nil, nil
	}
}
