// Package commands assembles moonkv's command table from the command
// families. Each family is a package of its own under this folder (strs,
// keys, scripting, ...) with a Register function; the server's own
// families (connection, server, transactions) live in package server
// because they use its internals.
//
// A family's handlers follow one shape: parse the arguments, operate on the
// keyspace, reply. Error texts come from package rerr.
package commands
