package compat

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// The @functions mode runs a scripting scenario a second time with every
// EVAL and EVAL_RO turned into a FUNCTION LOAD of a one-function library
// and an FCALL or FCALL_RO of it, as Redis's own scripting suite runs its
// tests through both. The body becomes the function's body, with KEYS and
// ARGV as its parameters:
//
//	#!lua name=lib_<line>
//	redis.register_function{function_name='fn_<line>', callback=function(KEYS, ARGV)
//	<body>
//	end, flags={...}}
//
// A "#!lua flags=..." shebang of the body becomes the function's flags
// (its line is kept, empty, so line numbers stay put); a body with any
// other shebang stays an EVAL. Each library and function is named after
// the scenario line, so a body that fails to load leaves no function
// behind for its FCALL to find. The replies (two per rewritten EVAL) are
// compared with <scenario>.functions.golden, recorded from redis-server.

// HasFunctionsMode reports whether a scenario file asks for the @functions
// run (a line "@functions").
func HasFunctionsMode(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "@functions" {
			return true, nil
		}
	}
	return false, sc.Err()
}

// FunctionSteps rewrites a scenario's steps for the @functions run.
func FunctionSteps(steps []Step) []Step {
	out := make([]Step, 0, len(steps)*2)
	for _, st := range steps {
		if len(st.Args) < 3 {
			out = append(out, st)
			continue
		}
		name := strings.ToLower(string(st.Args[0]))
		if name != "eval" && name != "eval_ro" {
			out = append(out, st)
			continue
		}
		code, ok := wrapBody(string(st.Args[1]), st.Line)
		if !ok {
			out = append(out, st)
			continue
		}
		load := Step{Line: st.Line, Text: "@fn-load " + st.Text, Conn: st.Conn, Sleep: st.Sleep,
			Args: [][]byte{[]byte("FUNCTION"), []byte("LOAD"), []byte(code)}}
		call := "FCALL"
		if name == "eval_ro" {
			call = "FCALL_RO"
		}
		args := append([][]byte{[]byte(call), []byte(fmt.Sprintf("fn_%d", st.Line))}, st.Args[2:]...)
		out = append(out, load, Step{Line: st.Line, Text: "@fn-call " + st.Text, Conn: st.Conn,
			Sorted: st.Sorted, Type: st.Type, Args: args})
	}
	return out
}

// wrapBody makes the library for an EVAL body at a scenario line.
func wrapBody(body string, line int) (string, bool) {
	flags := ""
	if strings.HasPrefix(body, "#!") {
		end := strings.IndexByte(body, '\n')
		if end < 0 {
			return "", false
		}
		parts := strings.Fields(body[:end])
		if len(parts) == 0 || parts[0] != "#!lua" {
			return "", false
		}
		var quoted []string
		for _, p := range parts[1:] {
			list, ok := strings.CutPrefix(p, "flags=")
			if !ok {
				return "", false
			}
			for _, f := range strings.Split(list, ",") {
				if f != "" {
					quoted = append(quoted, "'"+f+"'")
				}
			}
		}
		flags = strings.Join(quoted, ",")
		body = body[end:] // the newline stays: line numbers do not move
	}
	return fmt.Sprintf("#!lua name=lib_%d\nredis.register_function{function_name='fn_%d', callback=function(KEYS, ARGV)\n%s\nend, flags={%s}}",
		line, line, body, flags), true
}
