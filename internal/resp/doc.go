// Package resp reads and writes the Redis serialization protocol.
//
// The Reader turns a byte stream into commands: RESP multibulk requests
// ("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n") and inline commands ("GET k\r\n", as typed
// into telnet or nc). Arguments are binary-safe and point into a buffer the
// Reader reuses, so a command's arguments are valid only until the next call
// to ReadCommand; callers copy what they keep.
//
// Replies are written through the Replier interface. Command handlers never
// format RESP themselves: they call Replier methods, and the implementation
// decides the bytes. Writer is the implementation that appends RESP2 or RESP3
// to a buffer for a network client; the scripting bridge has another that
// builds Lua values directly, so redis.call needs no RESP round trip.
//
// The package knows nothing about the keyspace or about commands.
package resp
