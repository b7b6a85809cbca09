package server

import "testing"

// The per-client cache must resolve exactly as the table does: case
// folding only of ASCII letters, arity checked on every call, containers
// never served from the cache.
func TestLookupCache(t *testing.T) {
	reg := NewRegistry()
	get := &Spec{Name: "get", Arity: 2, Handler: func(*Ctx) {}}
	evalRO := &Spec{Name: "eval_ro", Arity: -3, Handler: func(*Ctx) {}}
	cfgGet := &Spec{Arity: 3, Handler: func(*Ctx) {}}
	cfg := &Spec{Name: "config", Arity: -2, Subs: map[string]*Spec{"get": cfgGet}}
	reg.Add(get, evalRO, cfg)
	s := &Server{Reg: reg}
	c := &Client{}
	args := func(a ...string) [][]byte {
		out := make([][]byte, len(a))
		for i, x := range a {
			out[i] = []byte(x)
		}
		return out
	}
	for i, tc := range []struct {
		args []string
		want *Spec
		err  string
	}{
		{[]string{"GET", "k"}, get, ""},
		{[]string{"get", "k"}, get, ""},
		{[]string{"gEt", "k"}, get, ""},
		{[]string{"GET"}, nil, "ERR wrong number of arguments for 'get' command"},
		{[]string{"GET", "k"}, get, ""},
		{[]string{"GEU", "k"}, nil, "ERR unknown command 'GEU', with args beginning with: 'k' "},
		{[]string{"EVAL_RO", "s", "0"}, evalRO, ""},
		// '_' | 0x20 is DEL: a fold by OR-ing bits would take this for eval_ro
		{[]string{"EVAL\x7fRO", "s", "0"}, nil, "ERR unknown command 'EVAL\x7fRO', with args beginning with: 's' '0' "},
		{[]string{"EVAL_RO", "s", "0"}, evalRO, ""},
		{[]string{"CONFIG", "GET", "x"}, cfgGet, ""},
		{[]string{"CONFIG", "SET", "x"}, nil, "ERR unknown subcommand 'SET'. Try CONFIG HELP."},
		{[]string{"CONFIG", "GET", "x"}, cfgGet, ""},
	} {
		spec, err := s.resolveFor(c, args(tc.args...))
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Fatalf("%d %q: err %v, want %q", i, tc.args, err, tc.err)
			}
			continue
		}
		if err != nil || spec != tc.want {
			t.Fatalf("%d %q: %v %v, want %v", i, tc.args, spec, err, tc.want.Name)
		}
	}
}
