package compat

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/moonkv/moonkv/internal/resp"
)

// Step is one line of a scenario that produces a reply.
type Step struct {
	Line   int
	Text   string   // the line as written, for messages and golden files
	Conn   int      // connection number, 1-based
	Args   [][]byte // a command, or nil for raw
	Raw    []byte   // raw bytes to send
	Close  bool     // the server must close the connection after replying
	Sorted bool
	Type   bool
	Sleep  int // milliseconds to wait before sending
}

// ParseScenario reads a scenario file.
func ParseScenario(path string) ([]Step, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var steps []Step
	conn, sorted, typ, sleep := 1, false, false, 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "@") {
			word, rest, _ := strings.Cut(line, " ")
			rest = strings.TrimSpace(rest)
			switch word {
			case "@conn":
				conn, err = strconv.Atoi(rest)
			case "@functions":
				// a header: run the file through FUNCTION/FCALL too
				// (HasFunctionsMode, FunctionSteps)
			case "@sorted":
				sorted = true
			case "@type":
				typ = true
			case "@sleep":
				sleep, err = strconv.Atoi(rest)
			case "@raw", "@rawclose":
				var raw string
				raw, err = strconv.Unquote(rest)
				if err == nil {
					steps = append(steps, Step{Line: n, Text: line, Conn: conn, Raw: []byte(raw), Close: word == "@rawclose", Sorted: sorted, Type: typ, Sleep: sleep})
					sorted, typ, sleep = false, false, 0
				}
			default:
				err = fmt.Errorf("unknown directive %s", word)
			}
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, n, err)
			}
			continue
		}
		args, err := resp.SplitArgs(nil, []byte(line))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		steps = append(steps, Step{Line: n, Text: line, Conn: conn, Args: args, Sorted: sorted, Type: typ, Sleep: sleep})
		sorted, typ, sleep = false, false, 0
	}
	return steps, sc.Err()
}

// Encode renders a command as a RESP multibulk request.
func Encode(args [][]byte) []byte {
	var w resp.Writer
	w.ArrayLen(len(args))
	for _, a := range args {
		w.Bulk(a)
	}
	return w.Buf
}
