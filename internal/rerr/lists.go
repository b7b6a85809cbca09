package rerr

import "errors"

// Lists and the blocking commands.
var (
	IndexOutOfRange = errors.New("ERR index out of range")
	LposRankZero    = errors.New("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")
	LposCountNeg    = errors.New("ERR COUNT can't be negative")
	LposMaxlenNeg   = errors.New("ERR MAXLEN can't be negative")
	NumkeysZero     = errors.New("ERR numkeys should be greater than 0")
	CountZero       = errors.New("ERR count should be greater than 0")

	TimeoutNotFloat = errors.New("ERR timeout is not a float or out of range")
	TimeoutNegative = errors.New("ERR timeout is negative")
	UnblockReason   = errors.New("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR")
	UnblockArgs     = errors.New("ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.")
)
