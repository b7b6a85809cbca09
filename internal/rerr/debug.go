package rerr

import "errors"

// DEBUG, and MEMORY DOCTOR/STATS.
var (
	DebugNotAllowed = errors.New(`ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.`)
	// DebugSaveFailed is DEBUG RELOAD's reply when the RDB cannot be
	// written: Redis answers its bare shared error.
	DebugSaveFailed      = errors.New("ERR")
	DebugReloadFailed    = errors.New("ERR Error trying to load the RDB dump")
	DebugReloadOptions   = errors.New("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.")
	DebugLoadAOFFailed   = errors.New("ERR Error trying to load the AOF files, check server logs.")
	DebugNoSuchKey       = errors.New("ERR no such key")
	DebugProtocolType    = errors.New("ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false")
	DebugRESP2           = errors.New("ERR RESP2 is not supported by this command")
	DebugNotPositive     = errors.New("ERR value is out of range, must be positive")
	DebugPackedThreshold = errors.New("ERR argument must be a memory value bigger than 1 and smaller than 4gb")
	DebugNotSDS          = errors.New("ERR Not an sds encoded string.")
	DebugOutOfRangeDB    = errors.New("ERR Out of range database")
	DebugNotHashTable    = errors.New("ERR The value stored at the specified key is not represented using an hash table")
)

// DebugUnknown is DEBUG's reply to a subcommand it does not know or a
// known one with the wrong number of arguments.
func DebugUnknown(sub string) error {
	return errors.New(oneLine("ERR unknown subcommand or wrong number of arguments for '" + prefix(sub, 128) + "'. Try DEBUG HELP."))
}
