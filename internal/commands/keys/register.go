package keys

import "github.com/moonkv/moonkv/internal/server"

// keySpec is one range key spec: count keys (-1 for "to the end") starting
// at argument begin.
func keySpec(begin, last int, flags ...string) server.KeySpec {
	return server.KeySpec{Flags: flags, BeginIndex: begin, LastKey: last, KeyStep: 1}
}

func one(flags ...string) []server.KeySpec { return []server.KeySpec{keySpec(1, 0, flags...)} }
func all(flags ...string) []server.KeySpec { return []server.KeySpec{keySpec(1, -1, flags...)} }

var (
	argKey      = server.ArgDoc{Name: "key", Type: "key"}
	argKeys     = server.ArgDoc{Name: "key", Type: "key", Multiple: true}
	argExpiryIf = server.ArgDoc{Name: "condition", Type: "oneof", Optional: true, Sub: []server.ArgDoc{
		{Name: "nx", Type: "pure-token", Token: "NX"}, {Name: "xx", Type: "pure-token", Token: "XX"},
		{Name: "gt", Type: "pure-token", Token: "GT"}, {Name: "lt", Type: "pure-token", Token: "LT"}}}
	argFlush = server.ArgDoc{Name: "flush-type", Type: "oneof", Optional: true, Sub: []server.ArgDoc{
		{Name: "async", Type: "pure-token", Token: "ASYNC"}, {Name: "sync", Type: "pure-token", Token: "SYNC"}}}
)

