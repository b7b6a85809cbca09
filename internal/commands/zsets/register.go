package zsets

import "github.com/moonkv/moonkv/internal/server"

func key1(flags ...string) []server.KeySpec {
	return []server.KeySpec{{Flags: flags, BeginIndex: 1, LastKey: 0, KeyStep: 1}}
}

func numkeysAt(begin int, flags ...string) server.KeySpec {
	return server.KeySpec{Flags: flags, BeginIndex: begin, KeyNum: true, KeyNumIdx: 0, FirstKey: 1, KeyStep: 1}
}

var (
	argKey     = server.ArgDoc{Name: "key", Type: "key"}
	argKeys    = server.ArgDoc{Name: "key", Type: "key", Multiple: true}
	argDst     = server.ArgDoc{Name: "destination", Type: "key"}
	argMember  = server.ArgDoc{Name: "member", Type: "string"}
	argMembers = server.ArgDoc{Name: "member", Type: "string", Multiple: true}
	argMin     = server.ArgDoc{Name: "min", Type: "double"}
	argMax     = server.ArgDoc{Name: "max", Type: "double"}
	argLexMin  = server.ArgDoc{Name: "min", Type: "string"}
	argLexMax  = server.ArgDoc{Name: "max", Type: "string"}
	argNumkeys = server.ArgDoc{Name: "numkeys", Type: "integer"}
	argTimeout = server.ArgDoc{Name: "timeout", Type: "double"}
	argScores  = server.ArgDoc{Name: "withscores", Type: "pure-token", Token: "WITHSCORES", Optional: true}
	argLimit   = server.ArgDoc{Name: "limit", Type: "block", Token: "LIMIT", Optional: true, Sub: []server.ArgDoc{
		{Name: "offset", Type: "integer"}, {Name: "count", Type: "integer"}}}
	argWeights = server.ArgDoc{Name: "weight", Type: "integer", Token: "WEIGHTS", Optional: true, Multiple: true}
	argAggr    = server.ArgDoc{Name: "aggregate", Type: "oneof", Token: "AGGREGATE", Optional: true, Sub: []server.ArgDoc{
		{Name: "sum", Type: "pure-token", Token: "SUM"}, {Name: "min", Type: "pure-token", Token: "MIN"}, {Name: "max", Type: "pure-token", Token: "MAX"}}}
	argMinMax = server.ArgDoc{Name: "where", Type: "oneof", Sub: []server.ArgDoc{
		{Name: "min", Type: "pure-token", Token: "MIN"}, {Name: "max", Type: "pure-token", Token: "MAX"}}}
	argCount = server.ArgDoc{Name: "count", Type: "integer", Token: "COUNT", Optional: true}
)

