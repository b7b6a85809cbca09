package script

import (
	"strings"

	"github.com/moonkv/moonkv/internal/rerr"
)

// Flags are the script flags a "#!lua flags=..." shebang declares.
type Flags uint8

const (
	NoWrites Flags = 1 << iota
	AllowOOM
	AllowStale
	NoCluster
	AllowCrossSlot
	// CompatMode marks a script without a shebang: Redis 7.0 runs those
	// as earlier versions did (writes allowed, OOM checked per command).
	CompatMode
)

var flagNames = []struct {
	name string
	f    Flags
}{{"no-writes", NoWrites}, {"allow-oom", AllowOOM}, {"allow-stale", AllowStale}, {"no-cluster", NoCluster}}

// ParseShebang reads the flags of a script body. A body without "#!" is in
// compatibility mode. skip is the length of the shebang line (without its
// newline), which the engine must not compile but must keep counting as
// line 1.
func ParseShebang(body []byte) (flags Flags, skip int, err error) {
	if len(body) < 2 || body[0] != '#' || body[1] != '!' {
		return CompatMode, 0, nil
	}
	end := strings.IndexByte(string(body), '\n')
	if end < 0 {
		return 0, 0, rerr.ShebangInvalid
	}
	parts := strings.Fields(string(body[:end]))
	if len(parts) == 0 || parts[0] != "#!lua" {
		name := ""
		if len(parts) > 0 {
			name = parts[0]
		}
		return 0, 0, rerr.ShebangEngine(name)
	}
	for _, p := range parts[1:] {
		list, ok := strings.CutPrefix(p, "flags=")
		if !ok {
			return 0, 0, rerr.ShebangOption(p)
		}
		if list == "" {
			continue
		}
		for _, name := range strings.Split(list, ",") {
			found := false
			for _, fn := range flagNames {
				if fn.name == name {
					flags |= fn.f
					found = true
					break
				}
			}
			if !found {
				return 0, 0, rerr.ShebangFlag(name)
			}
		}
	}
	return flags, end, nil
}
