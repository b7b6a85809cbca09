// Package blocking tests the blocking list and sorted set commands with
// several connections at once, which the one-reply-per-step scenario
// harness cannot express: clients park in BLPOP and friends, others push
// (directly, from MULTI/EXEC, from a script), and the transcript of every
// reply is compared between moonkv (in-process) and a live redis-server.
// Without redis-server the transcripts are checked against expectations
// written in the tests.
package blocking
