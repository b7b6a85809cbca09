package rerr

import (
	"errors"
	"syscall"
)

// Persistence (SAVE, BGSAVE, BGREWRITEAOF).
var (
	BgsaveInProgress   = errors.New("ERR Background save already in progress")
	BgsaveChildActive  = errors.New("ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.")
	RewriteInProgress  = errors.New("ERR Background append only file rewriting already in progress")
	RewriteChildActive = errors.New("ERR Background append only file rewriting failed to start")
	BgsaveSyntax       = errors.New("ERR syntax error")
	RewriteCantStart   = errors.New("ERR Can't execute an AOF background rewriting. Please check the server logs for more information.")

	// MisconfRDB refuses writes while the last BGSAVE failed, with save
	// points and stop-writes-on-bgsave-error on.
	MisconfRDB = errors.New("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.")
)

// MisconfAOF refuses writes while the AOF cannot be written. Redis names
// the cause by strerror: Go's texts for the same errno are the same words
// without the capital.
func MisconfAOF(cause error) error {
	text := "Unknown error"
	var errno syscall.Errno
	if errors.As(cause, &errno) {
		text = errno.Error()
		if text != "" && text[0] >= 'a' && text[0] <= 'z' {
			text = string(text[0]-'a'+'A') + text[1:]
		}
	}
	return errors.New("MISCONF Errors writing to the AOF file: " + text)
}
