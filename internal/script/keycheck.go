package script

import (
	"fmt"
	"strconv"

	"github.com/moonkv/moonkv/internal/server"
)

// Scripts should name every key they touch in KEYS: Redis Cluster routes
// a script by its KEYS, and moonkv may one day lock exactly those. A
// script that touches other keys works on a single node and breaks
// later, silently. moonkv warns about it without changing any reply:
// once at load for keys the body names as string literals
// (redis.call('get', 'user:1')), and once at run time for the first key a
// redis.call/pcall touches that is not among the run's KEYS. Every such
// access is counted in SCRIPT STATS.

// keyScanMax is the number of KEYS compared one by one; above it a run
// builds a set of them (once, at its first redis.call).
const keyScanMax = 16

// keyCheck is the running script's view of its KEYS.
type keyCheck struct {
	on       bool // the running script is a cached one: check it
	keys     [][]byte
	set      map[string]struct{}
	setBuilt bool

	// Warnings are limited to warnBurst, then one per second, so that a
	// flood of generated scripts cannot flood the log.
	tokens    float64
	lastToken int64 // Server.MonoNow of the last refill
	dropped   int
}

func (k *keyCheck) begin(keys [][]byte, on bool) {
	k.on, k.keys, k.setBuilt = on, keys, false
}

// end drops the run's keys (they point into the caller's read buffer), and
// a set grown by an unusually large run.
func (k *keyCheck) end() {
	k.keys = nil
	if len(k.set) > 4*keyScanMax {
		k.set = nil
	}
}

func (k *keyCheck) declared(key []byte) bool {
	if len(k.keys) > keyScanMax {
		return k.inSet(key)
	}
	n := len(key)
	for _, d := range k.keys {
		// Keys often share a prefix ("user:1000:..."): their last
		// bytes tell them apart before a full comparison.
		if len(d) == n && (n == 0 || d[n-1] == key[n-1]) && string(d) == string(key) {
			return true
		}
	}
	return false
}

func (k *keyCheck) inSet(key []byte) bool {
	if !k.setBuilt {
		if k.set == nil {
			k.set = make(map[string]struct{}, len(k.keys))
		} else {
			clear(k.set)
		}
		for _, d := range k.keys {
			k.set[string(d)] = struct{}{}
		}
		k.setBuilt = true
	}
	_, ok := k.set[string(key)]
	return ok
}

// checkKeys counts the keys of a redis.call that the script did not
// declare. Commands whose key specs are plain positions or ranges (nearly
// all) are checked without allocating; the others go through Spec.Keys,
// as COMMAND GETKEYS does.
func (r *Run) checkKeys(spec *server.Spec, args [][]byte) {
	if len(spec.KeySpecs) == 0 && spec.KeysFunc == nil {
		return
	}
	kc := &r.E.cs.kc
	if simpleKeySpecs(spec) {
		for i := range spec.KeySpecs {
			ks := &spec.KeySpecs[i]
			begin := ks.BeginIndex
			if begin >= len(args) {
				continue
			}
			last := len(args) + ks.LastKey
			if ks.LastKey >= 0 {
				last = begin + ks.LastKey
			}
			step := max(ks.KeyStep, 1)
			for j := begin; j <= last && j < len(args); j += step {
				if !kc.declared(args[j]) {
					r.undeclared(spec, args[j])
				}
			}
		}
		return
	}
	idx, ok := spec.Keys(args)
	if !ok {
		return
	}
	for _, j := range idx {
		if j < len(args) && !kc.declared(args[j]) {
			r.undeclared(spec, args[j])
		}
	}
}

// simpleKeySpecs reports whether every key spec of a command is an index
// with a fixed range, which Spec.Keys resolves without looking at the
// arguments' values.
func simpleKeySpecs(spec *server.Spec) bool {
	if spec.KeysFunc != nil {
		return false
	}
	for i := range spec.KeySpecs {
		ks := &spec.KeySpecs[i]
		if ks.BeginIndex <= 0 || ks.KeyNum || ks.Unknown || ks.Limit > 1 {
			return false
		}
	}
	return true
}

func (r *Run) undeclared(spec *server.Spec, key []byte) {
	c := &r.Script.cached
	c.stats.undeclared++
	if c.warnedRun {
		return
	}
	c.warnedRun = true
	r.E.warn(fmt.Sprintf("Script %s accessed the key %s with '%s' without declaring it in KEYS. "+
		"The script ran as usual, but keys must be passed in KEYS for it to work in a cluster; "+
		"further undeclared accesses by this script are counted in SCRIPT STATS, not logged.",
		r.Script.SHA, keyRepr([]byte(key)), spec.Name))
}

// warnBurst is how many undeclared-key warnings may be logged at once
// before the limit of one per second applies.
const warnBurst = 100

func (e *Engine) warn(msg string) {
	k := &e.cs.kc
	now := e.Srv.MonoNow()
	if k.lastToken == 0 {
		k.tokens = warnBurst
	} else {
		k.tokens = min(warnBurst, k.tokens+float64(now-k.lastToken)/1e9)
	}
	k.lastToken = now
	if k.tokens < 1 {
		k.dropped++
		return
	}
	k.tokens--
	if k.dropped > 0 {
		msg += " (" + strconv.Itoa(k.dropped) + " similar warnings were not logged)"
		k.dropped = 0
	}
	e.Srv.Log.Warn(msg)
}

// checkBody scans a newly cached script for key arguments written as
// string literals and warns once if it finds any.
func (e *Engine) checkBody(s *Script) {
	n, first := scanBodyKeys(s.Body, s.Skip, e.Srv.Reg)
	s.cached.bodyKeys = n
	if n == 0 {
		return
	}
	more := ""
	if n > 1 {
		more = " (" + strconv.Itoa(n) + " key arguments in all)"
	}
	e.warn(fmt.Sprintf("Script %s names the key %s in its body, on line %d (redis.call '%s'), instead of "+
		"passing it in KEYS%s. The script runs as usual, but keys must be passed in KEYS for it to work in a cluster.",
		s.SHA, keyRepr([]byte(first.key)), first.line, first.cmd, more))
}

// keyRepr quotes a key for the log as Redis's sdscatrepr does, cut to 128
// bytes.
func keyRepr(k []byte) string {
	const max = 128
	cut := len(k) > max
	if cut {
		k = k[:max]
	}
	b := []byte{'"'}
	for _, c := range k {
		switch c {
		case '\\', '"':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\a':
			b = append(b, '\\', 'a')
		case '\b':
			b = append(b, '\\', 'b')
		default:
			if c < 0x20 || c >= 0x7f {
				b = append(b, '\\', 'x', "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
			} else {
				b = append(b, c)
			}
		}
	}
	b = append(b, '"')
	if cut {
		b = append(b, "..."...)
	}
	return string(b)
}
