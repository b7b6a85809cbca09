package rerr

// Texts for hostile scripts where Redis 7.0.15 has no answer of its own
// (it crashes, or loops until the machine runs out of memory).
const (
	// ScriptReplyTooLarge replaces the rest of a script's reply once the
	// reply built from its tables passes moonkv's bound (a table shared
	// or referenced from itself many times over can describe a reply of
	// unbounded size).
	ScriptReplyTooLarge = "ERR script reply too large"
	// ScriptUnknownError is the reply to a script that raised a table
	// without a string or number err field (error({}), error({1,2}), an
	// object with a __tostring metamethod).
	ScriptUnknownError = "ERR unknown error"
)
