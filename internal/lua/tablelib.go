package lua

import (
	"strings"
)

func openTable(L *State) {
	L.RegisterLib("table", map[string]GoFunction{
		"concat": tabConcat, "insert": tabInsert, "remove": tabRemove, "sort": tabSort,
		"getn": tabGetn, "maxn": tabMaxn, "setn": tabSetn, "foreach": tabForeach,
		"foreachi": tabForeachi,
	})
}

func (L *State) checkWritable(t *Table) {
	if t.readonly {
		L.readonlyError("")
	}
}

func tabGetn(L *State, args []Value) []Value {
	return L.Ret1(Number(float64(L.CheckTable(args, 1).Len())))
}

func tabSetn(L *State, args []Value) []Value {
	L.CheckTable(args, 1)
	L.Errorf("'setn' is obsolete")
	return nil
}

func tabMaxn(L *State, args []Value) []Value {
	t := L.CheckTable(args, 1)
	max := 0.0
	t.ForEach(func(k, v Value) bool {
		if k.t == TypeNumber && k.n > max {
			max = k.n
		}
		return true
	})
	return L.Ret1(Number(max))
}

func tabConcat(L *State, args []Value) []Value {
	t := L.CheckTable(args, 1)
	sep := L.OptString(args, 2, "")
	i := L.OptInt(args, 3, 1)
	var j int
	if arg(args, 4).t == TypeNil {
		j = t.Len()
	} else {
		j = L.CheckInt(args, 4)
	}
	var b strings.Builder
	for k := i; k <= j; k++ {
		v := t.GetInt(k)
		s, ok := toStringCoerce(v)
		if !ok {
			L.Errorf("invalid value (%s) at index %d in table for 'concat'", v.t, k)
		}
		L.g.reserve(2*int64(b.Cap()) + int64(len(s)+len(sep)))
		b.WriteString(s)
		if k != j {
			b.WriteString(sep)
		}
		if k == j { // guard against j == maxint overflow
			break
		}
	}
	return L.Ret1(L.newString(b.String()))
}

func tabInsert(L *State, args []Value) []Value {
	t := L.CheckTable(args, 1)
	L.checkWritable(t)
	e := t.Len() + 1
	var pos int
	switch len(args) {
	case 2:
		pos = e
	case 3:
		pos = L.CheckInt(args, 2)
		if pos > e {
			e = pos
		}
		for i := e; i > pos; i-- {
			t.SetInt(i, t.GetInt(i-1))
			// A far negative pos makes this loop as long as the script
			// likes; count it against the instruction budget.
			if L.steps--; L.steps <= 0 {
				L.hook()
			}
		}
	default:
		L.Errorf("wrong number of arguments to 'insert'")
	}
	v := args[len(args)-1]
	t.SetInt(pos, v)
	return nil
}

func tabRemove(L *State, args []Value) []Value {
	t := L.CheckTable(args, 1)
	e := t.Len()
	pos := L.OptInt(args, 2, e)
	if !(1 <= pos && pos <= e) {
		return nil
	}
	// As in Redis, a read-only table fails at the first write, so
	// removing from an empty one is not an error.
	L.checkWritable(t)
	v := t.GetInt(pos)
	for ; pos < e; pos++ {
		t.SetInt(pos, t.GetInt(pos+1))
	}
	t.SetInt(e, Nil)
	return L.Ret1(v)
}

func tabForeach(L *State, args []Value) []Value {
	t := L.CheckTable(args, 1)
	f := arg(args, 2)
	if f.t != TypeFunction {
		L.TypeError(args, 2, "function")
	}
	k := Nil
	for {
		nk, nv, ok := t.Next(k)
		if !ok {
			L.Errorf("invalid key to 'next'")
		}
		if nk.t == TypeNil {
			return nil
		}
		k = nk
		r := L.callValues(f, nk, nv)
		if r.t != TypeNil {
			return L.Ret1(r)
		}
	}
}

func tabForeachi(L *State, args []Value) []Value {
	t := L.CheckTable(args, 1)
	f := arg(args, 2)
	if f.t != TypeFunction {
		L.TypeError(args, 2, "function")
	}
	n := t.Len()
	for i := 1; i <= n; i++ {
		r := L.callValues(f, Number(float64(i)), t.GetInt(i))
		if r.t != TypeNil {
			return L.Ret1(r)
		}
	}
	return nil
}

// callValues calls f(a, b) from a native and returns the first result.
func (L *State) callValues(f, a, b Value) Value {
	base := L.top
	L.push(a)
	L.push(b)
	r := first(L.callNested(f, base, 2))
	L.top = base
	return r
}

type sorter struct {
	L   *State
	t   *Table
	cmp Value
}

func (s *sorter) less(a, b Value) bool {
	if s.cmp.t != TypeNil {
		return !s.L.callValues(s.cmp, a, b).isFalse()
	}
	return s.L.lessThan(a, b, "")
}

func (s *sorter) get(i int) Value { return s.t.GetInt(i) }

// set writes an element; a read-only table fails here, at the first
// write, as in Redis (sorting one that needs no swap is not an error).
func (s *sorter) set(i int, v Value) {
	s.L.checkWritable(s.t)
	s.t.SetInt(i, v)
}

// sort is Lua 5.1's quicksort (median of three, then partition around
// a[u-1]); its exact sequence of comparisons and swaps decides where
// equal elements land and when a bad comparator is detected, so it is
// reproduced step for step rather than replaced by sort.Slice.
func (s *sorter) sort(l, u int) {
	for l < u {
		if s.less(s.get(u), s.get(l)) {
			a, b := s.get(l), s.get(u)
			s.set(l, b)
			s.set(u, a)
		}
		if u-l == 1 {
			break
		}
		i := (l + u) / 2
		if ai, al := s.get(i), s.get(l); s.less(ai, al) {
			s.set(i, al)
			s.set(l, ai)
		} else if au := s.get(u); s.less(au, ai) {
			s.set(i, au)
			s.set(u, ai)
		}
		if u-l == 2 {
			break
		}
		p := s.get(i)
		s.set(i, s.get(u-1))
		s.set(u-1, p)
		i, j := l, u-1
		for {
			i++
			for s.less(s.get(i), p) {
				if i > u {
					s.L.Errorf("invalid order function for sorting")
				}
				i++
			}
			j--
			for s.less(p, s.get(j)) {
				if j < l {
					s.L.Errorf("invalid order function for sorting")
				}
				j--
			}
			if j < i {
				break
			}
			a, b := s.get(i), s.get(j)
			s.set(i, b)
			s.set(j, a)
		}
		a, b := s.get(u-1), s.get(i)
		s.set(u-1, b)
		s.set(i, a)
		if i-l < u-i {
			j, i, l = l, i-1, i+1
		} else {
			j, i, u = i+1, u, i-1
		}
		s.sort(j, i)
	}
}

func tabSort(L *State, args []Value) []Value {
	t := L.CheckTable(args, 1)
	n := t.Len()
	cmp := arg(args, 2)
	if cmp.t != TypeNil && cmp.t != TypeFunction {
		L.TypeError(args, 2, "function")
	}
	s := &sorter{L: L, t: t, cmp: cmp}
	s.sort(1, n)
	return nil
}
