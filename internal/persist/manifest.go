package persist

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// File types in a manifest, as Redis 7.0 writes them.
const (
	TypeBase    = 'b'
	TypeHistory = 'h'
	TypeIncr    = 'i'
)

// ManifestFile is one line of a manifest.
type ManifestFile struct {
	Name string
	Seq  int
	Type byte
}

// Manifest lists the files of a multi-part AOF.
type Manifest struct {
	Files []ManifestFile
}

// Base returns the base file, if any.
func (m *Manifest) Base() (ManifestFile, bool) {
	for _, f := range m.Files {
		if f.Type == TypeBase {
			return f, true
		}
	}
	return ManifestFile{}, false
}

// Incrs returns the incremental files in order.
func (m *Manifest) Incrs() []ManifestFile {
	var out []ManifestFile
	for _, f := range m.Files {
		if f.Type == TypeIncr {
			out = append(out, f)
		}
	}
	return out
}

// ParseManifest reads a manifest: lines of "key value" pairs (file, seq,
// type), blank lines and '#' comments ignored. Names may be quoted as Redis
// quotes names with spaces.
func ParseManifest(data []byte) (*Manifest, error) {
	m := &Manifest{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		fields, err := splitManifestLine(line)
		if err != nil || len(fields)%2 != 0 {
			return nil, fmt.Errorf("invalid AOF manifest line %d: %q", n, line)
		}
		var f ManifestFile
		for i := 0; i < len(fields); i += 2 {
			switch fields[i] {
			case "file":
				f.Name = fields[i+1]
			case "seq":
				f.Seq, err = strconv.Atoi(fields[i+1])
			case "type":
				if len(fields[i+1]) != 1 {
					err = fmt.Errorf("bad type")
				} else {
					f.Type = fields[i+1][0]
				}
			}
			if err != nil {
				return nil, fmt.Errorf("invalid AOF manifest line %d: %q", n, line)
			}
		}
		if f.Name == "" || f.Seq <= 0 || (f.Type != TypeBase && f.Type != TypeHistory && f.Type != TypeIncr) ||
			strings.ContainsRune(f.Name, '/') {
			return nil, fmt.Errorf("invalid AOF manifest line %d: %q", n, line)
		}
		m.Files = append(m.Files, f)
	}
	return m, sc.Err()
}

func splitManifestLine(line string) ([]string, error) {
	var out []string
	for line != "" {
		line = strings.TrimLeft(line, " \t")
		if line == "" {
			break
		}
		if line[0] == '"' {
			end := strings.IndexByte(line[1:], '"')
			if end < 0 {
				return nil, fmt.Errorf("unbalanced quotes")
			}
			s, err := strconv.Unquote(line[:end+2])
			if err != nil {
				return nil, err
			}
			out = append(out, s)
			line = line[end+2:]
			continue
		}
		i := strings.IndexAny(line, " \t")
		if i < 0 {
			i = len(line)
		}
		out = append(out, line[:i])
		line = line[i:]
	}
	return out, nil
}

// Encode renders the manifest as Redis writes it.
func (m *Manifest) Encode() []byte {
	var b bytes.Buffer
	for _, f := range m.Files {
		name := f.Name
		if strings.ContainsAny(name, " \t\"") {
			name = strconv.Quote(name)
		}
		fmt.Fprintf(&b, "file %s seq %d type %c\n", name, f.Seq, f.Type)
	}
	return b.Bytes()
}

// writeFileAtomic writes data to path through a temporary file that is
// fsynced and renamed, then fsyncs the directory, so a crash leaves either
// the old file or the new one, never a torn one.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "temp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
