package server

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/moonkv/moonkv/internal/resp"
)

// ConfigError is a refused configuration line: where it was and why, shown
// the way redis-server shows it before refusing to start.
type ConfigError struct {
	File string // "" for the command line
	Line int
	Text string
	Why  string
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString("\n*** FATAL CONFIG FILE ERROR (moonkv, Redis " + RedisVersion + ") ***\n")
	if e.File != "" {
		fmt.Fprintf(&b, "Reading the configuration file %s, at line %d\n", e.File, e.Line)
	} else {
		fmt.Fprintf(&b, "Reading the command-line arguments, at directive %d\n", e.Line)
	}
	fmt.Fprintf(&b, ">>> '%s'\n%s", e.Text, e.Why)
	return b.String()
}

// ParseCommandLine splits redis-server style arguments: an optional config
// file first (or "-" for standard input), then "--name value ..."
// directives. It returns the file and the directives as config text.
func ParseCommandLine(args []string) (file string, directives string, err error) {
	i := 0
	if len(args) > 0 && !strings.HasPrefix(args[0], "--") {
		file = args[0]
		i = 1
	}
	var b strings.Builder
	first := true
	for ; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "--") && len(a) > 2 {
			if !first {
				b.WriteByte('\n')
			}
			first = false
			b.WriteString(a[2:])
			continue
		}
		if first {
			return "", "", fmt.Errorf("unexpected argument %q: directives are written --name value", a)
		}
		b.WriteByte(' ')
		b.WriteString(quoteArg(a))
	}
	if !first {
		b.WriteByte('\n')
	}
	return file, b.String(), nil
}

// quoteArg quotes a command-line value so the config parser reads it back
// as one word ("" stays an empty word).
func quoteArg(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\r\n\"'\\") {
		return s
	}
	return strconv.Quote(s)
}

// LoadConfig builds a Config from the defaults, a config file (may be "")
// and command-line directives, in that order: later lines win.
func LoadConfig(file, directives string) (Config, error) {
	cfg := DefaultConfig()
	if file != "" {
		var data []byte
		var err error
		if file == "-" {
			data, err = readAll(os.Stdin)
		} else {
			data, err = os.ReadFile(file)
		}
		if err != nil {
			return cfg, fmt.Errorf("Fatal error, can't open config file '%s': %v", file, err)
		}
		if err := applyConfigText(&cfg, file, string(data), 0); err != nil {
			return cfg, err
		}
		if file != "-" {
			if abs, err := filepath.Abs(file); err == nil {
				cfg.ConfigFile = abs
			}
		}
	}
	if directives != "" {
		if err := applyConfigText(&cfg, "", directives, 0); err != nil {
			return cfg, err
		}
	}
	cfg.saveFromFile = false
	cfg.normalize()
	return cfg, nil
}

func readAll(f *os.File) ([]byte, error) {
	var out []byte
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	for sc.Scan() {
		out = append(out, sc.Bytes()...)
		out = append(out, '\n')
	}
	return out, sc.Err()
}

// ApplyConfigText applies redis.conf-syntax text to cfg (tests and
// embedders use it to configure a server without a file).
func ApplyConfigText(cfg *Config, text string) error {
	err := applyConfigText(cfg, "", text, 0)
	cfg.saveFromFile = false
	cfg.normalize()
	return err
}