// Register adds the sorted set family to the table.
func Register(r *server.Registry) {
	const w, ro, fast, deny, blk, ns = server.Write, server.ReadOnly, server.Fast, server.DenyOOM, server.Blocking, server.NoScript
	spec := func(name string, arity int, flags server.Flags, ks []server.KeySpec, since, summary, cx string, h server.Handler, args ...server.ArgDoc) *server.Spec {
		return &server.Spec{Name: name, Arity: arity, Flags: flags, Categories: server.CatSortedSet, KeySpecs: ks,
			Group: "sorted-set", Since: since, Summary: summary, Complexity: cx, Args: args, Handler: h}
	}
	storeKeys := []server.KeySpec{
		{Flags: []string{"OW", "UPDATE"}, BeginIndex: 1, LastKey: 0, KeyStep: 1},
		numkeysAt(2, "RO", "ACCESS"),
	}
	readKeys := []server.KeySpec{numkeysAt(1, "RO", "ACCESS")}
	popKeys := []server.KeySpec{{Flags: []string{"RW", "ACCESS", "DELETE"}, BeginIndex: 1, LastKey: -2, KeyStep: 1}}
	logN := "O(log(N)) where N is the number of elements in the sorted set."
	rangeCx := "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned."
	remCx := "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation."
	unionCx := "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set."
	interCx := "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set."
	diffCx := "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set."
	nondet := func(s *server.Spec) *server.Spec {
		s.Tips = []string{"nondeterministic_output"}
		return s
	}
	r.Add(
		spec("zadd", -4, w|deny|fast, key1("RW", "UPDATE"), "1.2.0",
			"Adds members to a sorted set or updates their scores, creating the set when it is missing.",
			"O(log(N)) for each item added, where N is the number of elements in the sorted set.", cmdZAdd, argKey,
			server.ArgDoc{Name: "condition", Type: "oneof", Optional: true, Sub: []server.ArgDoc{{Name: "nx", Type: "pure-token", Token: "NX"}, {Name: "xx", Type: "pure-token", Token: "XX"}}},
			server.ArgDoc{Name: "comparison", Type: "oneof", Optional: true, Sub: []server.ArgDoc{{Name: "gt", Type: "pure-token", Token: "GT"}, {Name: "lt", Type: "pure-token", Token: "LT"}}},
			server.ArgDoc{Name: "change", Type: "pure-token", Token: "CH", Optional: true},
			server.ArgDoc{Name: "increment", Type: "pure-token", Token: "INCR", Optional: true},
			server.ArgDoc{Name: "data", Type: "block", Multiple: true, Sub: []server.ArgDoc{{Name: "score", Type: "double"}, argMember}}),
		spec("zincrby", 4, w|deny|fast, key1("RW", "ACCESS", "UPDATE"), "1.2.0", "Adds to the score of a member of a sorted set, creating either when missing.",
			logN, cmdZIncrBy, argKey, server.ArgDoc{Name: "increment", Type: "integer"}, argMember),
		spec("zrem", -3, w|fast, key1("RW", "DELETE"), "1.2.0", "Removes members from a sorted set; the set goes away with its last member.",
			"O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.", cmdZRem, argKey, argMembers),
		spec("zcard", 2, ro|fast, key1("RO"), "1.2.0", "Returns the number of members of a sorted set.", "O(1)", cmdZCard, argKey),
		spec("zcount", 4, ro|fast, key1("RO", "ACCESS"), "2.0.0", "Counts the members of a sorted set whose scores lie in a range.",
			logN, cmdZCount, argKey, argMin, argMax),
		spec("zlexcount", 4, ro|fast, key1("RO", "ACCESS"), "2.8.9", "Counts the members of a sorted set that lie in a lexicographical range.",
			logN, cmdZLexCount, argKey, argLexMin, argLexMax),
		spec("zscore", 3, ro|fast, key1("RO", "ACCESS"), "1.2.0", "Returns the score of a member of a sorted set.", "O(1)", cmdZScore, argKey, argMember),
		spec("zmscore", -3, ro|fast, key1("RO", "ACCESS"), "6.2.0", "Returns the scores of several members of a sorted set.",
			"O(N) where N is the number of members being requested.", cmdZMScore, argKey, argMembers),
		spec("zrank", 3, ro|fast, key1("RO", "ACCESS"), "2.0.0", "Returns the position of a member in a sorted set ordered by ascending score.",
			"O(log(N))", cmdZRank(false), argKey, argMember),
		spec("zrevrank", 3, ro|fast, key1("RO", "ACCESS"), "2.0.0", "Returns the position of a member in a sorted set ordered by descending score.",
			"O(log(N))", cmdZRank(true), argKey, argMember),
		spec("zrange", -4, ro, key1("RO", "ACCESS"), "1.2.0", "Returns the members of a sorted set in a range of ranks, scores or lexicographical order.",
			rangeCx, zrangeHandler(1, byAuto, dirAuto), argKey, server.ArgDoc{Name: "start", Type: "string"}, server.ArgDoc{Name: "stop", Type: "string"},
			server.ArgDoc{Name: "sortby", Type: "oneof", Optional: true, Sub: []server.ArgDoc{{Name: "byscore", Type: "pure-token", Token: "BYSCORE"}, {Name: "bylex", Type: "pure-token", Token: "BYLEX"}}},
			server.ArgDoc{Name: "rev", Type: "pure-token", Token: "REV", Optional: true}, argLimit, argScores),
		spec("zrangestore", -5, w|deny, []server.KeySpec{
			{Flags: []string{"OW", "UPDATE"}, BeginIndex: 1, LastKey: 0, KeyStep: 1},
			{Flags: []string{"RO", "ACCESS"}, BeginIndex: 2, LastKey: 0, KeyStep: 1}}, "6.2.0",
			"Stores a range of members of a sorted set in another key.", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
			cmdZRangeStore, argDst, server.ArgDoc{Name: "src", Type: "key"}, server.ArgDoc{Name: "min", Type: "string"}, server.ArgDoc{Name: "max", Type: "string"},
			server.ArgDoc{Name: "sortby", Type: "oneof", Optional: true, Sub: []server.ArgDoc{{Name: "byscore", Type: "pure-token", Token: "BYSCORE"}, {Name: "bylex", Type: "pure-token", Token: "BYLEX"}}},
			server.ArgDoc{Name: "rev", Type: "pure-token", Token: "REV", Optional: true}, argLimit),
		spec("zrangebyscore", -4, ro, key1("RO", "ACCESS"), "1.0.5", "Returns the members of a sorted set whose scores lie in a range.",
			rangeCx, zrangeHandler(1, byScore, dirForward), argKey, argMin, argMax, argScores, argLimit),
		spec("zrevrangebyscore", -4, ro, key1("RO", "ACCESS"), "2.2.0", "Returns the members of a sorted set whose scores lie in a range, highest first.",
			rangeCx, zrangeHandler(1, byScore, dirReverse), argKey, argMax, argMin, argScores, argLimit),
		spec("zrangebylex", -4, ro, key1("RO", "ACCESS"), "2.8.9", "Returns the members of a sorted set in a lexicographical range.",
			rangeCx, zrangeHandler(1, byLex, dirForward), argKey, argLexMin, argLexMax, argLimit),
		spec("zrevrangebylex", -4, ro, key1("RO", "ACCESS"), "2.8.9", "Returns the members of a sorted set in a lexicographical range, in reverse order.",
			rangeCx, zrangeHandler(1, byLex, dirReverse), argKey, argLexMax, argLexMin, argLimit),
		spec("zrevrange", -4, ro, key1("RO", "ACCESS"), "1.2.0", "Returns the members of a sorted set in a range of ranks, highest score first.",
			rangeCx, zrangeHandler(1, byRank, dirReverse), argKey, server.ArgDoc{Name: "start", Type: "integer"}, server.ArgDoc{Name: "stop", Type: "integer"}, argScores),
		spec("zremrangebyrank", 4, w, key1("RW", "DELETE"), "2.0.0", "Removes the members of a sorted set in a range of ranks.",
			remCx, cmdZRemRange(remRank), argKey, server.ArgDoc{Name: "start", Type: "integer"}, server.ArgDoc{Name: "stop", Type: "integer"}),
		spec("zremrangebyscore", 4, w, key1("RW", "DELETE"), "1.2.0", "Removes the members of a sorted set whose scores lie in a range.",
			remCx, cmdZRemRange(remScore), argKey, argMin, argMax),
		spec("zremrangebylex", 4, w, key1("RW", "DELETE"), "2.8.9", "Removes the members of a sorted set in a lexicographical range.",
			remCx, cmdZRemRange(remLex), argKey, argLexMin, argLexMax),
		spec("zpopmin", -2, w|fast, key1("RW", "ACCESS", "DELETE"), "5.0.0", "Removes and returns the members with the lowest scores.",
			"O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.", cmdZPop(true), argKey, server.ArgDoc{Name: "count", Type: "integer", Optional: true}),
		spec("zpopmax", -2, w|fast, key1("RW", "ACCESS", "DELETE"), "5.0.0", "Removes and returns the members with the highest scores.",
			"O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.", cmdZPop(false), argKey, server.ArgDoc{Name: "count", Type: "integer", Optional: true}),
		spec("zmpop", -4, w, []server.KeySpec{numkeysAt(1, "RW", "ACCESS", "DELETE")}, "7.0.0", "Pops the lowest or highest scored members from the first non-empty sorted set among several.",
			"O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
			cmdZMPop, argNumkeys, argKeys, argMinMax, argCount),
		spec("bzpopmin", -3, w|ns|fast|blk, popKeys, "5.0.0", "Pops the lowest scored member of the first non-empty sorted set, waiting for one when all are empty.",
			logN, cmdBZPop(true), argKeys, argTimeout),
		spec("bzpopmax", -3, w|ns|fast|blk, popKeys, "5.0.0", "Pops the highest scored member of the first non-empty sorted set, waiting for one when all are empty.",
			logN, cmdBZPop(false), argKeys, argTimeout),
		spec("bzmpop", -5, w|blk, []server.KeySpec{numkeysAt(2, "RW", "ACCESS", "DELETE")}, "7.0.0", "Pops members from the first non-empty sorted set among several, waiting for one when all are empty.",
			"O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
			cmdBZMPop, argTimeout, argNumkeys, argKeys, argMinMax, argCount),
		nondet(spec("zrandmember", -2, ro, key1("RO", "ACCESS"), "6.2.0", "Returns random members of a sorted set.",
			"O(N) where N is the number of members returned", cmdZRandMember, argKey,
			server.ArgDoc{Name: "options", Type: "block", Optional: true, Sub: []server.ArgDoc{{Name: "count", Type: "integer"}, argScores}})),
		spec("zunion", -3, ro, readKeys, "6.2.0", "Returns the union of sorted sets.", unionCx, cmdAlgebra(opUnion), argNumkeys, argKeys, argWeights, argAggr, argScores),
		spec("zinter", -3, ro, readKeys, "6.2.0", "Returns the intersection of sorted sets.", interCx, cmdAlgebra(opInter), argNumkeys, argKeys, argWeights, argAggr, argScores),
		spec("zdiff", -3, ro, readKeys, "6.2.0", "Returns the members of the first sorted set that are in none of the others.", diffCx, cmdAlgebra(opDiff), argNumkeys, argKeys, argScores),
		spec("zunionstore", -4, w|deny, storeKeys, "2.0.0", "Stores the union of sorted sets in a key.", unionCx, cmdAlgebraStore(opUnion), argDst, argNumkeys, argKeys, argWeights, argAggr),
		spec("zinterstore", -4, w|deny, storeKeys, "2.0.0", "Stores the intersection of sorted sets in a key.", interCx, cmdAlgebraStore(opInter), argDst, argNumkeys, argKeys, argWeights, argAggr),
		spec("zdiffstore", -4, w|deny, storeKeys, "6.2.0", "Stores the difference of sorted sets in a key.", diffCx, cmdAlgebraStore(opDiff), argDst, argNumkeys, argKeys),
		spec("zintercard", -3, ro, readKeys, "7.0.0", "Counts the members of the intersection of sorted sets, optionally stopping at a limit.",
			"O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.", cmdZInterCard, argNumkeys, argKeys,
			server.ArgDoc{Name: "limit", Type: "integer", Token: "LIMIT", Optional: true}),
		nondet(spec("zscan", -3, ro, key1("RO", "ACCESS"), "2.8.0", "Iterates over the members and scores of a sorted set.",
			"O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
			cmdZScan, argKey, server.ArgDoc{Name: "cursor", Type: "integer"},
			server.ArgDoc{Name: "pattern", Type: "pattern", Token: "MATCH", Optional: true}, server.ArgDoc{Name: "count", Type: "integer", Token: "COUNT", Optional: true})),
	)
}
