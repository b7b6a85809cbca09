package lists

import "github.com/moonkv/moonkv/internal/server"

func key1(flags ...string) []server.KeySpec {
	return []server.KeySpec{{Flags: flags, BeginIndex: 1, LastKey: 0, KeyStep: 1}}
}

var (
	argKey     = server.ArgDoc{Name: "key", Type: "key"}
	argKeys    = server.ArgDoc{Name: "key", Type: "key", Multiple: true}
	argElems   = server.ArgDoc{Name: "element", Type: "string", Multiple: true}
	argElem    = server.ArgDoc{Name: "element", Type: "string"}
	argSrc     = server.ArgDoc{Name: "source", Type: "key"}
	argDst     = server.ArgDoc{Name: "destination", Type: "key"}
	argTimeout = server.ArgDoc{Name: "timeout", Type: "double"}
	argNumkeys = server.ArgDoc{Name: "numkeys", Type: "integer"}
	argStart   = server.ArgDoc{Name: "start", Type: "integer"}
	argStop    = server.ArgDoc{Name: "stop", Type: "integer"}
)

func whereArg(name string) server.ArgDoc {
	return server.ArgDoc{Name: name, Type: "oneof", Sub: []server.ArgDoc{
		{Name: "left", Type: "pure-token", Token: "LEFT"}, {Name: "right", Type: "pure-token", Token: "RIGHT"}}}
}

