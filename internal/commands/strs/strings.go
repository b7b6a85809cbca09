package strs

import (
	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/server"
)

// Register adds the string family to the table.
func Register(r *server.Registry) {
	key1 := func(flags ...string) []server.KeySpec {
		return []server.KeySpec{{Flags: flags, BeginIndex: 1, LastKey: 0, KeyStep: 1}}
	}
	r.Add(
		&server.Spec{Name: "get", Arity: 2, Flags: server.ReadOnly | server.Fast, Categories: server.CatString,
			KeySpecs: key1("RO", "ACCESS"), Group: "string", Since: "1.0.0",
			Summary: "Returns the string value of a key.", Complexity: "O(1)",
			Args: []server.ArgDoc{{Name: "key", Type: "key"}}, Handler: cmdGet},
		&server.Spec{Name: "set", Arity: -3, Flags: server.Write | server.DenyOOM, Categories: server.CatString,
			KeySpecs: key1("RW", "ACCESS", "UPDATE", "VARIABLE_FLAGS"), Group: "string", Since: "1.0.0",
			Summary:    "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
			Complexity: "O(1)", Args: []server.ArgDoc{{Name: "key", Type: "key"}, {Name: "value", Type: "string"}}, Handler: cmdSet},
	)
}

// stringOf returns the string stored at key, nil when the key is absent,
// or WRONGTYPE.
func stringOf(db *keyspace.DB, key []byte) ([]byte, error) {
	e := db.LookupRead(key)
	if e == nil {
		return nil, nil
	}
	if e.Type != keyspace.TypeString {
		return nil, rerr.WrongType
	}
	return e.Str, nil
}

func cmdGet(c *server.Ctx) {
	v, err := stringOf(c.DB, c.Args[1])
	switch {
	case err != nil:
		c.Err(err)
	case v == nil:
		c.R.Null()
	default:
		c.R.Bulk(v)
	}
}

// cmdSet is a placeholder-free minimal SET (no options yet are accepted:
// options give a syntax error until the family is completed).
func cmdSet(c *server.Ctx) {
	if len(c.Args) != 3 {
		c.Err(rerr.Syntax)
		return
	}
	c.DB.SetString(c.Args[1], append([]byte(nil), c.Args[2]...), false)
	c.OK()
}
