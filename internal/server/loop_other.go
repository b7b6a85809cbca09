//go:build !linux

package server

import "net"

// Off Linux every client has a goroutine of its own (see loop_linux.go).

const loopSupported = false

type evloop struct{}

func (s *Server) startLoop() error                    { return nil }
func (l *evloop) adopt(c *Client, conn net.Conn) bool { return false }
func (l *evloop) requestKill(c *Client)               {}
func (l *evloop) stop()                               {}
func (l *evloop) startPump()                          {}
func (l *evloop) stopPump()                           {}
