// Command moonkv runs the moonkv server.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/server"
)

func main() {
	cfg := server.DefaultConfig()
	s := server.New(cfg, commands.Registry())
	if err := s.Listen(); err != nil {
		fmt.Fprintln(os.Stderr, "moonkv:", err)
		os.Exit(1)
	}
	s.Serve()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case <-sig:
		s.Close()
	case <-s.Done():
	}
}
