package rerr

import "errors"

// Sorted sets.
var (
	ZaddXXNX        = errors.New("ERR XX and NX options at the same time are not compatible")
	ZaddGTLTNX      = errors.New("ERR GT, LT, and/or NX options at the same time are not compatible")
	ZaddIncrPair    = errors.New("ERR INCR option supports a single increment-element pair")
	ZscoreNaN       = errors.New("ERR resulting score is not a number (NaN)")
	MinMaxNotFloat  = errors.New("ERR min or max is not a float")
	MinMaxNotLex    = errors.New("ERR min or max not valid string range item")
	WeightNotFloat  = errors.New("ERR weight value is not a float")
	ZrangeLimit     = errors.New("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX")
	ZrangeLexScores = errors.New("ERR syntax error, WITHSCORES not supported in combination with BYLEX")
	RandCountRange  = errors.New("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
)

// NeedInputKey is the error for a zero numkeys in ZUNION, ZINTER, ZDIFF,
// their STORE forms and ZINTERCARD.
func NeedInputKey(cmd string) error {
	return errors.New("ERR at least 1 input key is needed for '" + cmd + "' command")
}
