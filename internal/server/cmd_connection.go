package server

// RegisterConnection adds the connection commands.
func RegisterConnection(r *Registry) {
	r.Add(
		&Spec{Name: "ping", Arity: -1, Flags: Fast | Stale, Categories: CatConnection,
			Group: "connection", Since: "1.0.0", Summary: "Returns the server's liveliness response.", Complexity: "O(1)",
			Args: []ArgDoc{{Name: "message", Type: "string", Optional: true}}, Handler: cmdPing},
	)
}

func cmdPing(c *Ctx) {
	switch len(c.Args) {
	case 1:
		c.R.Simple("PONG")
	case 2:
		c.R.Bulk(c.Args[1])
	default:
		c.Err(errWrongArityFor(c.Spec))
	}
}
