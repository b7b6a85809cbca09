package keys

import "github.com/moonkv/moonkv/internal/server"

// policy is the maxmemory-policy in force (OBJECT FREQ, IDLETIME and
// REFCOUNT depend on it). The server has no such setting yet, so it is
// Redis's default, which evicts nothing.
func policy(c *server.Ctx) string { return "noeviction" }
