package sets

import "github.com/moonkv/moonkv/internal/server"

func key1(flags ...string) []server.KeySpec {
	return []server.KeySpec{{Flags: flags, BeginIndex: 1, LastKey: 0, KeyStep: 1}}
}

func keysFrom(i int, flags ...string) server.KeySpec {
	return server.KeySpec{Flags: flags, BeginIndex: i, LastKey: -1, KeyStep: 1}
}

var (
	argKey     = server.ArgDoc{Name: "key", Type: "key"}
	argKeys    = server.ArgDoc{Name: "key", Type: "key", Multiple: true}
	argDst     = server.ArgDoc{Name: "destination", Type: "key"}
	argMember  = server.ArgDoc{Name: "member", Type: "string"}
	argMembers = server.ArgDoc{Name: "member", Type: "string", Multiple: true}
	argCount   = server.ArgDoc{Name: "count", Type: "integer", Optional: true}
)

// Register adds the set family to the table.
func Register(r *server.Registry) {
	const w, ro, fast, deny = server.Write, server.ReadOnly, server.Fast, server.DenyOOM
	spec := func(name string, arity int, flags server.Flags, ks []server.KeySpec, since, summary, cx string, h server.Handler, args ...server.ArgDoc) *server.Spec {
		return &server.Spec{Name: name, Arity: arity, Flags: flags, Categories: server.CatSet, KeySpecs: ks,
			Group: "set", Since: since, Summary: summary, Complexity: cx, Args: args, Handler: h}
	}
	storeKeys := []server.KeySpec{
		{Flags: []string{"OW", "UPDATE"}, BeginIndex: 1, LastKey: 0, KeyStep: 1},
		keysFrom(2, "RO", "ACCESS"),
	}
	r.Add(
		spec("sadd", -3, w|deny|fast, key1("RW", "INSERT"), "1.0.0",
			"Adds members to a set, creating it when it is missing.",
			"O(1) for each element added", cmdSAdd, argKey, argMembers),
		spec("srem", -3, w|fast, key1("RW", "DELETE"), "1.0.0",
			"Removes members from a set; the set goes away with its last member.",
			"O(N) where N is the number of members to be removed.", cmdSRem, argKey, argMembers),
		spec("smove", 4, w|fast, []server.KeySpec{
			{Flags: []string{"RW", "ACCESS", "DELETE"}, BeginIndex: 1, LastKey: 0, KeyStep: 1},
			{Flags: []string{"RW", "INSERT"}, BeginIndex: 2, LastKey: 0, KeyStep: 1},
		}, "1.0.0", "Moves a member from one set to another.", "O(1)", cmdSMove,
			server.ArgDoc{Name: "source", Type: "key"}, argDst, argMember),
		spec("sismember", 3, ro|fast, key1("RO"), "1.0.0",
			"Tells whether a value is a member of a set.", "O(1)", cmdSIsMember, argKey, argMember),
		spec("smismember", -3, ro|fast, key1("RO", "ACCESS"), "6.2.0",
			"Tells, for each of several values, whether it is a member of a set.",
			"O(N) where N is the number of elements being checked for membership", cmdSMIsMember, argKey, argMembers),
		spec("smembers", 2, ro, key1("RO", "ACCESS"), "1.0.0",
			"Returns every member of a set.", "O(N) where N is the set cardinality.", cmdSMembers, argKey),
		spec("scard", 2, ro|fast, key1("RO"), "1.0.0",
			"Returns how many members a set has.", "O(1)", cmdSCard, argKey),
		spec("spop", -2, w|fast, key1("RW", "ACCESS", "DELETE"), "1.0.0",
			"Removes and returns one or more random members of a set.",
			"Without the count argument O(1), otherwise O(N) where N is the value of the passed count.", cmdSPop, argKey, argCount),
		spec("srandmember", -2, ro, key1("RO", "ACCESS"), "1.0.0",
			"Returns one or more random members of a set without removing them.",
			"Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.", cmdSRandMember, argKey, argCount),
		spec("sinter", -2, ro, []server.KeySpec{keysFrom(1, "RO", "ACCESS")}, "1.0.0",
			"Returns the members common to all the given sets.",
			"O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.", cmdSInter, argKeys),
		spec("sintercard", -3, ro, []server.KeySpec{{Flags: []string{"RO", "ACCESS"}, BeginIndex: 1, KeyNum: true, KeyNumIdx: 0, FirstKey: 1, KeyStep: 1}}, "7.0.0",
			"Counts the members common to all the given sets, optionally stopping at a limit.",
			"O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.", cmdSInterCard,
			server.ArgDoc{Name: "numkeys", Type: "integer"}, argKeys,
			server.ArgDoc{Name: "limit", Type: "integer", Token: "LIMIT", Optional: true}),
		spec("sinterstore", -3, w|deny, []server.KeySpec{
			{Flags: []string{"RW", "UPDATE"}, BeginIndex: 1, LastKey: 0, KeyStep: 1},
			keysFrom(2, "RO", "ACCESS"),
		}, "1.0.0",
			"Stores the intersection of the given sets in a key.",
			"O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.", cmdSInterStore, argDst, argKeys),
		spec("sunion", -2, ro, []server.KeySpec{keysFrom(1, "RO", "ACCESS")}, "1.0.0",
			"Returns the members of any of the given sets.",
			"O(N) where N is the total number of elements in all given sets.", cmdSUnion, argKeys),
		spec("sunionstore", -3, w|deny, storeKeys, "1.0.0",
			"Stores the union of the given sets in a key.",
			"O(N) where N is the total number of elements in all given sets.", cmdSUnionStore, argDst, argKeys),
		spec("sdiff", -2, ro, []server.KeySpec{keysFrom(1, "RO", "ACCESS")}, "1.0.0",
			"Returns the members of the first set that are in none of the others.",
			"O(N) where N is the total number of elements in all given sets.", cmdSDiff, argKeys),
		spec("sdiffstore", -3, w|deny, storeKeys, "1.0.0",
			"Stores the difference of the given sets in a key.",
			"O(N) where N is the total number of elements in all given sets.", cmdSDiffStore, argDst, argKeys),
		spec("sscan", -3, ro, key1("RO", "ACCESS"), "2.8.0",
			"Iterates over the members of a set with a cursor.",
			"O(1) for every call. O(N) for a complete iteration.", cmdSScan, argKey,
			server.ArgDoc{Name: "cursor", Type: "integer"},
			server.ArgDoc{Name: "pattern", Type: "pattern", Token: "MATCH", Optional: true},
			server.ArgDoc{Name: "count", Type: "integer", Token: "COUNT", Optional: true}),
	)
	tips := map[string]string{
		"smembers": "nondeterministic_output_order", "sinter": "nondeterministic_output_order",
		"sunion": "nondeterministic_output_order", "sdiff": "nondeterministic_output_order",
		"spop": "nondeterministic_output", "srandmember": "nondeterministic_output", "sscan": "nondeterministic_output",
	}
	for name, tip := range tips {
		r.Lookup([]byte(name)).Tips = []string{tip}
	}
}
