package lua

// Size is the estimated memory of a compiled chunk, as the memory budget
// counts it (compiledSize). A chunk the host keeps outside Lua (a script
// cache) is not reachable from the state's roots, so the host adds it
// when it reports the state's memory.
func (c *Chunk) Size() int64 { return c.fn.proto.size }
