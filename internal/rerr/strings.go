package rerr

import "errors"

// The string family: SET and its relatives, counters, ranges, bit
// operations, BITFIELD and LCS.
var (
	DecrOverflow    = errors.New("ERR decrement would overflow")
	OffsetRange     = errors.New("ERR offset is out of range")
	BitOffset       = errors.New("ERR bit offset is not an integer or out of range")
	BitValue        = errors.New("ERR bit is not an integer or out of range")
	BitArg          = errors.New("ERR The bit argument must be 1 or 0.")
	BitopNot        = errors.New("ERR BITOP NOT must be called with a single source key.")
	BitfieldType    = errors.New("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.")
	BitfieldOvf     = errors.New("ERR Invalid OVERFLOW type specified")
	BitfieldRO      = errors.New("ERR BITFIELD_RO only supports the GET subcommand")
	LCSNotStrings   = errors.New("ERR The specified keys must contain string values")
	LCSLenAndIdx    = errors.New("ERR If you want both the length and indexes, please just use IDX.")
	LCSTooLong      = errors.New("ERR String too long for LCS")
	LCSTooMuchMem   = errors.New("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len")
	LCSAllocFailure = errors.New("ERR Insufficient memory, failed allocating transient memory for LCS")
)

// InvalidExpire is SET/SETEX/PSETEX/GETEX's reply to a non-positive or
// overflowing expire time; cmd is the command's lower-case name.
func InvalidExpire(cmd string) error {
	return errors.New("ERR invalid expire time in '" + cmd + "' command")
}
