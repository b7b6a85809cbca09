// Package keys is the keyspace ("generic") command family, as Redis 7.0
// serves it: DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN, RANDOMKEY, TOUCH,
// RENAME, RENAMENX, COPY, MOVE, OBJECT, the EXPIRE family, TTL and its
// siblings, PERSIST, SWAPDB, DBSIZE, FLUSHDB and FLUSHALL.
//
// Each handler parses its arguments, runs an operation on the keyspace
// that returns a plain result, and turns that result into a reply; error
// texts come from package rerr (rerr/keys.go for this family's own).
//
// Propagation follows Redis: the EXPIRE family propagates PEXPIREAT with
// the absolute deadline, or DEL when the deadline is already past;
// FLUSHDB, FLUSHALL and SWAPDB always propagate themselves, even when they
// changed nothing; the other writes propagate their own arguments when
// they changed the keyspace.
//
// FLUSHDB, FLUSHALL and SWAPDB fail the transactions watching keys of the
// databases they empty or exchange (Server.TouchWatchedInDB), and SWAPDB
// serves the clients blocked on keys it brought in
// (Server.SignalReadyInDB).
//
// Values other than strings are reached only through keyspace.Object
// (OBJECT ENCODING asks it for its encoding, COPY for a deep copy), so
// this family works for every type without knowing any.
package keys
