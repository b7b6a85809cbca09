// Package server is moonkv's runtime: connections, the command table
// (Spec, Registry), dispatch, transactions and the execution lock.
//
// # Concurrency
//
// On Linux one goroutine, the event loop (loop_linux.go), serves the
// clients: it reads every connection epoll reports ready, runs the
// commands found in one hold of the execution lock, waits once for the AOF
// and writes the replies, as Redis's event loop does. A client about to
// run a blocking command leaves the loop for a goroutine of its own, and
// so does every client elsewhere or with Config.GoroutineClients.
//
// A client's goroutine reads and parses commands without any
// lock, and writes its replies without any lock. Executing a command needs
// the execution lock (Server.sem, one token): the keyspace, the watch
// table, the command statistics, client state changed by commands and the
// scripting engine's state are only touched by its holder. That single
// owner is what makes a command, a MULTI/EXEC or a script atomic, as
// Redis's single thread does.
//
// A client that finds several commands already buffered runs them in one
// hold of the lock (up to maxBatch, or until flushAt bytes of replies are
// queued), then releases the lock before writing to the network: no
// network write ever happens under the lock, so a slow reader cannot stall
// the server.
//
// Lock order: the execution lock, then clientsMu (held only to add, remove
// or list clients). Nothing takes the execution lock while holding
// clientsMu.
//
// While a script runs past busy-reply-threshold, the scripting engine
// closes busyCh. Clients waiting for the lock wake and answer their command
// without the lock: -BUSY, unless the command is flagged allow_busy (such
// commands, SCRIPT KILL among them, touch only state that is safe to use
// concurrently) When the script runs on the event loop,
// SetBusy starts a pump goroutine that answers the loop's other clients
// that way until the script ends.
//
// # Commands
//
// A command is declared once, as a Spec in the Registry: name, arity,
// flags, key specs, documentation, handler. COMMAND, key extraction,
// MULTI's queueing rules, scripts' checks and the busy gate all read the
// Spec. Handlers parse arguments, operate on the keyspace, and reply
// through a resp.Replier (Ctx.R); errors come from package rerr.
//
// # Effects
//
// Every write reaches Keyspace.OnModified (WATCH), and the command's effect
// is recorded for the Propagator (the AOF): its own arguments by default,
// or what the handler chose with Ctx.Propagate. A MULTI/EXEC's effects are
// wrapped in MULTI/EXEC, and so are a script's.
package server
