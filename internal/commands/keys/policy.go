package keys

import (
	"strings"

	"github.com/moonkv/moonkv/internal/server"
)

// policy is the maxmemory-policy in force (OBJECT FREQ, IDLETIME and
// REFCOUNT depend on it), in lower case.
func policy(c *server.Ctx) string { return strings.ToLower(c.Srv.Cfg.MaxMemoryPolicy) }
