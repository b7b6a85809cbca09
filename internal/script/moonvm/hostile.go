package moonvm

import (
	"math"

	"github.com/moonkv/moonkv/internal/lua"
)

// MemoryLimit bounds the memory one script can keep reachable (tables,
// strings, closures, coroutines, as internal/lua counts them). Redis has
// no such bound, so a script there can take the whole server down with
// string.rep or a growing table; here such a script fails with "ERR not
// enough memory" once what it holds would pass 512 MiB, before the
// allocation that would pass it is made, and what it held is garbage
// once it has failed. Garbage a script drops along the way does not
// count, so long scripts that build and discard values are not limited
// by what they allocate in total.
const MemoryLimit = 512 << 20

// protectReachable makes every table reachable from the globals, their
// metatables (the globals' own, whose __index guards undefined names)
// and the metatable all strings share read-only, as Redis does: a script
// that could change them would run its own code inside later scripts of
// other clients (CVE-2022-24735, CVE-2025-46818). KEYS and ARGV stay
// writable, as Redis creates them after protecting the globals.
func (v *VM) protectReachable() {
	protectAll(v.L.Globals(), map[*lua.Table]bool{v.keys: true, v.argv: true})
	protectAll(v.L.StringMetatable(), map[*lua.Table]bool{})
}

// protectAll makes t and every table reachable from it (keys, values and
// metatables) read-only, skipping the tables in seen.
func protectAll(t *lua.Table, seen map[*lua.Table]bool) {
	if t == nil || seen[t] {
		return
	}
	seen[t] = true
	t.SetReadOnly(true)
	t.ForEach(func(k, val lua.Value) bool {
		protectAll(k.AsTable(), seen)
		protectAll(val.AsTable(), seen)
		return true
	})
	protectAll(t.Metatable(), seen)
}

// argTable returns the KEYS or ARGV table to refill for the next script:
// t itself when it holds nothing but the n values the last fill put
// there, else a fresh table set as the global name. Redis gives every
// script new tables, so what one script writes into KEYS or ARGV (an
// extra ARGV[5], KEYS.x, a metatable whose __index answers every index)
// must not reach the next script, which may be another client's.
func (v *VM) argTable(t *lua.Table, name string, n int) *lua.Table {
	if t.Metatable() == nil {
		clean := true
		t.ForEach(func(k, _ lua.Value) bool {
			f, ok := k.AsNumber()
			if !ok || f != math.Trunc(f) || f < 1 || f > float64(n) {
				clean = false
				return false
			}
			return true
		})
		if clean {
			return t
		}
	}
	nt := v.L.NewTable(n, 0)
	v.L.SetGlobal(name, lua.TableValue(nt))
	return nt
}
