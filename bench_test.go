package moonkv_test

import (
	"bufio"
	"bytes"
	"net"
	"testing"

	"github.com/moonkv/moonkv"
)

// These benchmarks drive a real server over loopback TCP, the whole path a
// client's command takes: read, parse, dispatch, execute, reply, write.
// ns/op is per command.

func benchPipeline(b *testing.B, depth int, cmd string) {
	srv, err := moonkv.Start(moonkv.Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Addr())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReaderSize(conn, 1<<16)
	send := func(req []byte, replies int) {
		if _, err := conn.Write(req); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < replies; i++ {
			line, err := r.ReadSlice('\n')
			if err != nil {
				b.Fatal(err)
			}
			if line[0] == '$' && line[1] != '-' {
				n := 0
				for _, c := range line[1 : len(line)-2] {
					n = n*10 + int(c-'0')
				}
				if _, err := r.Discard(n + 2); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	send([]byte("*3\r\n$3\r\nSET\r\n$16\r\nkey:000000000001\r\n$3\r\nxxx\r\n"), 1)
	one := []byte(cmd)
	batch := bytes.Repeat(one, depth)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += depth {
		send(batch, depth)
	}
}

const (
	getCmd = "*2\r\n$3\r\nGET\r\n$16\r\nkey:000000000001\r\n"
	setCmd = "*3\r\n$3\r\nSET\r\n$16\r\nkey:000000000001\r\n$3\r\nxxx\r\n"
)

func BenchmarkGetP1(b *testing.B)  { benchPipeline(b, 1, getCmd) }
func BenchmarkSetP1(b *testing.B)  { benchPipeline(b, 1, setCmd) }
func BenchmarkGetP32(b *testing.B) { benchPipeline(b, 32, getCmd) }
func BenchmarkSetP32(b *testing.B) { benchPipeline(b, 32, setCmd) }
