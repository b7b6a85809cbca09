//go:build linux

// Command netmodel measures the network model alone: a toy server that
// keeps SET/GET in a map behind a mutex, served either by one epoll loop
// on a locked OS thread (-mode loop, as Redis serves) or by a goroutine
// per connection (-mode go, as moonkv serves). bench/server-cpu runs
// redis-benchmark against each and reports the CPU the server used; the
// difference is what the network model costs per request, apart from
// any command's work. Linux only; not part of moonkv.
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
)

var mu sync.Mutex
var store = map[string][]byte{}

// handle parses the complete RESP commands in buf, appends their replies
// to out and returns how many bytes it consumed.
func handle(buf []byte, out []byte) (int, []byte) {
	pos := 0
	for {
		start := pos
		if pos >= len(buf) || buf[pos] != '*' {
			return start, out
		}
		i := indexCRLF(buf, pos)
		if i < 0 {
			return start, out
		}
		n, _ := strconv.Atoi(string(buf[pos+1 : i]))
		pos = i + 2
		args := make([][]byte, 0, 4)
		ok := true
		for k := 0; k < n; k++ {
			j := indexCRLF(buf, pos)
			if j < 0 {
				ok = false
				break
			}
			l, _ := strconv.Atoi(string(buf[pos+1 : j]))
			pos = j + 2
			if pos+l+2 > len(buf) {
				ok = false
				break
			}
			args = append(args, buf[pos:pos+l])
			pos += l + 2
		}
		if !ok {
			return start, out
		}
		mu.Lock()
		switch string(args[0]) {
		case "SET":
			store[string(args[1])] = append([]byte(nil), args[2]...)
			out = append(out, "+OK\r\n"...)
		case "GET":
			v, ok := store[string(args[1])]
			if !ok {
				out = append(out, "$-1\r\n"...)
			} else {
				out = append(out, '$')
				out = strconv.AppendInt(out, int64(len(v)), 10)
				out = append(out, "\r\n"...)
				out = append(out, v...)
				out = append(out, "\r\n"...)
			}
		default:
			out = append(out, "+OK\r\n"...)
		}
		mu.Unlock()
	}
}

func indexCRLF(b []byte, from int) int {
	for i := from; i+1 < len(b); i++ {
		if b[i] == '\r' && b[i+1] == '\n' {
			return i
		}
	}
	return -1
}

func goroutines(port int) {
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		panic(err)
	}
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func(c net.Conn) {
			buf := make([]byte, 16384)
			have := 0
			var out []byte
			for {
				n, err := c.Read(buf[have:])
				if err != nil {
					c.Close()
					return
				}
				have += n
				used, o := handle(buf[:have], out[:0])
				out = o
				copy(buf, buf[used:have])
				have -= used
				c.Write(out)
			}
		}(c)
	}
}

type client struct {
	fd   int
	buf  []byte
	have int
	out  []byte
}

func loop(port int) {
	runtime.LockOSThread()
	lfd, _ := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM|syscall.SOCK_NONBLOCK, 0)
	syscall.SetsockoptInt(lfd, syscall.SOL_SOCKET, syscall.SO_REUSEADDR, 1)
	sa := &syscall.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}}
	if err := syscall.Bind(lfd, sa); err != nil {
		panic(err)
	}
	syscall.Listen(lfd, 511)
	ep, _ := syscall.EpollCreate1(0)
	syscall.EpollCtl(ep, syscall.EPOLL_CTL_ADD, lfd, &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(lfd)})
	clients := map[int]*client{}
	events := make([]syscall.EpollEvent, 256)
	for {
		n, err := syscall.EpollWait(ep, events, -1)
		if err != nil {
			continue
		}
		for i := 0; i < n; i++ {
			fd := int(events[i].Fd)
			if fd == lfd {
				for {
					nfd, _, err := syscall.Accept4(lfd, syscall.SOCK_NONBLOCK)
					if err != nil {
						break
					}
					syscall.SetsockoptInt(nfd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1)
					clients[nfd] = &client{fd: nfd, buf: make([]byte, 16384)}
					syscall.EpollCtl(ep, syscall.EPOLL_CTL_ADD, nfd, &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(nfd)})
				}
				continue
			}
			c := clients[fd]
			r, err := syscall.Read(fd, c.buf[c.have:])
			if r <= 0 {
				if err == syscall.EAGAIN {
					continue
				}
				syscall.Close(fd)
				delete(clients, fd)
				continue
			}
			c.have += r
			used, o := handle(c.buf[:c.have], c.out[:0])
			c.out = o
			copy(c.buf, c.buf[used:c.have])
			c.have -= used
			syscall.Write(fd, c.out)
		}
	}
}

func main() {
	mode := flag.String("mode", "loop", "")
	port := flag.Int("port", 17400, "")
	flag.Parse()
	if *mode == "loop" {
		loop(*port)
	} else {
		goroutines(*port)
	}
	os.Exit(0)
}