// Register adds the keyspace family to the table.
func Register(r *server.Registry) {
	const (
		W    = server.Write
		RO   = server.ReadOnly
		F    = server.Fast
		KS   = server.CatKeyspace
		DANG = server.CatDangerous
	)
	multiShardSum := []string{"request_policy:multi_shard", "response_policy:agg_sum"}
	r.Add(
		&server.Spec{Name: "del", Arity: -2, Flags: W, Categories: KS, KeySpecs: all("RM", "DELETE"),
			Tips: multiShardSum, Group: "generic", Since: "1.0.0", Summary: "Deletes one or more keys.",
			Complexity: "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
			Args:       []server.ArgDoc{argKeys}, Handler: cmdDel},
		&server.Spec{Name: "unlink", Arity: -2, Flags: W | F, Categories: KS, KeySpecs: all("RM", "DELETE"),
			Tips: multiShardSum, Group: "generic", Since: "4.0.0", Summary: "Deletes one or more keys, reclaiming their memory in the background.",
			Complexity: "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
			Args:       []server.ArgDoc{argKeys}, Handler: cmdDel},
		&server.Spec{Name: "exists", Arity: -2, Flags: RO | F, Categories: KS, KeySpecs: all("RO"),
			Tips: multiShardSum, Group: "generic", Since: "1.0.0", Summary: "Counts how many of the given keys exist, a key given twice counting twice.",
			Complexity: "O(N) where N is the number of keys to check.", Args: []server.ArgDoc{argKeys}, Handler: cmdExists},
		&server.Spec{Name: "type", Arity: 2, Flags: RO | F, Categories: KS, KeySpecs: one("RO"),
			Group: "generic", Since: "1.0.0", Summary: "Names the type of the value stored at a key.",
			Complexity: "O(1)", Args: []server.ArgDoc{argKey}, Handler: cmdType},
		&server.Spec{Name: "keys", Arity: 2, Flags: RO, Categories: KS | DANG,
			Tips: []string{"request_policy:all_shards", "nondeterministic_output_order"}, Group: "generic", Since: "1.0.0",
			Summary:    "Lists every key matching a glob-style pattern.",
			Complexity: "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
			Args:       []server.ArgDoc{{Name: "pattern", Type: "pattern"}}, Handler: cmdKeys},
		&server.Spec{Name: "scan", Arity: -2, Flags: RO, Categories: KS,
			Tips: []string{"nondeterministic_output", "request_policy:special"}, Group: "generic", Since: "2.8.0",
			Summary:    "Walks the keyspace incrementally, a cursor at a time.",
			Complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
			Args: []server.ArgDoc{{Name: "cursor", Type: "integer"}, {Name: "pattern", Type: "pattern", Token: "MATCH", Optional: true},
				{Name: "count", Type: "integer", Token: "COUNT", Optional: true}, {Name: "type", Type: "string", Token: "TYPE", Optional: true}},
			Handler: cmdScan},
		&server.Spec{Name: "randomkey", Arity: 1, Flags: RO, Categories: KS,
			Tips: []string{"request_policy:all_shards", "nondeterministic_output"}, Group: "generic", Since: "1.0.0",
			Summary: "Returns a random key name from the database.", Complexity: "O(1)", Handler: cmdRandomKey},
		&server.Spec{Name: "touch", Arity: -2, Flags: RO | F, Categories: KS, KeySpecs: all("RO"),
			Tips: multiShardSum, Group: "generic", Since: "3.2.1", Summary: "Refreshes the last access time of keys and counts those that exist.",
			Complexity: "O(N) where N is the number of keys that will be touched.", Args: []server.ArgDoc{argKeys}, Handler: cmdTouch},
		&server.Spec{Name: "rename", Arity: 3, Flags: W, Categories: KS,
			KeySpecs: []server.KeySpec{keySpec(1, 0, "RW", "ACCESS", "DELETE"), keySpec(2, 0, "OW", "UPDATE")},
			Group:    "generic", Since: "1.0.0", Summary: "Gives a key a new name, replacing any key of that name.", Complexity: "O(1)",
			Args: []server.ArgDoc{argKey, {Name: "newkey", Type: "key"}}, Handler: cmdRename},
		&server.Spec{Name: "renamenx", Arity: 3, Flags: W | F, Categories: KS,
			KeySpecs: []server.KeySpec{keySpec(1, 0, "RW", "ACCESS", "DELETE"), keySpec(2, 0, "OW", "INSERT")},
			Group:    "generic", Since: "1.0.0", Summary: "Gives a key a new name only when no key has that name yet.", Complexity: "O(1)",
			Args: []server.ArgDoc{argKey, {Name: "newkey", Type: "key"}}, Handler: cmdRenameNX},
		&server.Spec{Name: "copy", Arity: -3, Flags: W | server.DenyOOM, Categories: KS,
			KeySpecs: []server.KeySpec{keySpec(1, 0, "RO", "ACCESS"), keySpec(2, 0, "OW", "UPDATE")},
			Group:    "generic", Since: "6.2.0", Summary: "Copies the value of a key to another key, possibly in another database.",
			Complexity: "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
			Args: []server.ArgDoc{{Name: "source", Type: "key"}, {Name: "destination", Type: "key"},
				{Name: "destination-db", Type: "integer", Token: "DB", Optional: true}, {Name: "replace", Type: "pure-token", Token: "REPLACE", Optional: true}},
			Handler: cmdCopy},
		&server.Spec{Name: "move", Arity: 3, Flags: W | F, Categories: KS, KeySpecs: one("RW", "ACCESS", "UPDATE"),
			Group: "generic", Since: "1.0.0", Summary: "Moves a key to another database.", Complexity: "O(1)",
			Args: []server.ArgDoc{argKey, {Name: "db", Type: "integer"}}, Handler: cmdMove},
		expireSpec("expire", "1.0.0", "Sets a key's time to live in seconds.", "seconds", "integer"),
		expireSpec("pexpire", "2.6.0", "Sets a key's time to live in milliseconds.", "milliseconds", "integer"),
		expireSpec("expireat", "1.2.0", "Sets a key's expiry to a Unix time in seconds.", "unix-time-seconds", "unix-time"),
		expireSpec("pexpireat", "2.6.0", "Sets a key's expiry to a Unix time in milliseconds.", "unix-time-milliseconds", "unix-time"),
		ttlSpec("ttl", "1.0.0", "Returns a key's remaining time to live in seconds.", true, cmdTTL),
		ttlSpec("pttl", "2.6.0", "Returns a key's remaining time to live in milliseconds.", true, cmdPTTL),
		ttlSpec("expiretime", "7.0.0", "Returns a key's expiry as a Unix time in seconds.", false, cmdExpireTime),
		ttlSpec("pexpiretime", "7.0.0", "Returns a key's expiry as a Unix time in milliseconds.", false, cmdPExpireTime),
		&server.Spec{Name: "persist", Arity: 2, Flags: W | F, Categories: KS, KeySpecs: one("RW", "UPDATE"),
			Group: "generic", Since: "2.2.0", Summary: "Removes a key's expiry so that it lives forever.", Complexity: "O(1)",
			Args: []server.ArgDoc{argKey}, Handler: cmdPersist},
		&server.Spec{Name: "swapdb", Arity: 3, Flags: W | F, Categories: KS | DANG,
			Group: "server", Since: "4.0.0", Summary: "Exchanges the contents of two databases.",
			Complexity: "O(N) where N is the count of clients watching or blocking on keys from both databases.",
			Args:       []server.ArgDoc{{Name: "index1", Type: "integer"}, {Name: "index2", Type: "integer"}}, Handler: cmdSwapDB},
		&server.Spec{Name: "dbsize", Arity: 1, Flags: RO | F, Categories: KS,
			Tips: []string{"request_policy:all_shards", "response_policy:agg_sum"}, Group: "server", Since: "1.0.0",
			Summary: "Returns how many keys the selected database holds.", Complexity: "O(1)", Handler: cmdDBSize},
		&server.Spec{Name: "flushdb", Arity: -1, Flags: W, Categories: KS | DANG,
			Tips: []string{"request_policy:all_shards", "response_policy:all_succeeded"}, Group: "server", Since: "1.0.0",
			Summary: "Removes every key of the selected database.", Complexity: "O(N) where N is the number of keys in the selected database",
			Args: []server.ArgDoc{argFlush}, Handler: cmdFlushDB},
		&server.Spec{Name: "flushall", Arity: -1, Flags: W, Categories: KS | DANG,
			Tips: []string{"request_policy:all_shards", "response_policy:all_succeeded"}, Group: "server", Since: "1.0.0",
			Summary: "Removes every key of every database.", Complexity: "O(N) where N is the total number of keys in all databases",
			Args: []server.ArgDoc{argFlush}, Handler: cmdFlushAll},
		objectSpec(),
	)
}

