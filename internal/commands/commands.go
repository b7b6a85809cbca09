package commands

import (
	"github.com/moonkv/moonkv/internal/commands/debug"
	"github.com/moonkv/moonkv/internal/commands/hashes"
	"github.com/moonkv/moonkv/internal/commands/keys"
	"github.com/moonkv/moonkv/internal/commands/lists"
	"github.com/moonkv/moonkv/internal/commands/memory"
	"github.com/moonkv/moonkv/internal/commands/scripting"
	"github.com/moonkv/moonkv/internal/commands/sets"
	"github.com/moonkv/moonkv/internal/commands/sort"
	"github.com/moonkv/moonkv/internal/commands/strs"
	"github.com/moonkv/moonkv/internal/commands/zsets"
	"github.com/moonkv/moonkv/internal/server"
)

// Registry returns a command table holding every command moonkv serves.
func Registry() *server.Registry {
	r := server.NewRegistry()
	server.RegisterTx(r)
	server.RegisterConnection(r)
	server.RegisterServer(r)
	server.RegisterPersistence(r)
	strs.Register(r)
	keys.Register(r)
	scripting.Register(r)
	hashes.Register(r)
	sets.Register(r)
	sort.Register(r)
	memory.Register(r)
	lists.Register(r)
	zsets.Register(r)
	debug.Register(r)
	return r
}
