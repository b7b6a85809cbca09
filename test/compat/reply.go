package compat

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
)

// ReadReply reads one complete RESP2/RESP3 reply and returns its raw bytes.
// Push messages (">") before it are skipped.
func ReadReply(r *bufio.Reader) ([]byte, error) {
	for {
		var buf bytes.Buffer
		if err := readOne(r, &buf); err != nil {
			return nil, err
		}
		if buf.Len() > 0 && buf.Bytes()[0] == '>' {
			continue
		}
		return buf.Bytes(), nil
	}
}

func readLine(r *bufio.Reader, buf *bytes.Buffer) ([]byte, error) {
	line, err := r.ReadBytes('\n')
	if err != nil {
		return nil, err
	}
	buf.Write(line)
	if len(line) < 3 || line[len(line)-2] != '\r' {
		return nil, fmt.Errorf("malformed reply line %q", line)
	}
	return line[:len(line)-2], nil
}

func readOne(r *bufio.Reader, buf *bytes.Buffer) error {
	line, err := readLine(r, buf)
	if err != nil {
		return err
	}
	switch line[0] {
	case '+', '-', ':', '_', '#', ',', '(':
		return nil
	case '$', '=', '!':
		n, err := strconv.Atoi(string(line[1:]))
		if err != nil {
			return err
		}
		if n < 0 {
			return nil
		}
		data := make([]byte, n+2)
		if _, err := io.ReadFull(r, data); err != nil {
			return err
		}
		buf.Write(data)
		return nil
	case '*', '~', '>', '%', '|':
		n, err := strconv.Atoi(string(line[1:]))
		if err != nil {
			return err
		}
		if line[0] == '%' || line[0] == '|' {
			n *= 2
		}
		for i := 0; i < n; i++ {
			if err := readOne(r, buf); err != nil {
				return err
			}
		}
		if line[0] == '|' {
			// an attribute precedes the real reply
			return readOne(r, buf)
		}
		return nil
	}
	return fmt.Errorf("unknown reply type %q", line)
}

// Canonical returns the reply with the top-level array's elements sorted,
// for replies whose order Redis leaves open.
func Canonical(reply []byte) []byte {
	if len(reply) == 0 || (reply[0] != '*' && reply[0] != '~') {
		return reply
	}
	r := bufio.NewReader(bytes.NewReader(reply))
	var head bytes.Buffer
	line, err := readLine(r, &head)
	if err != nil {
		return reply
	}
	n, err := strconv.Atoi(string(line[1:]))
	if err != nil || n < 0 {
		return reply
	}
	elems := make([]string, 0, n)
	for i := 0; i < n; i++ {
		var b bytes.Buffer
		if err := readOne(r, &b); err != nil {
			return reply
		}
		elems = append(elems, b.String())
	}
	sort.Strings(elems)
	out := head.Bytes()
	for _, e := range elems {
		out = append(out, e...)
	}
	return out
}