// Register adds the list family to the table.
func Register(r *server.Registry) {
	const w, ro, fast, deny, blk, ns = server.Write, server.ReadOnly, server.Fast, server.DenyOOM, server.Blocking, server.NoScript
	spec := func(name string, arity int, flags server.Flags, ks []server.KeySpec, since, summary, cx string, h server.Handler, args ...server.ArgDoc) *server.Spec {
		return &server.Spec{Name: name, Arity: arity, Flags: flags, Categories: server.CatList, KeySpecs: ks,
			Group: "list", Since: since, Summary: summary, Complexity: cx, Args: args, Handler: h}
	}
	moveKeys := []server.KeySpec{
		{Flags: []string{"RW", "ACCESS", "DELETE"}, BeginIndex: 1, LastKey: 0, KeyStep: 1},
		{Flags: []string{"RW", "INSERT"}, BeginIndex: 2, LastKey: 0, KeyStep: 1},
	}
	bpopKeys := []server.KeySpec{{Flags: []string{"RW", "ACCESS", "DELETE"}, BeginIndex: 1, LastKey: -2, KeyStep: 1}}
	mpopKeys := func(begin int) []server.KeySpec {
		return []server.KeySpec{{Flags: []string{"RW", "ACCESS", "DELETE"}, BeginIndex: begin, KeyNum: true, KeyNumIdx: 0, FirstKey: 1, KeyStep: 1}}
	}
	countArg := server.ArgDoc{Name: "count", Type: "integer", Token: "COUNT", Optional: true}
	r.Add(
		spec("lpush", -3, w|deny|fast, key1("RW", "INSERT"), "1.0.0",
			"Prepends elements to a list, creating the list when it is missing.",
			"O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
			cmdPush(true, false), argKey, argElems),
		spec("rpush", -3, w|deny|fast, key1("RW", "INSERT"), "1.0.0",
			"Appends elements to a list, creating the list when it is missing.",
			"O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
			cmdPush(false, false), argKey, argElems),
		spec("lpushx", -3, w|deny|fast, key1("RW", "INSERT"), "2.2.0",
			"Prepends elements to a list only when the list already exists.",
			"O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
			cmdPush(true, true), argKey, argElems),
		spec("rpushx", -3, w|deny|fast, key1("RW", "INSERT"), "2.2.0",
			"Appends elements to a list only when the list already exists.",
			"O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
			cmdPush(false, true), argKey, argElems),
		spec("lpop", -2, w|fast, key1("RW", "ACCESS", "DELETE"), "1.0.0",
			"Removes and returns the first elements of a list; the list goes away with its last element.",
			"O(N) where N is the number of elements returned", cmdPop(true), argKey, server.ArgDoc{Name: "count", Type: "integer", Optional: true}),
		spec("rpop", -2, w|fast, key1("RW", "ACCESS", "DELETE"), "1.0.0",
			"Removes and returns the last elements of a list; the list goes away with its last element.",
			"O(N) where N is the number of elements returned", cmdPop(false), argKey, server.ArgDoc{Name: "count", Type: "integer", Optional: true}),
		spec("llen", 2, ro|fast, key1("RO"), "1.0.0", "Returns the length of a list.", "O(1)", cmdLLen, argKey),
		spec("lrange", 4, ro, key1("RO", "ACCESS"), "1.0.0", "Returns a range of elements of a list.",
			"O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
			cmdLRange, argKey, argStart, argStop),
		spec("lindex", 3, ro, key1("RO", "ACCESS"), "1.0.0", "Returns the element at an index of a list.",
			"O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).",
			cmdLIndex, argKey, server.ArgDoc{Name: "index", Type: "integer"}),
		spec("lset", 4, w|deny, key1("RW", "UPDATE"), "1.0.0", "Replaces the element at an index of a list.",
			"O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).",
			cmdLSet, argKey, server.ArgDoc{Name: "index", Type: "integer"}, argElem),
		spec("linsert", 5, w|deny, key1("RW", "INSERT"), "2.2.0", "Inserts an element before or after another element of a list.",
			"O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).",
			cmdLInsert, argKey, server.ArgDoc{Name: "where", Type: "oneof", Sub: []server.ArgDoc{
				{Name: "before", Type: "pure-token", Token: "BEFORE"}, {Name: "after", Type: "pure-token", Token: "AFTER"}}},
			server.ArgDoc{Name: "pivot", Type: "string"}, argElem),
		spec("lrem", 4, w, key1("RW", "DELETE"), "1.0.0", "Removes elements equal to a value from a list.",
			"O(N+M) where N is the length of the list and M is the number of elements removed.",
			cmdLRem, argKey, server.ArgDoc{Name: "count", Type: "integer"}, argElem),
		spec("ltrim", 4, w, key1("RW", "DELETE"), "1.0.0", "Keeps only a range of elements of a list, removing the rest.",
			"O(N) where N is the number of elements to be removed by the operation.", cmdLTrim, argKey, argStart, argStop),
		spec("lpos", -3, ro, key1("RO", "ACCESS"), "6.0.6", "Returns the indexes of elements equal to a value in a list.",
			"O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
			cmdLPos, argKey, argElem,
			server.ArgDoc{Name: "rank", Type: "integer", Token: "RANK", Optional: true},
			server.ArgDoc{Name: "num-matches", Type: "integer", Token: "COUNT", Optional: true},
			server.ArgDoc{Name: "len", Type: "integer", Token: "MAXLEN", Optional: true}),
		spec("lmove", 5, w|deny, moveKeys, "6.2.0", "Pops an element from one end of a list and pushes it onto an end of another (or the same) list.",
			"O(1)", cmdLMove, argSrc, argDst, whereArg("wherefrom"), whereArg("whereto")),
		spec("rpoplpush", 3, w|deny, moveKeys, "1.2.0", "Pops the last element of a list and pushes it at the head of another (or the same) list.",
			"O(1)", cmdRPopLPush, argSrc, argDst),
		spec("lmpop", -4, w, mpopKeys(1), "7.0.0", "Pops elements from the first non-empty list among several.",
			"O(N+M) where N is the number of provided keys and M is the number of elements returned.",
			cmdLMPop, argNumkeys, argKeys, whereArg("where"), countArg),
		spec("blpop", -3, w|ns|blk, bpopKeys, "2.0.0", "Pops the first element of the first non-empty list, waiting for one when all are empty.",
			"O(N) where N is the number of provided keys.", cmdBPop(true), argKeys, argTimeout),
		spec("brpop", -3, w|ns|blk, bpopKeys, "2.0.0", "Pops the last element of the first non-empty list, waiting for one when all are empty.",
			"O(N) where N is the number of provided keys.", cmdBPop(false), argKeys, argTimeout),
		spec("brpoplpush", 4, w|deny|ns|blk, moveKeys, "2.2.0", "Pops the last element of a list and pushes it onto another list, waiting for one when the source is empty.",
			"O(1)", cmdBRPopLPush, argSrc, argDst, argTimeout),
		spec("blmove", 6, w|deny|ns|blk, moveKeys, "6.2.0", "Moves an element between lists like LMOVE, waiting for one when the source is empty.",
			"O(1)", cmdBLMove, argSrc, argDst, whereArg("wherefrom"), whereArg("whereto"), argTimeout),
		spec("blmpop", -5, w|blk, mpopKeys(2), "7.0.0", "Pops elements from the first non-empty list among several, waiting for one when all are empty.",
			"O(N+M) where N is the number of provided keys and M is the number of elements returned.",
			cmdBLMPop, argTimeout, argNumkeys, argKeys, whereArg("where"), countArg),
	)
	server.RegisterClientUnblock(r)
}