func expireSpec(name, since, summary, argName, argType string) *server.Spec {
	return &server.Spec{Name: name, Arity: -3, Flags: server.Write | server.Fast, Categories: server.CatKeyspace,
		KeySpecs: one("RW", "UPDATE"), Group: "generic", Since: since, Summary: summary, Complexity: "O(1)",
		Args:    []server.ArgDoc{argKey, {Name: argName, Type: argType}, argExpiryIf},
		Handler: expireHandler(name)}
}

func ttlSpec(name, since, summary string, nondeterministic bool, h server.Handler) *server.Spec {
	s := &server.Spec{Name: name, Arity: 2, Flags: server.ReadOnly | server.Fast, Categories: server.CatKeyspace,
		KeySpecs: one("RO", "ACCESS"), Group: "generic", Since: since, Summary: summary, Complexity: "O(1)",
		Args: []server.ArgDoc{argKey}, Handler: h}
	if nondeterministic {
		s.Tips = []string{"nondeterministic_output"}
	}
	return s
}

func objectSpec() *server.Spec {
	sub := func(name, summary string, h server.Handler) *server.Spec {
		return &server.Spec{Arity: 3, Flags: server.ReadOnly, Categories: server.CatKeyspace,
			KeySpecs: []server.KeySpec{keySpec(2, 0, "RO")}, Tips: []string{"nondeterministic_output"},
			Since: "2.2.3", Summary: summary, Complexity: "O(1)", Args: []server.ArgDoc{argKey}, Handler: h}
	}
	freq := sub("freq", "Returns the logarithmic access frequency counter of a key.", cmdObjectFreq)
	freq.Since = "4.0.0"
	return &server.Spec{Name: "object", Arity: -2, Group: "generic", Since: "2.2.3",
		Summary: "A container for commands that inspect how a value is stored.", Complexity: "Depends on subcommand.",
		Subs: map[string]*server.Spec{
			"encoding": sub("encoding", "Returns the internal encoding of a key's value.", cmdObjectEncoding),
			"freq":     freq,
			"idletime": sub("idletime", "Returns the seconds since a key was last accessed.", cmdObjectIdleTime),
			"refcount": sub("refcount", "Returns how many references the value of a key has.", cmdObjectRefCount),
			"help": {Arity: 2, Flags: server.Loading | server.Stale, Categories: server.CatKeyspace,
				Since: "6.2.0", Summary: "Describes the OBJECT subcommands.", Complexity: "O(1)", Handler: cmdObjectHelp},
		}}
}
