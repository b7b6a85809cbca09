// Package crash kills a real moonkv process at random moments while
// clients write to it, restarts it on the same data, and checks the data
// against a model: under appendfsync always every acknowledged write is
// there, and no MULTI/EXEC or script is ever half applied. This is the
// test behind moonkv's durability promise.
package crash
