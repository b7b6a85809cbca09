package rerr

import "errors"

// Server administration: CONFIG, COMMAND, INFO, SHUTDOWN.
var (
	NoConfigFile       = errors.New("ERR The server is running without a config file")
	RewriteFailed      = errors.New("ERR Rewriting config file: ")
	InvalidCmdArgs     = errors.New("ERR Invalid arguments specified for command")
	InvalidCommand     = errors.New("ERR Invalid command specified")
	NoKeyArgs          = errors.New("ERR The command has no key arguments")
	ShutdownErrors     = errors.New("ERR Errors trying to SHUTDOWN. Check logs.")
	ShutdownNotPending = errors.New("ERR No shutdown in progress.")
	ConfigSetSyntax    = errors.New("ERR syntax error")
)

// ConfigSetUnknown is CONFIG SET's reply to a parameter it does not know.
func ConfigSetUnknown(name string) error {
	return errors.New(oneLine("ERR Unknown option or number of arguments for CONFIG SET - '" + name + "'"))
}

// ConfigSetFailed is CONFIG SET's reply when a value is refused.
func ConfigSetFailed(name, why string) error {
	return errors.New(oneLine("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + why))
}

// RewriteError is CONFIG REWRITE's reply when the file cannot be written.
func RewriteError(why string) error {
	return errors.New(oneLine("ERR Rewriting config file: " + why))
}

// InvalidCmdArgNum is COMMAND GETKEYS's reply when the command's arity
// does not allow the given arguments.
var InvalidCmdArgNum = errors.New("ERR Invalid number of arguments specified for command")
