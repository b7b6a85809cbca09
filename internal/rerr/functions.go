package rerr

import "errors"

// Functions (FUNCTION, FCALL, FCALL_RO and redis.register_function).
var (
	FunctionNotFound     = errors.New("ERR Function not found")
	FunctionBadNumKeys   = errors.New("ERR Bad number of keys provided")
	FunctionCodeMissing  = errors.New("ERR Function code is missing")
	LibraryNotFound      = errors.New("ERR Library not found")
	FunctionFlushMode    = errors.New("ERR FUNCTION FLUSH only supports SYNC|ASYNC option")
	FunctionListNoName   = errors.New("ERR library name argument was not given")
	FunctionRestorePol   = errors.New("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.")
	FunctionDumpPayload  = errors.New("ERR DUMP payload version or checksum are wrong")
	FunctionBusyFunction = errors.New("BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.")

	// Texts of a library that cannot be created; the command replies
	// "ERR " + text.
	LibMissingMeta   = "Missing library metadata"
	LibInvalidMeta   = "Invalid library metadata"
	LibNameTwice     = "Invalid metadata value, name argument was given multiple times"
	LibNoName        = "Library name was not given"
	LibBadName       = "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long"
	LibNoFunctions   = "No functions registered"
	LibCompileFmt    = "Error compiling function: %s"
	LibRegisterFmt   = "Error registering functions: %s"
	LibLoadTimeout   = "FUNCTION LOAD timeout"
	LibFuncDupInLib  = "Function already exists in the library"
	LibNotAFunction  = "given type is not a function"
	LibPayloadFailed = "Failed loading library payload"

	// redis.log with a first argument that is not a number (EVAL too).
	ScriptLogNotNumber = "First argument must be a number (log level)."

	// Errors redis.register_function raises while a library loads.
	RegisterNotLoading = "redis.register_function can only be called on FUNCTION LOAD command"
	RegisterNArgs      = "wrong number of arguments to redis.register_function"
	RegisterNotTable   = "calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments)."
	RegisterKeyType    = "named argument key given to redis.register_function is not a string"
	RegisterNameType   = "function_name argument given to redis.register_function must be a string"
	RegisterDescType   = "description argument given to redis.register_function must be a string"
	RegisterCbType     = "callback argument given to redis.register_function must be a function"
	RegisterFlagsType  = "flags argument to redis.register_function must be a table representing function flags"
	RegisterBadFlag    = "unknown flag given"
	RegisterUnknownArg = "unknown argument given to redis.register_function"
	RegisterNoName     = "redis.register_function must get a function name argument"
	RegisterNoCallback = "redis.register_function must get a callback argument"
	RegisterFirstArg   = "first argument to redis.register_function must be a string"
	RegisterSecondArg  = "second argument to redis.register_function must be a function"
)

// LibraryExists is the reply to FUNCTION LOAD of a library that exists.
func LibraryExists(name string) error {
	return errors.New("ERR Library '" + name + "' already exists")
}

// LibraryExistsRestore is FUNCTION RESTORE's text for the same case
// (Redis words it without quotes there).
func LibraryExistsRestore(name string) error {
	return errors.New("ERR Library " + name + " already exists")
}

// FunctionExists is the reply when a library would register a function
// another library already has.
func FunctionExists(name string) error {
	return errors.New("ERR Function " + name + " already exists")
}

// EngineNotFound is the reply to a library shebang naming an unknown engine.
func EngineNotFound(name string) error {
	return errors.New("ERR Engine '" + name + "' not found")
}

// LibMetaValue is the reply to an unknown shebang option of a library.
func LibMetaValue(part string) error {
	return errors.New("ERR Invalid metadata value given: " + part)
}

// FunctionLoadOption is the reply to FUNCTION LOAD with an unknown option.
func FunctionLoadOption(opt string) error {
	return errors.New("ERR Unknown option given: " + opt)
}

// FunctionListArg is the reply to FUNCTION LIST with an unknown argument.
func FunctionListArg(arg string) error {
	return errors.New("ERR Unknown argument " + arg)
}

// FunctionSubSyntax is the reply to FUNCTION FLUSH/RESTORE with too many
// arguments (Redis's addReplySubcommandSyntaxError).
func FunctionSubSyntax(sub string) error {
	return errors.New(oneLine("ERR unknown subcommand or wrong number of arguments for '" + prefix(sub, 128) + "'. Try FUNCTION HELP."))
}
