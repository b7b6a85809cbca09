// Package script is moonkv's scripting core, independent of any Lua engine:
// the script cache (keyed by the SHA1 of the exact body), shebang flags,
// the run context of one EVAL, the checks redis.call makes before it runs a
// command (unknown command, arity, noscript, writes from read-only scripts,
// OOM), and busy-script handling (busy-reply-threshold, SCRIPT KILL).
//
// The engine itself is behind the VM interface; package luabridge
// implements it on gopher-lua. Moving to another Lua engine means another
// VM, nothing here.
//
// # Concurrency
//
// Everything here runs under the server's execution lock, except Kill
// (SCRIPT KILL and SHUTDOWN NOSAVE while a script is busy): it only reads
// the current run through an atomic pointer and sets atomic flags the
// running script polls.
package script
