package rerr

import "errors"

// Sets (SINTERCARD's arguments).
var (
	NumKeysPositive = errors.New("ERR numkeys should be greater than 0")
	NumKeysTooMany  = errors.New("ERR Number of keys can't be greater than number of args")
	LimitNegative   = errors.New("ERR LIMIT can't be negative")
)
