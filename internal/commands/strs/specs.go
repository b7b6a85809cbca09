package strs

import "github.com/moonkv/moonkv/internal/server"

// Register adds the string family to the table.
func Register(r *server.Registry) {
	const (
		w    = server.Write
		ro   = server.ReadOnly
		oom  = server.DenyOOM
		fast = server.Fast
		str  = server.CatString
		bm   = server.CatBitmap
	)
	key := server.ArgDoc{Name: "key", Type: "key"}
	value := server.ArgDoc{Name: "value", Type: "string"}
	integer := func(name string) server.ArgDoc { return server.ArgDoc{Name: name, Type: "integer"} }
	token := func(name, tok string) server.ArgDoc { return server.ArgDoc{Name: name, Type: "pure-token", Token: tok} }
	unit := server.ArgDoc{Name: "index_unit", Type: "oneof", Optional: true, Since: "7.0.0",
		Sub: []server.ArgDoc{token("byte", "BYTE"), token("bit", "BIT")}}
	// SET's expiration options carry the version that added each; GETEX
	// had them all from the start.
	expiry := func(forSet bool, last server.ArgDoc) server.ArgDoc {
		since := func(v string) string {
			if forSet {
				return v
			}
			return ""
		}
		return server.ArgDoc{Name: "expiration", Type: "oneof", Optional: true, Sub: []server.ArgDoc{
			{Name: "seconds", Type: "integer", Token: "EX", Since: since("2.6.12")},
			{Name: "milliseconds", Type: "integer", Token: "PX", Since: since("2.6.12")},
			{Name: "unix-time-seconds", Type: "unix-time", Token: "EXAT", Since: since("6.2.0")},
			{Name: "unix-time-milliseconds", Type: "unix-time", Token: "PXAT", Since: since("6.2.0")},
			last,
		}}
	}
	keepTTL := token("keepttl", "KEEPTTL")
	keepTTL.Since = "6.0.0"
	bitHistory := [][2]string{{"7.0.0", "Added the `BYTE|BIT` option."}}
	encOffset := []server.ArgDoc{{Name: "encoding", Type: "string"}, integer("offset")}

	r.Add(
		&server.Spec{Name: "get", Arity: 2, Flags: ro | fast, Categories: str, KeySpecs: key1("RO", "ACCESS"),
			Group: "string", Since: "1.0.0", Summary: "Returns the string value of a key.", Complexity: "O(1)",
			Args: []server.ArgDoc{key}, Handler: cmdGet},
		&server.Spec{Name: "set", Arity: -3, Flags: w | oom, Categories: str,
			KeySpecs: []server.KeySpec{{Flags: []string{"RW", "ACCESS", "UPDATE", "VARIABLE_FLAGS"}, BeginIndex: 1, LastKey: 0, KeyStep: 1,
				Notes: "RW and ACCESS due to the optional `GET` argument"}},
			Group: "string", Since: "1.0.0", Summary: "Sets the string value of a key, ignoring its type; optionally with an expiry, a condition, and the old value returned.",
			Complexity: "O(1)",
			History: [][2]string{
				{"2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options."},
				{"6.0.0", "Added the `KEEPTTL` option."},
				{"6.2.0", "Added the `GET`, `EXAT` and `PXAT` option."},
				{"7.0.0", "Allowed the `NX` and `GET` options to be used together."}},
			Args: []server.ArgDoc{key, value,
				{Name: "condition", Type: "oneof", Optional: true, Since: "2.6.12", Sub: []server.ArgDoc{token("nx", "NX"), token("xx", "XX")}},
				{Name: "get", Type: "pure-token", Token: "GET", Optional: true, Since: "6.2.0"},
				expiry(true, keepTTL)},
			Handler: cmdSet},
		&server.Spec{Name: "setnx", Arity: 3, Flags: w | oom | fast, Categories: str, KeySpecs: key1("OW", "INSERT"),
			Group: "string", Since: "1.0.0", Summary: "Sets the string value of a key only when the key does not exist yet.", Complexity: "O(1)",
			Args: []server.ArgDoc{key, value}, Handler: cmdSetNX},
		&server.Spec{Name: "setex", Arity: 4, Flags: w | oom, Categories: str, KeySpecs: key1("OW", "UPDATE"),
			Group: "string", Since: "2.0.0", Summary: "Sets a string value together with a time to live in seconds.", Complexity: "O(1)",
			Args: []server.ArgDoc{key, integer("seconds"), value}, Handler: cmdSetEX},
		&server.Spec{Name: "psetex", Arity: 4, Flags: w | oom, Categories: str, KeySpecs: key1("OW", "UPDATE"),
			Group: "string", Since: "2.6.0", Summary: "Sets a string value together with a time to live in milliseconds.", Complexity: "O(1)",
			Args: []server.ArgDoc{key, integer("milliseconds"), value}, Handler: cmdPSetEX},
		&server.Spec{Name: "getset", Arity: 3, Flags: w | oom | fast, Categories: str, KeySpecs: key1("RW", "ACCESS", "UPDATE"),
			Group: "string", Since: "1.0.0", Summary: "Replaces a key's string value and returns the previous one.", Complexity: "O(1)",
			DocFlags: []string{"deprecated"}, DeprecatedSince: "6.2.0", ReplacedBy: "`SET` with the `!GET` argument",
			Args: []server.ArgDoc{key, value}, Handler: cmdGetSet},
		&server.Spec{Name: "getdel", Arity: 2, Flags: w | fast, Categories: str, KeySpecs: key1("RW", "ACCESS", "DELETE"),
			Group: "string", Since: "6.2.0", Summary: "Returns a key's string value and removes the key.", Complexity: "O(1)",
			Args: []server.ArgDoc{key}, Handler: cmdGetDel},
		&server.Spec{Name: "getex", Arity: -2, Flags: w | fast, Categories: str,
			KeySpecs: []server.KeySpec{{Flags: []string{"RW", "ACCESS", "UPDATE"}, BeginIndex: 1, LastKey: 0, KeyStep: 1,
				Notes: "RW and UPDATE because it changes the TTL"}},
			Group: "string", Since: "6.2.0", Summary: "Returns a key's string value and optionally changes or removes its expiry.", Complexity: "O(1)",
			Args: []server.ArgDoc{key, expiry(false, token("persist", "PERSIST"))}, Handler: cmdGetEx},
		&server.Spec{Name: "mget", Arity: -2, Flags: ro | fast, Categories: str,
			KeySpecs: []server.KeySpec{{Flags: []string{"RO", "ACCESS"}, BeginIndex: 1, LastKey: -1, KeyStep: 1}},
			Group:    "string", Since: "1.0.0", Summary: "Returns the string values of several keys.", Complexity: "O(N) where N is the number of keys to retrieve.",
			Tips: []string{"request_policy:multi_shard"},
			Args: []server.ArgDoc{{Name: "key", Type: "key", Multiple: true}}, Handler: cmdMGet},
		&server.Spec{Name: "mset", Arity: -3, Flags: w | oom, Categories: str,
			KeySpecs: []server.KeySpec{{Flags: []string{"OW", "UPDATE"}, BeginIndex: 1, LastKey: -1, KeyStep: 2}},
			Group:    "string", Since: "1.0.1", Summary: "Sets the string values of several keys at once.", Complexity: "O(N) where N is the number of keys to set.",
			Tips: []string{"request_policy:multi_shard", "response_policy:all_succeeded"},
			Args: []server.ArgDoc{{Name: "key_value", Type: "block", Multiple: true, Sub: []server.ArgDoc{key, value}}}, Handler: cmdMSet},
		&server.Spec{Name: "msetnx", Arity: -3, Flags: w | oom, Categories: str,
			KeySpecs: []server.KeySpec{{Flags: []string{"OW", "INSERT"}, BeginIndex: 1, LastKey: -1, KeyStep: 2}},
			Group:    "string", Since: "1.0.1", Summary: "Sets several keys at once, only when none of them exists yet.", Complexity: "O(N) where N is the number of keys to set.",
			Tips: []string{"request_policy:multi_shard", "response_policy:agg_min"},
			Args: []server.ArgDoc{{Name: "key_value", Type: "block", Multiple: true, Sub: []server.ArgDoc{key, value}}}, Handler: cmdMSetNX},
		&server.Spec{Name: "append", Arity: 3, Flags: w | oom | fast, Categories: str, KeySpecs: key1("RW", "INSERT"),
			Group: "string", Since: "2.0.0", Summary: "Appends bytes to a key's string value, creating the key when it is missing.",
			Complexity: "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size.",
			Args:       []server.ArgDoc{key, value}, Handler: cmdAppend},
		&server.Spec{Name: "strlen", Arity: 2, Flags: ro | fast, Categories: str, KeySpecs: key1("RO"),
			Group: "string", Since: "2.2.0", Summary: "Returns the length in bytes of a key's string value.", Complexity: "O(1)",
			Args: []server.ArgDoc{key}, Handler: cmdStrlen},

		&server.Spec{Name: "incr", Arity: 2, Flags: w | oom | fast, Categories: str, KeySpecs: key1("RW", "ACCESS", "UPDATE"),
			Group: "string", Since: "1.0.0", Summary: "Adds one to the integer stored at a key.", Complexity: "O(1)",
			Args: []server.ArgDoc{key}, Handler: cmdIncr},
		&server.Spec{Name: "incrby", Arity: 3, Flags: w | oom | fast, Categories: str, KeySpecs: key1("RW", "ACCESS", "UPDATE"),
			Group: "string", Since: "1.0.0", Summary: "Adds an amount to the integer stored at a key.", Complexity: "O(1)",
			Args: []server.ArgDoc{key, integer("increment")}, Handler: cmdIncrBy},
		&server.Spec{Name: "decr", Arity: 2, Flags: w | oom | fast, Categories: str, KeySpecs: key1("RW", "ACCESS", "UPDATE"),
			Group: "string", Since: "1.0.0", Summary: "Subtracts one from the integer stored at a key.", Complexity: "O(1)",
			Args: []server.ArgDoc{key}, Handler: cmdDecr},
		&server.Spec{Name: "decrby", Arity: 3, Flags: w | oom | fast, Categories: str, KeySpecs: key1("RW", "ACCESS", "UPDATE"),
			Group: "string", Since: "1.0.0", Summary: "Subtracts an amount from the integer stored at a key.", Complexity: "O(1)",
			Args: []server.ArgDoc{key, integer("decrement")}, Handler: cmdDecrBy},
		&server.Spec{Name: "incrbyfloat", Arity: 3, Flags: w | oom | fast, Categories: str, KeySpecs: key1("RW", "ACCESS", "UPDATE"),
			Group: "string", Since: "2.6.0", Summary: "Adds a floating point amount to the number stored at a key.", Complexity: "O(1)",
			Args: []server.ArgDoc{key, {Name: "increment", Type: "double"}}, Handler: cmdIncrByFloat},

		&server.Spec{Name: "getrange", Arity: 4, Flags: ro, Categories: str, KeySpecs: key1("RO", "ACCESS"),
			Group: "string", Since: "2.4.0", Summary: "Returns the bytes of a key's string value between two offsets.",
			Complexity: "O(N) where N is the length of the returned string.",
			Args:       []server.ArgDoc{key, integer("start"), integer("end")}, Handler: cmdGetRange},
		&server.Spec{Name: "substr", Arity: 4, Flags: ro, Categories: str, KeySpecs: key1("RO", "ACCESS"),
			Group: "string", Since: "1.0.0", Summary: "Returns the bytes of a key's string value between two offsets (the old name of GETRANGE).",
			Complexity: "O(N) where N is the length of the returned string.",
			DocFlags:   []string{"deprecated"}, DeprecatedSince: "2.0.0", ReplacedBy: "`GETRANGE`",
			Args: []server.ArgDoc{key, integer("start"), integer("end")}, Handler: cmdGetRange},
		&server.Spec{Name: "setrange", Arity: 4, Flags: w | oom, Categories: str, KeySpecs: key1("RW", "UPDATE"),
			Group: "string", Since: "2.2.0", Summary: "Overwrites part of a key's string value from an offset on, padding with zero bytes.",
			Complexity: "O(1), not counting the time taken to copy the new string in place; O(M) with M the length of the value.",
			Args:       []server.ArgDoc{key, integer("offset"), value}, Handler: cmdSetRange},
		&server.Spec{Name: "lcs", Arity: -3, Flags: ro, Categories: str,
			KeySpecs: []server.KeySpec{{Flags: []string{"RO", "ACCESS"}, BeginIndex: 1, LastKey: 1, KeyStep: 1}},
			Group:    "string", Since: "7.0.0", Summary: "Finds the longest common subsequence of two strings.",
			Complexity: "O(N*M) where N and M are the lengths of s1 and s2, respectively",
			Args: []server.ArgDoc{{Name: "key1", Type: "key"}, {Name: "key2", Type: "key"},
				{Name: "len", Type: "pure-token", Token: "LEN", Optional: true},
				{Name: "idx", Type: "pure-token", Token: "IDX", Optional: true},
				{Name: "len", Type: "integer", Token: "MINMATCHLEN", Optional: true},
				{Name: "withmatchlen", Type: "pure-token", Token: "WITHMATCHLEN", Optional: true}},
			Handler: cmdLCS},

		&server.Spec{Name: "setbit", Arity: 4, Flags: w | oom, Categories: bm, KeySpecs: key1("RW", "ACCESS", "UPDATE"),
			Group: "bitmap", Since: "2.2.0", Summary: "Sets or clears one bit of a string, growing it as needed.", Complexity: "O(1)",
			Args: []server.ArgDoc{key, integer("offset"), integer("value")}, Handler: cmdSetBit},
		&server.Spec{Name: "getbit", Arity: 3, Flags: ro | fast, Categories: bm, KeySpecs: key1("RO", "ACCESS"),
			Group: "bitmap", Since: "2.2.0", Summary: "Returns one bit of a string.", Complexity: "O(1)",
			Args: []server.ArgDoc{key, integer("offset")}, Handler: cmdGetBit},
		&server.Spec{Name: "bitcount", Arity: -2, Flags: ro, Categories: bm, KeySpecs: key1("RO", "ACCESS"),
			Group: "bitmap", Since: "2.6.0", Summary: "Counts the set bits of a string, optionally within a byte or bit range.", Complexity: "O(N)",
			History: bitHistory,
			Args: []server.ArgDoc{key, {Name: "index", Type: "block", Optional: true,
				Sub: []server.ArgDoc{integer("start"), integer("end"), unit}}},
			Handler: cmdBitCount},
		&server.Spec{Name: "bitpos", Arity: -3, Flags: ro, Categories: bm, KeySpecs: key1("RO", "ACCESS"),
			Group: "bitmap", Since: "2.8.7", Summary: "Finds the first set or clear bit of a string, optionally within a byte or bit range.", Complexity: "O(N)",
			History: bitHistory,
			Args: []server.ArgDoc{key, integer("bit"), {Name: "index", Type: "block", Optional: true,
				Sub: []server.ArgDoc{integer("start"), {Name: "end_index", Type: "block", Optional: true,
					Sub: []server.ArgDoc{integer("end"), unit}}}}},
			Handler: cmdBitPos},
		&server.Spec{Name: "bitop", Arity: -4, Flags: w | oom, Categories: bm,
			KeySpecs: []server.KeySpec{
				{Flags: []string{"OW", "UPDATE"}, BeginIndex: 2, LastKey: 0, KeyStep: 1},
				{Flags: []string{"RO", "ACCESS"}, BeginIndex: 3, LastKey: -1, KeyStep: 1}},
			Group: "bitmap", Since: "2.6.0", Summary: "Combines strings bit by bit (AND, OR, XOR, NOT) into a destination key.", Complexity: "O(N)",
			Args: []server.ArgDoc{{Name: "operation", Type: "string"}, {Name: "destkey", Type: "key"},
				{Name: "key", Type: "key", Multiple: true, KeySpec: 1}},
			Handler: cmdBitOp},
		&server.Spec{Name: "bitfield", Arity: -2, Flags: w | oom, Categories: bm,
			KeySpecs: []server.KeySpec{{Flags: []string{"RW", "ACCESS", "UPDATE", "VARIABLE_FLAGS"}, BeginIndex: 1, LastKey: 0, KeyStep: 1,
				Notes: "This command allows both access and modification of the key"}},
			Group: "bitmap", Since: "3.2.0", Summary: "Reads, writes and increments integers of any width at any bit offset of a string.",
			Complexity: "O(1) for each subcommand specified",
			Args: []server.ArgDoc{key, {Name: "operation", Type: "oneof", Optional: true, Multiple: true, Sub: []server.ArgDoc{
				{Name: "encoding_offset", Type: "block", Token: "GET", Sub: encOffset},
				{Name: "write", Type: "block", Sub: []server.ArgDoc{
					{Name: "wrap_sat_fail", Type: "oneof", Token: "OVERFLOW", Optional: true,
						Sub: []server.ArgDoc{token("wrap", "WRAP"), token("sat", "SAT"), token("fail", "FAIL")}},
					{Name: "write_operation", Type: "oneof", Sub: []server.ArgDoc{
						{Name: "encoding_offset_value", Type: "block", Token: "SET", Sub: append(encOffset[:2:2], integer("value"))},
						{Name: "encoding_offset_increment", Type: "block", Token: "INCRBY", Sub: append(encOffset[:2:2], integer("increment"))},
					}},
				}},
			}}},
			Handler: cmdBitfield},
		&server.Spec{Name: "bitfield_ro", Arity: -2, Flags: ro | fast, Categories: bm, KeySpecs: key1("RO", "ACCESS"),
			Group: "bitmap", Since: "6.0.0", Summary: "Reads integers of any width at any bit offset of a string (the read-only BITFIELD).",
			Complexity: "O(1) for each subcommand specified",
			Args:       []server.ArgDoc{key, {Name: "encoding_offset", Type: "block", Token: "GET", Optional: true, Multiple: true, MultipleToken: true, Sub: encOffset}},
			Handler:    cmdBitfieldRO},
	)
}

// key1 is the key spec of a command whose only key is its first argument.
func key1(flags ...string) []server.KeySpec {
	return []server.KeySpec{{Flags: flags, BeginIndex: 1, LastKey: 0, KeyStep: 1}}
}
