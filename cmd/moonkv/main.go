// Command moonkv runs the moonkv server. It is started like redis-server:
//
//	moonkv [/path/to/moonkv.conf] [--name value ...]
//
// The optional file is read first (redis.conf syntax: one directive per
// line, quoted values, comments, include), then the --name value
// directives, which override it. An unknown directive stops the start with
// the file and line that hold it. SIGINT and SIGTERM stop the server
// cleanly.
package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/moonkv/moonkv/internal/commands"
	"github.com/moonkv/moonkv/internal/server"
)

// durableDefaults are the directives applied before the command-line flags
// when no config file is given.
const durableDefaults = "appendonly yes\nappendfsync everysec\nsave 3600 1 300 100 60 10000\n"

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "-v" || args[0] == "--version") {
		fmt.Fprintf(stderr, "moonkv v=%s (Redis %s compatible)\n", server.Version, server.RedisVersion)
		return 0
	}
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(stderr, "Usage: moonkv [/path/to/moonkv.conf] [--name value ...]")
		return 0
	}
	file, directives, err := server.ParseCommandLine(args)
	if err != nil {
		fmt.Fprintln(stderr, "moonkv:", err)
		return 1
	}
	if file == "" {
		// With no config file moonkv protects a new user's data: the
		// AOF on with fsync every second (replies wait until the write
		// reached the file, so a crash of the process loses nothing
		// acknowledged and a crash of the machine about a second), plus
		// Redis's default snapshot points. A config file or flags
		// override both.
		directives = durableDefaults + directives
	}
	cfg, err := server.LoadConfig(file, directives)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if abs, err := filepath.Abs(cfg.Dir); err == nil {
		// persistence paths are joined to Dir after the chdir below
		cfg.Dir = abs
	}
	if cfg.Dir != "" && cfg.Dir != "." {
		// Like Redis, the server works in its configured directory.
		if err := os.Chdir(cfg.Dir); err != nil {
			fmt.Fprintf(stderr, "Can't chdir to '%s': %v\n", cfg.Dir, err)
			return 1
		}
	}
	logOut := stderr
	if cfg.LogFile != "" {
		f, err := os.OpenFile(cfg.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			fmt.Fprintf(stderr, "Can't open the log file: %v\n", err)
			return 1
		}
		defer f.Close()
		logOut = f
	}
	level := new(slog.LevelVar)
	cfg.LevelVar = level
	cfg.Logger = slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: level}))
	if exe, err := os.Executable(); err == nil {
		cfg.Executable, _ = filepath.Abs(exe)
	}

	cfg.OwnProcess = true
	s := server.New(cfg, commands.Registry())
	s.ApplyConfig()
	log := s.Log
	log.Info("moonkv is starting", "version", server.Version, "redis_version", server.RedisVersion,
		"pid", os.Getpid(), "config_file", cfg.ConfigFile)
	if cfg.PidFile != "" {
		if err := os.WriteFile(cfg.PidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
			log.Warn("Failed to write PID file", "err", err)
		} else {
			defer os.Remove(cfg.PidFile)
		}
	}
	if err := s.ListenConfigured(); err != nil {
		log.Error("Failed listening", "port", cfg.Port, "err", err)
		return 1
	}
	if err := s.OpenPersistence(); err != nil {
		log.Error("Fatal error loading the data", "err", err)
		return 1
	}
	s.Serve()
	log.Info("Server initialized", "port", cfg.Port, "bind", cfg.Bind)
	log.Info("Ready to accept connections")

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	for {
		select {
		case got := <-sig:
			name := "SIGTERM"
			if got == syscall.SIGINT {
				name = "SIGINT"
			}
			log.Warn("Received " + name + " scheduling shutdown...")
			if !s.SignalShutdown(name) {
				continue // the final save failed: still serving
			}
		case <-s.Done():
		}
		<-s.Done()
		return 0
	}
}
