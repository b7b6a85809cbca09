package moonvm

// Memory implements script.VM: the bytes reachable in the EVAL Lua state
// (compiled scripts, globals, libraries), measured by the same walk the
// per-script memory budget uses. INFO's used_memory_lua and MEMORY STATS's
// lua.caches report it; it is a walk, so it is not for hot paths.
func (v *VM) Memory() int64 { return v.L.LiveMemory() }