func applyConfigText(cfg *Config, file, text string, depth int) error {
	lines := strings.Split(text, "\n")
	for i, raw := range lines {
		line := strings.TrimSpace(strings.TrimSuffix(raw, "\r"))
		if line == "" || line[0] == '#' {
			continue
		}
		fail := func(why string) error {
			return &ConfigError{File: file, Line: i + 1, Text: line, Why: why}
		}
		words, err := resp.SplitArgs(nil, []byte(line))
		if err != nil {
			return fail("Unbalanced quotes in configuration line")
		}
		if len(words) == 0 {
			continue
		}
		name := strings.ToLower(string(words[0]))
		args := make([]string, len(words)-1)
		for j, w := range words[1:] {
			args[j] = string(w)
		}
		if name == "include" {
			if len(args) != 1 {
				return fail("Bad directive or wrong number of arguments")
			}
			if depth > 16 {
				return fail("Too many nested includes")
			}
			matches, err := filepath.Glob(args[0])
			if err != nil || len(matches) == 0 {
				matches = []string{args[0]}
			}
			for _, m := range matches {
				data, err := os.ReadFile(m)
				if err != nil {
					return fail(fmt.Sprintf("Fatal error, can't open config file '%s': %v", m, err))
				}
				if err := applyConfigText(cfg, m, string(data), depth+1); err != nil {
					return err
				}
			}
			continue
		}
		p := LookupParam(name)
		if p == nil || len(args) == 0 || (len(args) > 1 && !p.MultiArg) {
			return fail("Bad directive or wrong number of arguments")
		}
		if p.MultiArg && len(args) == 1 && args[0] != "" {
			// one quoted argument holds them all (--save "3600 1",
			// save "3600 1"): Redis splits it as a line of its own
			split, err := resp.SplitArgs(nil, []byte(args[0]))
			if err != nil {
				return fail("Unbalanced quotes in configuration line")
			}
			args = args[:0]
			for _, w := range split {
				args = append(args, string(w))
			}
		}
		if why := p.setWords(cfg, args); why != "" {
			return fail(why)
		}
	}
	return nil
}

// RewriteConfigFile writes cfg back to the file it was read from, as
// CONFIG REWRITE does: lines of known parameters are replaced in place by
// their current values, further lines for the same parameter are dropped,
// other lines (comments, include) are kept, and parameters that differ
// from their defaults but were not in the file are appended.
func RewriteConfigFile(path string, cfg *Config) error {
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	const marker = "# Generated by CONFIG REWRITE"
	var old []string
	if len(data) > 0 {
		old = strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	}
	seen := map[*Param][]int{}
	for i, l := range old {
		t := strings.TrimSpace(l)
		if t == "" || t[0] == '#' {
			continue
		}
		words, err := resp.SplitArgs(nil, []byte(t))
		if err != nil || len(words) == 0 {
			continue
		}
		if p := LookupParam(string(words[0])); p != nil {
			seen[p] = append(seen[p], i)
		}
	}
	def := DefaultConfig()
	out := append([]string(nil), old...)
	drop := map[int]bool{}
	var appended []string
	for _, p := range params {
		lines := rewriteLines(p, cfg)
		at := seen[p]
		force := p.Name == "dir" || p.Get(cfg) != p.Get(&def)
		if len(at) == 0 && !force {
			continue
		}
		for k, idx := range at {
			if k < len(lines) {
				out[idx] = lines[k]
			} else {
				drop[idx] = true
			}
		}
		if len(lines) > len(at) {
			appended = append(appended, lines[len(at):]...)
		}
	}
	var b strings.Builder
	hasMarker := false
	for i, l := range out {
		if drop[i] {
			continue
		}
		if l == marker {
			hasMarker = true
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	if len(appended) > 0 {
		if !hasMarker {
			b.WriteString(marker + "\n")
		}
		for _, l := range appended {
			b.WriteString(l + "\n")
		}
	}
	tmp := path + ".tmp-rewrite"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// rewriteLines renders a parameter's current value as config file lines.
func rewriteLines(p *Param, cfg *Config) []string {
	switch p.Name {
	case "save":
		if len(cfg.Save) == 0 {
			return []string{`save ""`}
		}
		var out []string
		for _, s := range cfg.Save {
			out = append(out, fmt.Sprintf("save %d %d", s.Seconds, s.Changes))
		}
		return out
	case "bind":
		return []string{"bind " + strings.Join(cfg.Bind, " ")}
	}
	v := p.Get(cfg)
	switch p.Kind {
	case KindString:
		return []string{p.Name + " " + strconv.Quote(v)}
	case KindSpecial:
		if p.Name == "dir" || p.Name == "notify-keyspace-events" {
			return []string{p.Name + " " + strconv.Quote(v)}
		}
	case KindMemory:
		n, _ := strconv.ParseInt(v, 10, 64)
		switch {
		case n != 0 && n%(1<<30) == 0:
			v = strconv.FormatInt(n>>30, 10) + "gb"
		case n != 0 && n%(1<<20) == 0:
			v = strconv.FormatInt(n>>20, 10) + "mb"
		case n != 0 && n%(1<<10) == 0:
			v = strconv.FormatInt(n>>10, 10) + "kb"
		}
	}
	return []string{p.Name + " " + v}
}
