// Package speedtest is the rig the families' Speed benchmarks share: it
// runs commands through server.Call (the path a command takes after the
// dispatcher found its spec, minus the network) and reports CPU time per
// operation beside wall time, which on a shared machine moves much less.
// It is imported by tests only.
package speedtest
