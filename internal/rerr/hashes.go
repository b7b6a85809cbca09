package rerr

import "errors"

// Hashes (HINCRBY, HINCRBYFLOAT, HRANDFIELD) and the scan family's cursor.
var (
	HashNotInt        = errors.New("ERR hash value is not an integer")
	HashNotFloat      = errors.New("ERR hash value is not a float")
	IncrNaNOrInf      = errors.New("ERR value is NaN or Infinity")
	CountRangeNoLLMin = errors.New("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
)
