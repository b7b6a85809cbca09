package resp

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// readAll reads commands until an error, copying each (arguments are only
// valid until the next call). The error is nil at a clean end of input.
func readAll(r *Reader) ([][]string, error) {
	var out [][]string
	for {
		args, err := r.ReadCommand()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return out, err
		}
		cmd := make([]string, len(args))
		for i, a := range args {
			cmd[i] = string(a)
		}
		out = append(out, cmd)
	}
}

func cmds(c ...[]string) [][]string { return c }

func same(a, b [][]string) bool { return slices.EqualFunc(a, b, slices.Equal) }

// Every request form Redis accepts, with what Redis makes of it (checked
// against redis-server 7.0.15 by hand; the live comparison of the error
// texts is in test/robust).
var requestCases = []struct {
	name string
	in   string
	want [][]string
}{
	{"multibulk", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", cmds([]string{"GET", "k"})},
	{"binary bulk", "*2\r\n$4\r\nECHO\r\n$6\r\na\r\nb\x00c\r\n", cmds([]string{"ECHO", "a\r\nb\x00c"})},
	{"empty bulk", "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n", cmds([]string{"ECHO", ""})},
	{"pipelined", "*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\nPING\r\n", cmds([]string{"PING"}, []string{"PING"}, []string{"PING"})},
	{"zero multibulk skipped", "*0\r\n*1\r\n$4\r\nPING\r\n", cmds([]string{"PING"})},
	{"negative multibulk skipped", "*-5\r\n*-1\r\nPING\r\n", cmds([]string{"PING"})},
	// the two bytes after a bulk are skipped unchecked, as Redis does
	{"bulk terminator unchecked", "*1\r\n$4\r\nPINGX\r\nPING\r\n", cmds([]string{"PING"}, []string{"PING"})},
	// a header line ends at '\r'; the byte after it is skipped unchecked
	{"header terminator unchecked", "*1\rx$4\r\nPING\r\n", cmds([]string{"PING"})},
	{"large count", "*1\r\n$10\r\n0123456789\r\n", cmds([]string{"0123456789"})},
	{"inline", "SET k v\r\n", cmds([]string{"SET", "k", "v"})},
	{"inline LF only", "SET k v\nGET k\n", cmds([]string{"SET", "k", "v"}, []string{"GET", "k"})},
	{"inline blanks", "  SET\t k   v  \r\n", cmds([]string{"SET", "k", "v"})},
	{"inline empty lines skipped", "\r\n\n   \r\nPING\r\n", cmds([]string{"PING"})},
	{"inline double quotes", `SET "a key" "a\tb\nc\\d\"e"` + "\r\n", cmds([]string{"SET", "a key", "a\tb\nc\\d\"e"})},
	{"inline hex escapes", `ECHO "\x41\x6a\x00\xFf"` + "\r\n", cmds([]string{"ECHO", "Aj\x00\xff"})},
	{"inline bad hex is literal", `ECHO "\x4g"` + "\r\n", cmds([]string{"ECHO", "x4g"})},
	{"inline other escapes", `ECHO "\r\b\a\q"` + "\r\n", cmds([]string{"ECHO", "\r\b\aq"})},
	{"inline single quotes", `ECHO 'it\'s "raw" \n'` + "\r\n", cmds([]string{"ECHO", `it's "raw" \n`})},
	{"inline empty quoted", `ECHO "" ''` + "\r\n", cmds([]string{"ECHO", "", ""})},
	{"inline quote mid token", `ECHO ab"c d"` + "\r\n", cmds([]string{"ECHO", "abc d"})},
	{"inline vertical tab inside token", "ECHO a\vb\r\n", cmds([]string{"ECHO", "a\vb"})},
	{"inline quote then vertical tab", "ECHO \"a\"\vb\r\n", cmds([]string{"ECHO", "a", "b"})},
	{"mixed", "PING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nECHO 'x'\r\n", cmds([]string{"PING"}, []string{"ECHO", "hi"}, []string{"ECHO", "x"})},
}

func TestReaderRequests(t *testing.T) {
	for _, tc := range requestCases {
		t.Run(tc.name, func(t *testing.T) {
			for _, mode := range []string{"whole", "byte by byte", "half"} {
				var src io.Reader = strings.NewReader(tc.in)
				switch mode {
				case "byte by byte":
					src = iotest.OneByteReader(src)
				case "half":
					src = iotest.HalfReader(src)
				}
				got, err := readAll(NewReader(src))
				if err != nil {
					t.Fatalf("%s: %v", mode, err)
				}
				if !same(got, tc.want) {
					t.Fatalf("%s: got %q, want %q", mode, got, tc.want)
				}
			}
		})
	}
}

// chunkReader hands out its data in the chunk sizes it is given.
type chunkReader struct {
	data  []byte
	sizes []int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := len(c.data)
	if len(c.sizes) > 0 {
		n = min(n, c.sizes[0])
		c.sizes = c.sizes[1:]
	}
	n = min(n, len(p))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// A long pipelined stream split at random points parses the same as when it
// arrives whole, including arguments larger than the initial buffer.
func TestReaderRandomSplits(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var stream bytes.Buffer
	var want [][]string
	for i := 0; i < 2000; i++ {
		n := 1 + rng.Intn(4)
		cmd := make([]string, n)
		for j := range cmd {
			size := rng.Intn(20)
			if rng.Intn(50) == 0 {
				size = rng.Intn(100_000)
			}
			b := make([]byte, size)
			rng.Read(b)
			cmd[j] = string(b)
		}
		if rng.Intn(5) == 0 {
			cmd = []string{"SET", "key", "value"}
			stream.WriteString("SET key 'value'\r\n")
		} else {
			var w Writer
			w.ArrayLen(len(cmd))
			for _, a := range cmd {
				w.BulkString(a)
			}
			stream.Write(w.Buf)
		}
		want = append(want, cmd)
	}
	for trial := 0; trial < 5; trial++ {
		var sizes []int
		for left := stream.Len(); left > 0; {
			n := 1 + rng.Intn(3000)
			sizes = append(sizes, n)
			left -= n
		}
		got, err := readAll(NewReader(&chunkReader{data: stream.Bytes(), sizes: sizes}))
		if err != nil {
			t.Fatal(err)
		}
		if !same(got, want) {
			t.Fatalf("trial %d: %d commands differ from the %d sent", trial, len(got), len(want))
		}
	}
}

// Protocol errors carry Redis's exact text (after "ERR ").
var errorCases = []struct {
	name string
	in   string
	want string
}{
	{"bad multibulk length", "*abc\r\n", "Protocol error: invalid multibulk length"},
	{"multibulk over INT_MAX", "*2147483648\r\n", "Protocol error: invalid multibulk length"},
	{"multibulk plus sign", "*+1\r\n$4\r\nPING\r\n", "Protocol error: invalid multibulk length"},
	{"multibulk leading zero", "*01\r\n", "Protocol error: invalid multibulk length"},
	{"multibulk minus zero", "*-0\r\n", "Protocol error: invalid multibulk length"},
	{"multibulk LF only", "*1\n$4\r\nPING\r\n", "Protocol error: invalid multibulk length"},
	{"multibulk 21 digits", "*100000000000000000000\r\n", "Protocol error: invalid multibulk length"},
	{"negative bulk", "*1\r\n$-2\r\n", "Protocol error: invalid bulk length"},
	{"null bulk in request", "*1\r\n$-1\r\n", "Protocol error: invalid bulk length"},
	{"bulk leading zero", "*1\r\n$04\r\nPING\r\n", "Protocol error: invalid bulk length"},
	{"bulk not a number", "*1\r\n$x\r\n", "Protocol error: invalid bulk length"},
	{"bulk over proto-max-bulk-len", "*1\r\n$2147483648\r\n", "Protocol error: invalid bulk length"},
	{"bulk overflows int64", "*1\r\n$99999999999999999999\r\n", "Protocol error: invalid bulk length"},
	{"missing dollar", "*1\r\nfoo\r\n", "Protocol error: expected '$', got 'f'"},
	{"empty bulk header", "*1\r\n\r\n", "Protocol error: expected '$', got ' '"},
	{"header CR then data", "*1\r$4\r\nPING\r\n", "Protocol error: expected '$', got '4'"},
	{"unbalanced double quote", "ECHO \"abc\r\n", "Protocol error: unbalanced quotes in request"},
	{"unbalanced single quote", "ECHO 'abc\r\n", "Protocol error: unbalanced quotes in request"},
	{"closing quote glued", "ECHO \"a\"b\r\n", "Protocol error: unbalanced quotes in request"},
	{"big inline", strings.Repeat("a", MaxInline+1), "Protocol error: too big inline request"},
	{"big multibulk count", "*" + strings.Repeat("1", MaxInline+1), "Protocol error: too big mbulk count string"},
	{"big bulk count", "*1\r\n$" + strings.Repeat("1", MaxInline+1), "Protocol error: too big bulk count string"},
}

func TestReaderErrors(t *testing.T) {
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			for _, oneByte := range []bool{false, true} {
				var src io.Reader = strings.NewReader(tc.in)
				if oneByte {
					src = iotest.OneByteReader(src)
				}
				_, err := readAll(NewReader(src))
				var pe *ProtocolError
				if !errors.As(err, &pe) {
					t.Fatalf("oneByte=%v: got %v, want a protocol error", oneByte, err)
				}
				if pe.Msg != strings.TrimPrefix(tc.want, "Protocol error: ") || pe.Error() != "ERR "+tc.want {
					t.Fatalf("oneByte=%v: got %q, want %q", oneByte, pe.Error(), "ERR "+tc.want)
				}
			}
		})
	}
}

