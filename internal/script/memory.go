package script

// Overheads INFO memory reports beside the Lua states' own memory: the
// bytes the engine keeps outside Lua for cached scripts (their bodies and
// SHA names) and for function libraries (their code and names), as
// Redis's used_memory_scripts_eval and used_memory_functions count its
// dictionaries of scripts and libraries.

// scriptEntryOverhead is a cache entry's own bytes beside its body: the
// Script struct, the SHA string and the two map slots.
const scriptEntryOverhead = 160

// ScriptsOverhead is the memory of the EVAL script cache outside Lua.
func (e *Engine) ScriptsOverhead() int64 {
	var n int64
	for _, s := range e.scripts {
		n += int64(len(s.Body)) + scriptEntryOverhead
	}
	return n
}

// FunctionsOverhead is the memory of the function libraries outside Lua.
func (e *Engine) FunctionsOverhead() int64 {
	var n int64
	for _, l := range e.libs().libs {
		n += int64(len(l.Code)+len(l.Name)) + scriptEntryOverhead
		for _, f := range l.Funcs {
			n += int64(len(f.Name)+len(f.Desc)) + scriptEntryOverhead
		}
	}
	return n
}
