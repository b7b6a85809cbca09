package lua

// SetEnv sets the environment (the globals table) of a Lua function, as
// setfenv does: the host uses it to run code against a globals table of
// its own (Redis function libraries) without exposing setfenv to scripts.
// Functions the code creates inherit the environment.
func (f *Function) SetEnv(t *Table) {
	if f.native == nil {
		f.env = t
	}
}