// Commands before a protocol error are still returned.
func TestReaderErrorAfterCommands(t *testing.T) {
	got, err := readAll(NewReader(strings.NewReader("PING\r\n*1\r\n$4\r\nPING\r\n*x\r\n")))
	if !same(got, cmds([]string{"PING"}, []string{"PING"})) {
		t.Fatalf("got %q", got)
	}
	if err == nil || err.Error() != "ERR Protocol error: invalid multibulk length" {
		t.Fatalf("err = %v", err)
	}
}

func TestReaderTruncated(t *testing.T) {
	for _, in := range []string{"*2\r\n$3\r\nGET\r\n$1\r\n", "*1\r\n$4\r\nPI", "*1\r", "PING", "*1\r\nfoo"} {
		got, err := readAll(NewReader(strings.NewReader(in)))
		if err != nil || len(got) != 0 {
			t.Errorf("%q: got %q, %v; want no command and a plain EOF", in, got, err)
		}
	}
}

func TestReaderLimits(t *testing.T) {
	r := NewReader(strings.NewReader("*1\r\n$5\r\nhello\r\n*1\r\n$6\r\nhello!\r\n"))
	r.MaxBulk = 5
	got, err := readAll(r)
	if !same(got, cmds([]string{"hello"})) || err == nil || err.Error() != "ERR Protocol error: invalid bulk length" {
		t.Fatalf("MaxBulk: got %q, %v", got, err)
	}
	r = NewReader(strings.NewReader("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n*4\r\n"))
	r.MaxArgs = 3
	got, err = readAll(r)
	if !same(got, cmds([]string{"a", "b", "c"})) || err == nil || err.Error() != "ERR Protocol error: invalid multibulk length" {
		t.Fatalf("MaxArgs: got %q, %v", got, err)
	}
	// exactly MaxInline bytes without a newline is still waited for
	got, err = readAll(NewReader(strings.NewReader(strings.Repeat("a", MaxInline))))
	if err != nil || len(got) != 0 {
		t.Fatalf("MaxInline: got %q, %v", got, err)
	}
}

