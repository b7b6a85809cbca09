// Package lists is the list family: pushes and pops at both ends, indexed
// access, LINSERT/LREM/LTRIM/LPOS, moves between lists (LMOVE, RPOPLPUSH),
// LMPOP, and the blocking forms BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP,
// which park the client through server.Ctx.Block when every key is empty.
//
// Values are internal/types/list quicklists stored as keyspace.TypeList
// entries. A list emptied by a command is deleted. A blocking handler that
// is re-run for a ready key (Ctx.ReadyKey) serves from that key only, and
// stays blocked when it cannot, as Redis 7.0 serves blocked clients per
// ready key.
package lists
