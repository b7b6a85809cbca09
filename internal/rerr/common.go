package rerr

import (
	"errors"
	"strings"
)

// Errors shared by many command families.
var (
	WrongType   = errors.New("WRONGTYPE Operation against a key holding the wrong kind of value")
	NotInt      = errors.New("ERR value is not an integer or out of range")
	NotFloat    = errors.New("ERR value is not a valid float")
	Syntax      = errors.New("ERR syntax error")
	Overflow    = errors.New("ERR increment or decrement would overflow")
	NoSuchKey   = errors.New("ERR no such key")
	DBIndex     = errors.New("ERR DB index is out of range")
	NoAuth      = errors.New("NOAUTH Authentication required.")
	NotPositive = errors.New("ERR value is out of range, must be positive")
	OutOfRange  = errors.New("ERR value is out of range")
	NaNResult   = errors.New("ERR increment would produce NaN or Infinity")
	TooBig      = errors.New("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
	OOM         = errors.New("OOM command not allowed when used memory > 'maxmemory'.")
	Busy        = errors.New("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.")
	BusyFunc    = errors.New("BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.")
	NoMulti     = errors.New("ERR Command not allowed inside a transaction")
)

// WrongArity is Redis's reply to a command called with the wrong number of
// arguments; name is the command as the client spelled it, lower-cased by
// the caller where Redis does (full name "config|get" for subcommands).
func WrongArity(name string) error {
	return errors.New("ERR wrong number of arguments for '" + name + "' command")
}

// UnknownCommand is the reply to a command name the table does not have.
// Redis quotes up to 128 bytes of the name and of each following argument.
func UnknownCommand(name string, args [][]byte) error {
	var quoted strings.Builder
	for _, a := range args {
		if quoted.Len() >= 128 {
			break
		}
		room := 128 - quoted.Len()
		quoted.WriteString("'")
		if len(a) > room {
			a = a[:room]
		}
		quoted.Write(a)
		quoted.WriteString("' ")
	}
	return errors.New(oneLine("ERR unknown command '" + prefix(name, 128) + "', with args beginning with: " + quoted.String()))
}

// UnknownSubcommand is the reply to a container command (CONFIG, CLIENT,
// OBJECT...) with a subcommand it does not have.
func UnknownSubcommand(sub, cmd string) error {
	return errors.New(oneLine("ERR unknown subcommand '" + prefix(sub, 128) + "'. Try " + strings.ToUpper(cmd) + " HELP."))
}

func prefix(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// oneLine keeps an error on one line, as Redis's addReplyErrorFormat does
// for texts that echo client input.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}