// A client that must still authenticate gets Redis's tighter limits, with
// their own texts (checked against redis-server 7.0.15 with requirepass).
func TestReaderUnauthenticatedLimits(t *testing.T) {
	for _, tc := range []struct{ in, err string }{
		{"*10\r\n", ""},
		{"*11\r\n", "ERR Protocol error: unauthenticated multibulk length"},
		{"*1\r\n$16384\r\n", ""},
		{"*1\r\n$16385\r\n", "ERR Protocol error: unauthenticated bulk length"},
		{"*x\r\n", "ERR Protocol error: invalid multibulk length"},
		{"*1\r\n$-1\r\n", "ERR Protocol error: invalid bulk length"},
	} {
		r := NewReader(strings.NewReader(tc.in))
		r.Unauthenticated = true
		_, err := readAll(r)
		if (err == nil) != (tc.err == "") || err != nil && err.Error() != tc.err {
			t.Errorf("%q: err = %v, want %q", tc.in, err, tc.err)
		}
	}
	// once authenticated, the next command has the normal limits
	r := NewReader(strings.NewReader("*2\r\n$4\r\nAUTH\r\n$1\r\np\r\n*11\r\n" + strings.Repeat("$1\r\nx\r\n", 11)))
	r.Unauthenticated = true
	if _, err := r.ReadCommand(); err != nil {
		t.Fatal(err)
	}
	r.Unauthenticated = false
	if args, err := r.ReadCommand(); err != nil || len(args) != 11 {
		t.Fatalf("after AUTH: %d args, %v", len(args), err)
	}
}

