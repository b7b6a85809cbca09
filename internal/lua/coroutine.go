package lua

import "unsafe"

// Coroutines run on their own goroutine with their own Lua stack and
// hand control back and forth over channels, so exactly one goroutine
// of a State runs at a time. Go cannot switch stacks any other way
// without unsafe tricks, and a closure-compiled VM keeps Lua frames on
// the Go stack. The channel handoff is also what makes the race
// detector see the hand-over as synchronised.

type coStatus int

const (
	coSuspended coStatus = iota
	coRunning
	coNormal
	coDead
)

var coStatusNames = [...]string{"suspended", "running", "normal", "dead"}

type coMsg struct {
	vals  []Value
	done  bool
	err   *Error
	panic any
}

type coroutine struct {
	fn      Value
	th      *State
	status  coStatus
	started bool
	in      chan []Value // resume values, nil slice with kill=true to unwind
	out     chan coMsg
	kill    bool
	// Values cross over in reused buffers: each side consumes what it
	// receives before it switches back, so one buffer per direction is
	// enough and a resume/yield pair allocates nothing.
	inBuf, outBuf []Value
}

type killSignal struct{}

func threadOf(v Value) *State {
	if v.t != TypeThread {
		return nil
	}
	return (*State)(v.p)
}

func openCoroutine(L *State) {
	L.RegisterLib("coroutine", map[string]GoFunction{
		"create":  coCreate,
		"resume":  coResume,
		"yield":   coYield,
		"status":  coStatusFn,
		"wrap":    coWrap,
		"running": coRunningFn,
	})
}

func (L *State) newCoroutine(f Value) *State {
	th := &State{g: L.g}
	th.init()
	th.co = &coroutine{fn: f, th: th, in: make(chan []Value), out: make(chan coMsg)}
	L.g.charge(1024 + 24*int64(len(th.stack)) + coroutineStack)
	return th
}

func coCreate(L *State, args []Value) []Value {
	f := arg(args, 1)
	if f.t != TypeFunction || f.fn().native != nil {
		L.ArgError(1, "Lua function expected")
	}
	return L.Ret1(Value{t: TypeThread, p: unsafe.Pointer(L.newCoroutine(f))})
}

// resume runs co until it yields, returns or fails.
func (L *State) resume(co *coroutine, args []Value) ([]Value, *Error) {
	switch co.status {
	case coDead:
		return nil, rtError("cannot resume dead coroutine")
	case coRunning, coNormal:
		return nil, rtError("cannot resume non-suspended coroutine")
	}
	// A coroutine runs at its resumer's C-call level plus one, as
	// lua_setlevel and lua_resume count it, so nesting coroutines (each
	// a goroutine here) stops at LUAI_MAXCCALLS like other C recursion.
	if hostCCalls+L.baseC+L.ncalls >= maxCCalls {
		return nil, rtError("C stack overflow")
	}
	co.th.baseC = L.baseC + L.ncalls + 1
	if L.co != nil {
		L.co.status = coNormal
	}
	co.status = coRunning
	co.inBuf = append(co.inBuf[:0], args...)
	vals := co.inBuf
	if !co.started {
		co.started = true
		if L.g.coroutines == nil {
			L.g.coroutines = map[*coroutine]struct{}{}
		}
		L.g.coroutines[co] = struct{}{}
		go co.body(vals)
	} else {
		co.in <- vals
	}
	msg := <-co.out
	if L.co != nil {
		L.co.status = coRunning
	}
	if msg.panic != nil {
		co.status = coDead
		delete(L.g.coroutines, co)
		panic(msg.panic)
	}
	if msg.done {
		co.status = coDead
		delete(L.g.coroutines, co)
	} else {
		co.status = coSuspended
	}
	if msg.err != nil {
		if msg.err.fatal {
			panic(msg.err)
		}
		return nil, msg.err
	}
	return msg.vals, nil
}

func (co *coroutine) body(args []Value) {
	th := co.th
	sent := false
	defer func() {
		if sent {
			return
		}
		r := recover()
		if _, ok := r.(killSignal); ok {
			return
		}
		if e, ok := r.(*Error); ok {
			co.out <- coMsg{done: true, err: e}
			return
		}
		co.out <- coMsg{done: true, panic: r}
	}()
	base := th.top
	for _, a := range args {
		th.push(a)
	}
	th.nn = true
	res := th.call(co.fn, base, len(args))
	out := append([]Value(nil), res...)
	sent = true
	co.out <- coMsg{vals: out, done: true}
}

func coResume(L *State, args []Value) []Value {
	th := threadOf(arg(args, 1))
	if th == nil || th.co == nil {
		L.ArgError(1, "coroutine expected")
	}
	res, err := L.resume(th.co, args[1:])
	if err != nil {
		return L.Ret(False, err.Value)
	}
	L.coRet = append(append(L.coRet[:0], True), res...)
	return L.coRet
}

func coYield(L *State, args []Value) []Value {
	co := L.co
	if L.nn || L.ncalls > 0 {
		panic(rtError("attempt to yield across metamethod/C-call boundary"))
	}
	if co == nil {
		panic(rtError("attempt to yield from outside a coroutine"))
	}
	co.outBuf = append(co.outBuf[:0], args...)
	co.out <- coMsg{vals: co.outBuf}
	vals := <-co.in
	if co.kill {
		panic(killSignal{})
	}
	return vals
}

func coStatusFn(L *State, args []Value) []Value {
	th := threadOf(arg(args, 1))
	if th == nil {
		L.ArgError(1, "coroutine expected")
	}
	if th.co == nil {
		// The main thread: running if it is the caller.
		if th == L {
			return L.Ret1(String("running"))
		}
		return L.Ret1(String("normal"))
	}
	return L.Ret1(String(coStatusNames[th.co.status]))
}

func coRunningFn(L *State, args []Value) []Value {
	if L.co == nil {
		return L.Ret1(Nil)
	}
	return L.Ret1(Value{t: TypeThread, p: unsafe.Pointer(L)})
}

func coWrap(L *State, args []Value) []Value {
	f := arg(args, 1)
	if f.t != TypeFunction || f.fn().native != nil {
		L.ArgError(1, "Lua function expected")
	}
	th := L.newCoroutine(f)
	w := L.NewFunction("wrap", func(L *State, args []Value) []Value {
		res, err := L.resume(th.co, args)
		if err != nil {
			v := err.Value
			if v.t == TypeString {
				if pos := L.where(1); pos != "" {
					v = String(pos + " " + v.str())
				}
			}
			panic(&Error{Value: v})
		}
		return res
	})
	return L.Ret1(FunctionValue(w))
}

// CloseCoroutines unwinds every suspended coroutine's goroutine. Call it
// when a script run is over (a suspended coroutine otherwise keeps its
// goroutine until the process exits).
func (L *State) CloseCoroutines() {
	for co := range L.g.coroutines {
		if co.status == coSuspended {
			co.kill = true
			co.status = coDead
			co.in <- nil
		}
		delete(L.g.coroutines, co)
	}
}
