// Package moonkv is a Redis 7.0-compatible data server whose heart is
// atomic Lua scripting, usable as a program (cmd/moonkv) and as a library.
//
// As a library it serves the same role miniredis plays in Go test suites,
// but with Redis's real semantics:
//
//	srv, err := moonkv.Start(moonkv.Config{})   // 127.0.0.1, a free port
//	if err != nil { ... }
//	defer srv.Close()
//	client := redis.NewClient(&redis.Options{Addr: srv.Addr()})
package moonkv
