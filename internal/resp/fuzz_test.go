package resp

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"regexp"
	"slices"
	"strconv"
	"testing"
)

// modelCmd is a command as the reference model sees it: its arguments and
// where its encoding starts and ends in the input.
type modelCmd struct {
	args       [][]byte
	start, end int
	multibulk  bool
}

// modelResult is what a whole input parses to: its commands, then either a
// protocol error, or nothing more (the input ends inside a command). When
// exact is false the outcome after the commands depends on how the input
// arrives (a header or inline line longer than MaxInline), so only the
// commands before that point are compared.
type modelResult struct {
	cmds  []modelCmd
	err   string
	exact bool
}

var canonicalInt = regexp.MustCompile(`^(0|-?[1-9][0-9]*)$`)

func modelInt(b []byte) (int64, bool) {
	if len(b) > 20 || !canonicalInt.Match(b) {
		return 0, false
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	return n, err == nil
}

// modelParse is a plain, whole-input transcription of Redis 7.0's
// processMultibulkBuffer and processInlineBuffer (networking.c), written
// independently of the incremental Reader it checks.
func modelParse(data []byte) modelResult {
	var res modelResult
	res.exact = true
	pos := 0
	for pos < len(data) {
		if data[pos] != '*' {
			nl := bytes.IndexByte(data[pos:], '\n')
			if nl < 0 {
				if len(data)-pos > MaxInline {
					res.err = "too big inline request"
				}
				return res
			}
			if nl > MaxInline {
				res.exact = false
				return res
			}
			line := data[pos : pos+nl]
			line = bytes.TrimSuffix(line, []byte("\r"))
			args, err := SplitArgs(nil, line)
			if err != nil {
				res.err = "unbalanced quotes in request"
				return res
			}
			if len(args) > 0 {
				res.cmds = append(res.cmds, modelCmd{args: args, start: pos, end: pos + nl + 1})
			}
			pos += nl + 1
			continue
		}
		start := pos
		// header line: up to the first '\r', then one more byte, unchecked
		line := func(p int, tooBig string) (hdr []byte, next int, ok bool) {
			cr := bytes.IndexByte(data[p:], '\r')
			if cr < 0 {
				if len(data)-p > MaxInline {
					res.err = tooBig
				}
				return nil, 0, false
			}
			if cr > MaxInline {
				res.exact = false
				return nil, 0, false
			}
			if p+cr+2 > len(data) {
				return nil, 0, false
			}
			if cr == 0 {
				return nil, p + 2, true // "\r?" where the header should be
			}
			return data[p+1 : p+cr], p + cr + 2, true
		}
		hdr, p, ok := line(pos, "too big mbulk count string")
		if !ok {
			return res
		}
		n, ok := modelInt(hdr)
		if !ok || n > MaxMultibulk {
			res.err = "invalid multibulk length"
			return res
		}
		if n <= 0 {
			pos = p
			continue
		}
		var args [][]byte
		for int64(len(args)) < n {
			if p >= len(data) {
				return res
			}
			at := p
			hdr, next, ok := line(p, "too big bulk count string")
			if !ok {
				return res
			}
			if c := data[at]; c != '$' {
				if c == '\r' || c == '\n' {
					c = ' '
				}
				res.err = "expected '$', got '" + string(c) + "'"
				return res
			}
			l, ok := modelInt(hdr)
			if !ok || l < 0 || l > DefaultMaxBulk {
				res.err = "invalid bulk length"
				return res
			}
			if int64(len(data)-next) < l+2 {
				return res
			}
			args = append(args, data[next:next+int(l)])
			p = next + int(l) + 2
		}
		res.cmds = append(res.cmds, modelCmd{args: args, start: start, end: p, multibulk: true})
		pos = p
	}
	return res
}

// encodeMask is the canonical multibulk encoding of args, and for each of
// its bytes whether the Reader checks it (the terminator bytes it skips
// unchecked are false).
func encodeMask(args [][]byte) (enc []byte, checked []bool) {
	add := func(b []byte, chk bool) {
		enc = append(enc, b...)
		for range b {
			checked = append(checked, chk)
		}
	}
	hdr := func(c byte, n int) {
		add(append([]byte{c}, strconv.Itoa(n)...), true)
		add([]byte{'\r'}, true)
		add([]byte{'\n'}, false)
	}
	hdr('*', len(args))
	for _, a := range args {
		hdr('$', len(a))
		add(a, true)
		add([]byte("\r\n"), false)
	}
	return enc, checked
}

// FuzzReader feeds arbitrary bytes, in arbitrary chunks, to the Reader and
// checks it against the model: the same commands, the same protocol error,
// no panic, a buffer bounded by the input, and every multibulk command
// re-encoding to exactly the bytes it was read from.
func FuzzReader(f *testing.F) {
	for _, tc := range requestCases {
		f.Add([]byte(tc.in), int64(0))
		f.Add([]byte(tc.in), int64(1))
	}
	for _, tc := range errorCases {
		if len(tc.in) < 1000 {
			f.Add([]byte(tc.in), int64(2))
		}
	}
	f.Add([]byte("*1\r\n$536870912\r\nabc"), int64(3))
	f.Add([]byte("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"), int64(4))
	f.Fuzz(func(t *testing.T, data []byte, seed int64) {
		rng := rand.New(rand.NewSource(seed))
		var sizes []int
		for left := len(data); left > 0; {
			n := 1 + rng.Intn(1+len(data)/2)
			if seed%3 == 0 {
				n = 1
			}
			sizes = append(sizes, n)
			left -= n
		}
		src := &chunkReader{data: data, sizes: sizes}
		r := NewReader(src)
		want := modelParse(data)
		bound := 4*(len(data)+minReadSpaceSize) + initialBufSize
		var got []modelCmd
		var err error
		for {
			var args [][]byte
			args, err = r.ReadCommand()
			if cap(r.buf) > bound {
				t.Fatalf("buffer grew to %d bytes for %d bytes of input", cap(r.buf), len(data))
			}
			if err != nil {
				break
			}
			end := len(data) - len(src.data) - r.Buffered()
			cp := make([][]byte, len(args))
			for i, a := range args {
				cp[i] = append([]byte{}, a...)
			}
			got = append(got, modelCmd{args: cp, end: end})
		}
		if !want.exact {
			if len(got) < len(want.cmds) {
				t.Fatalf("got %d commands, the model has at least %d", len(got), len(want.cmds))
			}
			got = got[:len(want.cmds)]
		} else if len(got) != len(want.cmds) {
			t.Fatalf("got %d commands, the model %d (err %v, model err %q)", len(got), len(want.cmds), err, want.err)
		}
		for i, g := range got {
			m := want.cmds[i]
			if len(g.args) != len(m.args) {
				t.Fatalf("command %d: %q, model %q", i, g.args, m.args)
			}
			for j := range g.args {
				if !bytes.Equal(g.args[j], m.args[j]) {
					t.Fatalf("command %d: %q, model %q", i, g.args, m.args)
				}
			}
			if g.end != m.end {
				t.Fatalf("command %d ends at %d, model at %d", i, g.end, m.end)
			}
			if m.multibulk {
				enc, checked := encodeMask(g.args)
				seg := data[m.start:m.end]
				if len(enc) != len(seg) {
					t.Fatalf("command %d re-encodes to %q, read from %q", i, enc, seg)
				}
				for k := range enc {
					if checked[k] && enc[k] != seg[k] {
						t.Fatalf("command %d re-encodes to %q, read from %q", i, enc, seg)
					}
				}
			}
		}
		if !want.exact {
			return
		}
		var pe *ProtocolError
		switch {
		case want.err == "":
			if !errors.Is(err, io.EOF) {
				t.Fatalf("err = %v, the model reads to the end", err)
			}
		case !errors.As(err, &pe) || pe.Msg != want.err:
			t.Fatalf("err = %v, the model says %q", err, want.err)
		}
	})
}

// quoteRepr quotes s the way redis-cli and Redis's sdscatrepr print a
// string: double quotes, C escapes, \xHH for other unprintable bytes.
func quoteRepr(s []byte) []byte {
	out := []byte{'"'}
	for _, c := range s {
		switch c {
		case '\\', '"':
			out = append(out, '\\', c)
		case '\n':
			out = append(out, `\n`...)
		case '\r':
			out = append(out, `\r`...)
		case '\t':
			out = append(out, `\t`...)
		case '\a':
			out = append(out, `\a`...)
		case '\b':
			out = append(out, `\b`...)
		default:
			if c < 0x20 || c >= 0x7f {
				out = append(out, '\\', 'x', "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
			} else {
				out = append(out, c)
			}
		}
	}
	return append(out, '"')
}

// FuzzSplitArgsRoundTrip: any arguments, printed as Redis prints strings
// and joined by blanks, split back into the same arguments, and the inline
// protocol reads them as one command.
func FuzzSplitArgsRoundTrip(f *testing.F) {
	f.Add([]byte("SET"), []byte("a key"), []byte("\x00\xff\"\\'\r\n"))
	f.Add([]byte(""), []byte("'"), []byte(`\x41`))
	f.Fuzz(func(t *testing.T, a, b, c []byte) {
		args := [][]byte{a, b, c}
		var line []byte
		for i, arg := range args {
			if i > 0 {
				line = append(line, ' ')
			}
			line = append(line, quoteRepr(arg)...)
		}
		got, err := SplitArgs(nil, line)
		if err != nil {
			t.Fatalf("SplitArgs(%q): %v", line, err)
		}
		if !slices.EqualFunc(got, args, bytes.Equal) {
			t.Fatalf("SplitArgs(%q) = %q, want %q", line, got, args)
		}
		r := NewReader(bytes.NewReader(append(line, "\r\n"...)))
		cmd, err := r.ReadCommand()
		if err != nil || !slices.EqualFunc(cmd, args, bytes.Equal) {
			t.Fatalf("inline %q read as %q, %v", line, cmd, err)
		}
	})
}
