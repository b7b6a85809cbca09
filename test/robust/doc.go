// Package robust feeds moonkv bad input over raw TCP and checks that it
// answers as Redis does and stays healthy: malformed RESP, oversized and
// unbalanced inline commands, wrong arity and types, out-of-range integers,
// clients that vanish mid-command, and clients that pipeline without
// reading.
//
// Replies are compared with real Redis where the protocol allows: the
// scenarios test/compat/testdata/robust_*.txt run in the differential
// harness (golden replies recorded from redis-server 7.0.15, live with
// MOONKV_ORACLE=live or CI=true). The Go tests here add what a scenario
// cannot express: memory that must stay bounded, other clients that must keep
// working, connections and goroutines that must all be released, and every
// wait bounded by a deadline.
package robust
