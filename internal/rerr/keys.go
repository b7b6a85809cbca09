package rerr

import "errors"

// The keyspace ("generic") commands: SCAN, EXPIRE and friends, RENAME,
// COPY, MOVE, SWAPDB, OBJECT.
var (
	InvalidCursor    = errors.New("ERR invalid cursor")
	SameObject       = errors.New("ERR source and destination objects are the same")
	ExpireNXConflict = errors.New("ERR NX and XX, GT or LT options at the same time are not compatible")
	ExpireGTLT       = errors.New("ERR GT and LT options at the same time are not compatible")
	InvalidFirstDB   = errors.New("ERR invalid first DB index")
	InvalidSecondDB  = errors.New("ERR invalid second DB index")
	NoLFUPolicy      = errors.New("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
	LFUNoIdleTime    = errors.New("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
)

// InvalidExpireTime is the reply of EXPIRE and friends, and of SET's EX/PX
// options, when the deadline overflows; cmd is the command's name as Redis
// prints it (lower case).
func InvalidExpireTime(cmd string) error {
	return errors.New("ERR invalid expire time in '" + cmd + "' command")
}

// UnsupportedOption is EXPIRE's reply to a flag it does not know; Redis
// echoes the argument as given.
func UnsupportedOption(opt []byte) error {
	return errors.New(oneLine("ERR Unsupported option " + string(opt)))
}

// IntRange is the reply when an argument that must fit in a C int (a
// database index of MOVE or COPY) does not.
var IntRange = errors.New("ERR value is out of range, value must between -2147483648 and 2147483647")
