package rerr

import "errors"

// Scripting (EVAL, EVALSHA, SCRIPT, and what redis.call refuses).
var (
	NoScript         = errors.New("NOSCRIPT No matching script. Please use EVAL.")
	NumKeysTooBig    = errors.New("ERR Number of keys can't be greater than number of args")
	NumKeysNegative  = errors.New("ERR Number of keys can't be negative")
	NotBusy          = errors.New("NOTBUSY No scripts in execution right now.")
	Unkillable       = errors.New("UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.")
	ScriptFlushMode  = errors.New("ERR SCRIPT FLUSH only support SYNC|ASYNC option")
	ScriptWriteRO    = errors.New("ERR Can not execute a script with write flag using *_ro command.")
	ShebangInvalid   = errors.New("ERR Invalid script shebang")
	ScriptKilledText = "ERR Script killed by user with SCRIPT KILL..."

	// Texts redis.call raises into the script; the bridge prefixes "ERR "
	// and adds the script's name and line.
	ScriptUnknownCmd  = "Unknown Redis command called from script"
	ScriptWrongArity  = "Wrong number of args calling Redis command from script"
	ScriptNoScriptCmd = "This Redis command is not allowed from script"
	ScriptWriteInRO   = "Write commands are not allowed from read-only scripts."
	ScriptOOMCmd      = "-OOM command not allowed when used memory > 'maxmemory'."
	ScriptArgType     = "Lua redis lib command arguments must be strings or integers"
	ScriptNoArgs      = "Please specify at least one argument for this redis lib call"
	ScriptWrongArgs   = "wrong number or type of arguments"
	ScriptWrongNArgs  = "wrong number of arguments"
	ScriptRespVersion = "RESP version must be 2 or 3."
	ScriptReplFlags   = "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE."
	ScriptLogArgs     = "redis.log() requires two arguments or more."
	ScriptLogLevel    = "Invalid debug level."
	ScriptReadonlyTab = "Attempt to modify a readonly table"
	ScriptNoGlobalFmt = "Script attempted to access nonexistent global variable '%s'"
	ScriptCompileFmt  = "ERR Error compiling script (new function): %s"
)

// ShebangEngine is the reply to a shebang naming an engine other than lua.
func ShebangEngine(shebang string) error {
	return errors.New("ERR Unexpected engine in script shebang: " + shebang)
}

// ShebangOption is the reply to an unknown shebang option.
func ShebangOption(opt string) error {
	return errors.New("ERR Unknown lua shebang option: " + opt)
}

// ShebangFlag is the reply to an unknown flag in flags=...
func ShebangFlag(flag string) error {
	return errors.New("ERR Unexpected flag in script shebang: " + flag)
}
