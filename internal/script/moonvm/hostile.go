package moonvm

import "github.com/moonkv/moonkv/internal/lua"

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
