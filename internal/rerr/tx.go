package rerr

import "errors"

// Transactions (MULTI/EXEC/WATCH).
var (
	MultiNested    = errors.New("ERR MULTI calls can not be nested")
	ExecNoMulti    = errors.New("ERR EXEC without MULTI")
	DiscardNoMulti = errors.New("ERR DISCARD without MULTI")
	WatchInMulti   = errors.New("ERR WATCH inside MULTI is not allowed")
	ExecAbort      = errors.New("EXECABORT Transaction discarded because of previous errors.")
)

// ExecAbortBecause is EXEC refused by a check made before it runs (Redis's
// execCommandAbort): the transaction is discarded.
func ExecAbortBecause(cause error) error {
	return errors.New("EXECABORT Transaction discarded because of: " + cause.Error())
}
