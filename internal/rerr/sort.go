package rerr

import "errors"

// SORT.
var (
	SortNotDouble = errors.New("ERR One or more scores can't be converted into double")
)
