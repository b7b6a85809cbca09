// Package keyspace holds moonkv's data: sixteen (by default) numbered
// databases of keys, each with its value, type and expiry.
//
// Ownership. The keyspace is not safe for concurrent use. The server runs
// one execution unit at a time (a command, a MULTI/EXEC, a script) and only
// that unit touches the keyspace, which is what makes scripts and
// transactions atomic. Nothing here takes locks.
//
// Time. The keyspace never reads the wall clock. The server sets Now at the
// start of every execution unit from an injected Clock, so a whole script or
// transaction sees one instant (as in Redis), and tests advance a fake clock
// instead of sleeping.
//
// Writes. Every change to a key goes through DB.Set, DB.Delete or, for a
// value changed in place, DB.Modified. Those three call the one mutation
// hook (Keyspace.OnModified) that WATCH, keyspace notifications and the
// AOF share, so none of them can be forgotten by a command.
//
// Expiry. A key past its deadline is removed lazily, when a lookup meets it,
// and actively, by ActiveExpire sampling keys with a deadline. Either way
// the removal is a write: the hook sees it (and the AOF gets a DEL).
package keyspace