// A declared length is not data: announcing the largest bulk Redis allows
// (and the most arguments) and then sending a trickle must not make the
// reader allocate for what was promised.
func TestReaderDeclaredSizesDoNotAllocate(t *testing.T) {
	for _, hdr := range []string{
		"*1\r\n$536870912\r\n",
		"*2147483647\r\n$536870912\r\n",
		"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000000\r\n",
	} {
		payload := hdr + strings.Repeat("x", 100_000)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		r := NewReader(&chunkReader{data: []byte(payload), sizes: []int{len(hdr), 1000, 1000, 50_000}})
		got, err := readAll(r)
		runtime.ReadMemStats(&after)
		if err != nil || len(got) != 0 {
			t.Fatalf("%q: got %q, %v", hdr, got, err)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 4<<20 {
			t.Errorf("%q then 100 kB of data: the reader allocated %d bytes", hdr, grew)
		}
		if c := cap(r.buf); c > 1<<20 {
			t.Errorf("%q: buffer grew to %d bytes for 100 kB of data", hdr, c)
		}
	}
}

// The buffer stays near the size of the largest command, and parsing a
// pipeline of small commands does not allocate per command.
func TestReaderSteadyStateAllocs(t *testing.T) {
	stream := bytes.Repeat([]byte("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n"), 1000)
	src := bytes.NewReader(stream)
	r := NewReader(src)
	allocs := testing.AllocsPerRun(20, func() {
		src.Reset(stream)
		r.readErr = nil
		for i := 0; i < 1000; i++ {
			if _, err := r.ReadCommand(); err != nil {
				t.Fatal(err)
			}
		}
	})
	if allocs > 0 {
		t.Errorf("%v allocations per 1000 pipelined commands, want 0", allocs)
	}
}

func TestReaderArgsAreBinarySafeSlices(t *testing.T) {
	r := NewReader(strings.NewReader("*2\r\n$3\r\nabc\r\n$3\r\ndef\r\n"))
	args, err := r.ReadCommand()
	if err != nil {
		t.Fatal(err)
	}
	// appending to one argument must not overwrite the next
	_ = append(args[0], "XYZ"...)
	if string(args[1]) != "def" {
		t.Fatalf("args[1] = %q after appending to args[0]", args[1])
	}
}

func TestParseLL(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, "1": 1, "-1": -1, "123": 123,
		"9223372036854775807":  9223372036854775807,
		"-9223372036854775808": -9223372036854775808,
	} {
		if got, ok := parseLL([]byte(in)); !ok || got != want {
			t.Errorf("parseLL(%q) = %d, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "-", "+1", "01", "-0", "00", " 1", "1 ", "1a", "9223372036854775808",
		"-9223372036854775809", "18446744073709551616", "100000000000000000000"} {
		if got, ok := parseLL([]byte(in)); ok {
			t.Errorf("parseLL(%q) = %d, want invalid", in, got)
		}
	}
}

func TestSplitArgs(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		bad  bool
	}{
		{in: "", want: nil},
		{in: "   ", want: nil},
		{in: "a b  c", want: []string{"a", "b", "c"}},
		{in: `"a b" 'c d'`, want: []string{"a b", "c d"}},
		{in: `"\x7e\x7E"`, want: []string{"~~"}},
		{in: `"trailing\"`, bad: true},
		{in: `"a"b`, bad: true},
		{in: `'a'b`, bad: true},
		{in: `'a\'`, bad: true},
		{in: `'a\\'`, bad: true},
		{in: `"a"	"b"`, want: []string{"a", "b"}},
		{in: "\"a\"\f'b'", want: []string{"a", "b"}},
	} {
		got, err := SplitArgs(nil, []byte(tc.in))
		if tc.bad {
			if err == nil {
				t.Errorf("SplitArgs(%q) = %q, want an error", tc.in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("SplitArgs(%q): %v", tc.in, err)
			continue
		}
		gs := make([]string, len(got))
		for i, g := range got {
			gs[i] = string(g)
		}
		if !slices.Equal(gs, tc.want) {
			t.Errorf("SplitArgs(%q) = %q, want %q", tc.in, gs, tc.want)
		}
	}
}
