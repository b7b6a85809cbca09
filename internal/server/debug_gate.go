package server

import (
	"net"

	"github.com/moonkv/moonkv/internal/rerr"
)

// protectedGate is Redis's check of enable-debug-command (and, for the
// same rule, enable-module-command) in processCommand: it runs after the
// name and arity checks and before authentication, and a refused command
// inside MULTI fails the transaction. "yes" allows everyone, "local" only
// loopback clients (moonkv has no unix socket), "no" nobody.
func (s *Server) protectedGate(c *Client, spec *Spec) error {
	if !spec.Protected {
		return nil
	}
	if allowProtected(s.Cfg.EnableDebugCommand, c) {
		return nil
	}
	return rerr.DebugNotAllowed
}

// allowProtected is Redis's allowProtectedAction for one of the
// enable-*-command settings.
func allowProtected(setting string, c *Client) bool {
	switch setting {
	case "yes":
		return true
	case "local":
		return c != nil && isLoopback(c.Addr)
	}
	return false
}

// isLoopback reports whether a host:port address is on the loopback
// interface (127.0.0.0/8 or ::1), as Redis's islocalClient decides.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
