// Package rerr holds the exact texts of the errors moonkv replies with, as
// Redis 7.0 words them. Every error a client can see is defined here (one
// file per area), so a text is written once and a test can compare it with
// Redis's.
//
// An error's text is the whole reply line without the leading '-': it starts
// with its code (ERR, WRONGTYPE, NOSCRIPT, BUSY, ...).
package rerr
