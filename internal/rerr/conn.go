package rerr

import "errors"

// Connection commands: AUTH, HELLO, SELECT, CLIENT.
var (
	WrongPass       = errors.New("WRONGPASS invalid username-password pair or user is disabled.")
	AuthNoPassword  = errors.New("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?")
	NoProto         = errors.New("NOPROTO unsupported protocol version")
	ProtoNotInt     = errors.New("ERR Protocol version is not an integer or out of range")
	BadClientName   = errors.New("ERR Client names cannot contain spaces, newlines or special characters.")
	NoSuchClient    = errors.New("ERR No such client")
	ClientIDZero    = errors.New("ERR client-id should be greater than 0")
	UnknownClientTy = errors.New("ERR Unknown client type")
	PauseTimeout    = errors.New("ERR timeout is not an integer or out of range")
	PauseNegative   = errors.New("ERR timeout is negative")
)

// HelloOption is HELLO's reply to an option it does not know.
func HelloOption(opt string) error {
	return errors.New(oneLine("ERR Syntax error in HELLO option '" + opt + "'"))
}

// UnknownClientType is CLIENT LIST/KILL's reply to a TYPE it does not know.
func UnknownClientType(t string) error {
	return errors.New(oneLine("ERR Unknown client type '" + t + "'"))
}

// Further connection errors.
var (
	InvalidClientID = errors.New("ERR Invalid client ID")
	DBIndexRange    = errors.New("ERR value is out of range, value must between -2147483648 and 2147483647")
	HelloNoAuth     = errors.New("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time")
)

// NoSuchUser is the reply to a user name moonkv does not have (only
// "default" exists).
func NoSuchUser(name string) error {
	return errors.New(oneLine("ERR No such user '" + name + "'"))
}
