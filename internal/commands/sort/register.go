package sort

import "github.com/moonkv/moonkv/internal/server"

// Register adds SORT and SORT_RO to the table.
func Register(r *server.Registry) {
	args := []server.ArgDoc{
		{Name: "key", Type: "key"},
		{Name: "pattern", Type: "pattern", Token: "BY", Optional: true},
		{Name: "limit", Type: "block", Token: "LIMIT", Optional: true, Sub: []server.ArgDoc{
			{Name: "offset", Type: "integer"}, {Name: "count", Type: "integer"}}},
		{Name: "pattern", Type: "pattern", Token: "GET", Optional: true, Multiple: true},
		{Name: "order", Type: "oneof", Optional: true, Sub: []server.ArgDoc{
			{Name: "asc", Type: "pure-token", Token: "ASC"}, {Name: "desc", Type: "pure-token", Token: "DESC"}}},
		{Name: "sorting", Type: "pure-token", Token: "ALPHA", Optional: true},
	}
	// The notes are Redis's own: COMMAND INFO prints them.
	byGet := server.KeySpec{Flags: []string{"RO", "ACCESS"}, Unknown: true,
		Notes: "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort"}
	r.Add(
		&server.Spec{Name: "sort", Arity: -2, Flags: server.Write | server.DenyOOM,
			Categories: server.CatSet | server.CatSortedSet | server.CatList | server.CatDangerous,
			KeySpecs: []server.KeySpec{
				{Flags: []string{"RO", "ACCESS"}, BeginIndex: 1, LastKey: 0, KeyStep: 1},
				byGet,
				// STORE may come anywhere: Redis marks it unknown too.
				{Flags: []string{"OW", "UPDATE"}, Unknown: true,
					Notes: "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array"},
			},
			KeysFunc: sortKeys, Group: "generic", Since: "1.0.0",
			Summary:    "Sorts the elements of a list, set or sorted set, optionally storing the result.",
			Complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
			Args:       append(args, server.ArgDoc{Name: "destination", Type: "key", Token: "STORE", Optional: true}),
			Handler:    cmdSort},
		&server.Spec{Name: "sort_ro", Arity: -2, Flags: server.ReadOnly,
			Categories: server.CatSet | server.CatSortedSet | server.CatList | server.CatDangerous,
			KeySpecs: []server.KeySpec{
				{Flags: []string{"RO", "ACCESS"}, BeginIndex: 1, LastKey: 0, KeyStep: 1},
				byGet,
			},
			KeysFunc: func(args [][]byte) []int { return []int{1} }, Group: "generic", Since: "7.0.0",
			Summary:    "Sorts the elements of a list, set or sorted set without writing anything.",
			Complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
			Args:       args, Handler: cmdSortRO},
	)
}

// sortKeys finds SORT's keys as Redis's sortGetKeys does: the sorted key,
// and the STORE destination (the last one given), skipping the arguments
// of the other options.
func sortKeys(args [][]byte) []int {
	keys := []int{1}
	store := 0
	skip := map[string]int{"limit": 2, "get": 1, "by": 1}
	for i := 2; i < len(args); i++ {
		name := lower(args[i])
		if n, ok := skip[name]; ok {
			i += n
			continue
		}
		if name == "store" && i+1 < len(args) {
			store = i + 1
			i++
		}
	}
	if store > 0 {
		keys = append(keys, store)
	}
	return keys
}

func lower(b []byte) string {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return string(out)
}
