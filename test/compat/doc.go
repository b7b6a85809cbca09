// Package compat holds moonkv's differential tests against real Redis.
//
// A scenario (testdata/*.txt) is a list of commands in redis-cli syntax.
// Each is sent to moonkv and its raw RESP reply compared byte for byte with
// the reply real Redis 7.0.15 gave, recorded in testdata/*.golden. Plain
// `go test ./...` needs no Redis: it replays the recorded replies.
//
//	MOONKV_ORACLE=live   also start redis-server and compare with it live
//	MOONKV_RECORD=1      re-record the golden files from redis-server
//
// With CI=true the live comparison runs too, and a missing redis-server is
// a failure, not a skip.
//
// Scenario syntax, one item per line:
//
//	SET k v            a command (quoting as in redis-cli)
//	# text             a comment
//	@conn 2            send the following commands on connection 2 (1 is the default)
//	@sorted            the next reply is an array compared as a multiset
//	@type              the next reply is compared by its RESP type only
//	@sleep 120         wait 120 ms (for expiry against real Redis)
//	@raw "PING\r\n"    send raw bytes (Go-quoted) and read one reply
//	@rawclose "..."    send raw bytes, read the reply, expect the server to close
//	@functions         (a header) run the file a second time with each EVAL and
//	                   EVAL_RO made a FUNCTION LOAD + FCALL/FCALL_RO, compared
//	                   with <name>.functions.golden (see FunctionSteps)
package compat
