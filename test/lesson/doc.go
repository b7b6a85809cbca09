// Package lesson runs the Python programs of the Redis Lua scripting lesson
// (/work/shared/seed/lesson-redis-lua-scripting.md, copied verbatim into
// testdata/lesson_*.py) and our own programs that walk its scenarios further
// (testdata/walk_*.py) against moonkv, and compares what each prints with
// what it prints against real Redis.
//
// The programs connect to localhost:6379; the test copies each into a
// temporary directory with "port=6379" rewritten to the port of the server
// under test, so moonkv (in-process, moonkv.Start) and redis-server each run
// on a free port and the programs stay runnable by hand against a local
// Redis.
//
// Every program runs against a fresh server. The outcome compared is the
// program's stdout, its exit status and the last line of its stderr (the
// exception, for the lesson's last, unfinished program). Outcomes recorded
// from redis-server 7.0.15 live in testdata/*.golden, so the test also runs
// without Redis; MOONKV_ORACLE=live (or CI=true) also runs redis-server and
// compares live, including the whole traceback, and MOONKV_RECORD=1
// re-records the golden files.
//
// The programs need /usr/bin/python3 with redis-py (Debian's python3-redis):
// without them the test is skipped, unless CI=true, where it fails.
package lesson
