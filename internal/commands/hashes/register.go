package hashes

import "github.com/moonkv/moonkv/internal/server"

func key1(flags ...string) []server.KeySpec {
	return []server.KeySpec{{Flags: flags, BeginIndex: 1, LastKey: 0, KeyStep: 1}}
}

var (
	argKey   = server.ArgDoc{Name: "key", Type: "key"}
	argField = server.ArgDoc{Name: "field", Type: "string"}
	argPairs = server.ArgDoc{Name: "data", Type: "block", Multiple: true,
		Sub: []server.ArgDoc{{Name: "field", Type: "string"}, {Name: "value", Type: "string"}}}
)

// Register adds the hash family to the table.
func Register(r *server.Registry) {
	const w, ro, fast, deny = server.Write, server.ReadOnly, server.Fast, server.DenyOOM
	spec := func(name string, arity int, flags server.Flags, ks []server.KeySpec, since, summary, cx string, h server.Handler, args ...server.ArgDoc) *server.Spec {
		return &server.Spec{Name: name, Arity: arity, Flags: flags, Categories: server.CatHash, KeySpecs: ks,
			Group: "hash", Since: since, Summary: summary, Complexity: cx, Args: append([]server.ArgDoc{argKey}, args...), Handler: h}
	}
	r.Add(
		spec("hset", -4, w|deny|fast, key1("RW", "UPDATE"), "2.0.0",
			"Sets one or more fields of a hash, creating the hash when it is missing.",
			"O(1) for each field/value pair added", cmdHSet, argPairs),
		spec("hmset", -4, w|deny|fast, key1("RW", "UPDATE"), "2.0.0",
			"Sets several fields of a hash (superseded by HSET).",
			"O(N) where N is the number of fields being set.", cmdHSet, argPairs),
		spec("hsetnx", 4, w|deny|fast, key1("RW", "INSERT"), "2.0.0",
			"Sets a field of a hash only when the field is not there yet.",
			"O(1)", cmdHSetNX, argField, server.ArgDoc{Name: "value", Type: "string"}),
		spec("hget", 3, ro|fast, key1("RO", "ACCESS"), "2.0.0",
			"Returns the value of one field of a hash.", "O(1)", cmdHGet, argField),
		spec("hmget", -3, ro|fast, key1("RO", "ACCESS"), "2.0.0",
			"Returns the values of several fields of a hash.",
			"O(N) where N is the number of fields being requested.", cmdHMGet,
			server.ArgDoc{Name: "field", Type: "string", Multiple: true}),
		spec("hgetall", 2, ro, key1("RO", "ACCESS"), "2.0.0",
			"Returns every field and value of a hash.", "O(N) where N is the size of the hash.", cmdHGetAll),
		spec("hkeys", 2, ro, key1("RO", "ACCESS"), "2.0.0",
			"Returns every field name of a hash.", "O(N) where N is the size of the hash.", cmdHKeys),
		spec("hvals", 2, ro, key1("RO", "ACCESS"), "2.0.0",
			"Returns every value of a hash.", "O(N) where N is the size of the hash.", cmdHVals),
		spec("hdel", -3, w|fast, key1("RW", "DELETE"), "2.0.0",
			"Removes fields from a hash; the hash goes away with its last field.",
			"O(N) where N is the number of fields to be removed.", cmdHDel,
			server.ArgDoc{Name: "field", Type: "string", Multiple: true}),
		spec("hlen", 2, ro|fast, key1("RO"), "2.0.0",
			"Returns how many fields a hash has.", "O(1)", cmdHLen),
		spec("hexists", 3, ro|fast, key1("RO"), "2.0.0",
			"Tells whether a field exists in a hash.", "O(1)", cmdHExists, argField),
		spec("hstrlen", 3, ro|fast, key1("RO"), "3.2.0",
			"Returns the length in bytes of a field's value.", "O(1)", cmdHStrlen, argField),
		spec("hincrby", 4, w|deny|fast, key1("RW", "ACCESS", "UPDATE"), "2.0.0",
			"Adds an integer to the integer stored in a field of a hash.", "O(1)", cmdHIncrBy,
			argField, server.ArgDoc{Name: "increment", Type: "integer"}),
		spec("hincrbyfloat", 4, w|deny|fast, key1("RW", "ACCESS", "UPDATE"), "2.6.0",
			"Adds a floating point number to the number stored in a field of a hash.", "O(1)", cmdHIncrByFloat,
			argField, server.ArgDoc{Name: "increment", Type: "double"}),
		spec("hrandfield", -2, ro, key1("RO", "ACCESS"), "6.2.0",
			"Returns one or more random fields of a hash, optionally with their values.",
			"O(N) where N is the number of fields returned", cmdHRandField,
			server.ArgDoc{Name: "options", Type: "block", Optional: true, Sub: []server.ArgDoc{
				{Name: "count", Type: "integer"},
				{Name: "withvalues", Type: "pure-token", Token: "WITHVALUES", Optional: true}}}),
		spec("hscan", -3, ro, key1("RO", "ACCESS"), "2.8.0",
			"Iterates over the fields and values of a hash with a cursor.",
			"O(1) for every call. O(N) for a complete iteration.", cmdHScan,
			server.ArgDoc{Name: "cursor", Type: "integer"},
			server.ArgDoc{Name: "pattern", Type: "pattern", Token: "MATCH", Optional: true},
			server.ArgDoc{Name: "count", Type: "integer", Token: "COUNT", Optional: true}),
	)
	for _, name := range []string{"hgetall", "hkeys", "hvals"} {
		r.Lookup([]byte(name)).Tips = []string{"nondeterministic_output_order"}
	}
	for _, name := range []string{"hrandfield", "hscan"} {
		r.Lookup([]byte(name)).Tips = []string{"nondeterministic_output"}
	}
}
