package rerr

import "errors"

// Persistence (SAVE, BGSAVE, BGREWRITEAOF).
var (
	BgsaveInProgress   = errors.New("ERR Background save already in progress")
	BgsaveChildActive  = errors.New("ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.")
	RewriteInProgress  = errors.New("ERR Background append only file rewriting already in progress")
	RewriteChildActive = errors.New("ERR Background append only file rewriting failed to start")
	BgsaveSyntax       = errors.New("ERR syntax error")
)
