package debug

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/moonkv/moonkv/internal/glob"
	"github.com/moonkv/moonkv/internal/keyspace"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/resp"
	"github.com/moonkv/moonkv/internal/server"
	"github.com/moonkv/moonkv/internal/types/list"
)

// Register adds DEBUG to the table. Like Redis, DEBUG is one command with
// arity -2 whose handler picks the subcommand (COMMAND shows no
// subcommands for it).
func Register(r *server.Registry) {
	r.Add(&server.Spec{Name: "debug", Arity: -2, Protected: true,
		Flags: server.Admin | server.NoScript | server.Loading | server.Stale,
		Group: "server", Since: "1.0.0", DocFlags: []string{"syscmd"},
		Summary:    "Runs server debugging operations (see DEBUG HELP).",
		Complexity: "Depends on subcommand.",
		Handler:    cmdDebug})
}

// sub is one DEBUG subcommand: the argument counts it accepts (counting
// DEBUG and the subcommand; max -1 for any) and its handler.
type sub struct {
	min, max int
	run      func(c *server.Ctx)
	help     []string
}

var subs map[string]*sub

// order is the order DEBUG HELP lists the subcommands in (Redis's).
var order = []string{"digest", "digest-value", "error", "log", "loadaof", "object", "pause-cron",
	"populate", "protocol", "reload", "set-active-expire", "sleep", "stringmatch-test"}

func init() {
	subs = map[string]*sub{
		"help": {2, 2, cmdHelp, nil},
		"digest": {2, 2, cmdDigest, []string{"DIGEST",
			"    Output a hex signature representing the current DB content."}},
		"digest-value": {2, -1, cmdDigestValue, []string{"DIGEST-VALUE <key> [<key> ...]",
			"    Output a hex signature of the values of all the specified keys."}},
		"error": {3, 3, cmdError, []string{"ERROR <string>",
			"    Return a Redis protocol error with <string> as message. Useful for clients",
			"    unit tests to simulate Redis errors."}},
		"log": {3, 3, cmdLog, []string{"LOG <message>",
			"    Write <message> to the server log."}},
		"loadaof": {2, -1, cmdLoadAOF, []string{"LOADAOF",
			"    Flush the AOF buffers on disk and reload the AOF in memory."}},
		"object": {3, 3, cmdObject, []string{"OBJECT <key>",
			"    Show low level info about `key` and associated value."}},
		"pause-cron": {3, 3, cmdPauseCron, []string{"PAUSE-CRON <0|1>",
			"    Stop periodic cron job processing."}},
		"populate": {3, 5, cmdPopulate, []string{"POPULATE <count> [<prefix>] [<size>]",
			"    Create <count> string keys named key:<num>. If <prefix> is specified then",
			"    it is used instead of the 'key' prefix. These are not propagated to",
			"    replicas. Cluster slots are not respected so keys not belonging to the",
			"    current node can be created in cluster mode."}},
		"protocol": {3, 3, cmdProtocol, []string{"PROTOCOL <type>",
			"    Reply with a test value of the specified type. <type> can be: string,",
			"    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
			"    true, false."}},
		"reload": {2, -1, cmdReload, []string{"RELOAD [option ...]",
			"    Save the RDB on disk and reload it back to memory. Valid <option> values:",
			"    * MERGE: conflicting keys will be loaded from RDB.",
			"    * NOFLUSH: the existing database will not be removed before load, but",
			"      conflicting keys will generate an exception and kill the server.",
			"    * NOSAVE: the database will be loaded from an existing RDB file.",
			"    Examples:",
			"    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
			"      the database.",
			"    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
			"      existing RDB file.",
			"    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
			"      file to the database."}},
		"set-active-expire": {3, 3, cmdSetActiveExpire, []string{"SET-ACTIVE-EXPIRE <0|1>",
			"    Setting it to 0 disables expiring keys in background when they are not",
			"    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
			"    default."}},
		"sleep": {3, 3, cmdSleep, []string{"SLEEP <seconds>",
			"    Stop the server for <seconds>. Decimals allowed."}},
		"stringmatch-test": {2, 2, cmdStringmatchTest, []string{"STRINGMATCH-TEST",
			"    Run a fuzz tester against the stringmatchlen() function."}},
	}
}

func cmdDebug(c *server.Ctx) {
	name := strings.ToLower(string(c.Args[1]))
	s := subs[name]
	if s == nil || len(c.Args) < s.min || (s.max >= 0 && len(c.Args) > s.max) {
		c.Err(rerr.DebugUnknown(string(c.Args[1])))
		return
	}
	s.run(c)
}

// helpLines is DEBUG HELP's text: the served subcommands, in Redis's
// wording (ReplyHelp adds the title and HELP).
func helpLines() []string {
	var out []string
	for _, n := range order {
		out = append(out, subs[n].help...)
	}
	return out
}

func cmdHelp(c *server.Ctx) { server.ReplyHelp(c, "DEBUG", helpLines()) }

func cmdDigest(c *server.Ctx) {
	d := datasetDigest(c.KS)
	c.R.Simple(d.hex())
}

// cmdDigestValue digests each key's value; a missing key digests to
// zeros. Keys are looked up without expiring them, as Redis does.
func cmdDigestValue(c *server.Ctx) {
	c.R.ArrayLen(len(c.Args) - 2)
	for _, k := range c.Args[2:] {
		var d digest
		if e := c.DB.RawLookup(k); e != nil {
			valueDigest(&d, e)
		}
		c.R.Simple(d.hex())
	}
}

// cmdError replies with the argument as an error, newlines made spaces;
// like Redis's raw error reply it is not counted in the error statistics.
func cmdError(c *server.Ctx) {
	s := strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, string(c.Args[2]))
	c.R.Error(s)
}

func cmdLog(c *server.Ctx) {
	c.Srv.Log.Warn("DEBUG LOG: " + string(c.Args[2]))
	c.OK()
}

func cmdLoadAOF(c *server.Ctx) {
	if err := c.Srv.DebugLoadAOF(); err != nil {
		c.Err(err)
		return
	}
	c.OK()
}

func cmdReload(c *server.Ctx) {
	var o server.ReloadOptions
	for _, a := range c.Args[2:] {
		switch {
		case server.Is(a, "merge"):
			o.Merge = true
		case server.Is(a, "noflush"):
			o.NoFlush = true
		case server.Is(a, "nosave"):
			o.NoSave = true
		default:
			c.Err(rerr.DebugReloadOptions)
			return
		}
	}
	if err := c.Srv.DebugReload(o); err != nil {
		c.Err(err)
		return
	}
	c.OK()
}

// cmdObject describes a key's value as Redis's DEBUG OBJECT does. The
// address is the entry's; refcount, encoding, serializedlength and the LRU
// figures are Redis's for the same value.
func cmdObject(c *server.Ctx) {
	e := c.DB.RawLookup(c.Args[2])
	if e == nil {
		c.Err(rerr.DebugNoSuchKey)
		return
	}
	lim := c.KS.Limits
	enc := e.Encoding()
	// Redis's lru field is the access time in unix seconds, 24 bits wide.
	idleMs := c.KS.IdleMs(e)
	lru := uint32((c.KS.Now-idleMs)/1000) & lruClockMax
	idle := idleMs / 1000
	s := fmt.Sprintf("Value at:%p refcount:%d encoding:%s serializedlength:%d lru:%d lru_seconds_idle:%d",
		e, e.RefCount(c.Srv.ClockPerValue()), enc, serializedLength(e, lim, c.Srv.Cfg.RDBCompression), lru, idle)
	if e.Type == keyspace.TypeList {
		l := e.Obj.(*list.List)
		nodes := quicklistNodes(l, lim.ListMaxListpackSize)
		size := 0
		for _, n := range nodes {
			size += n.size()
		}
		avg := math.NaN()
		if len(nodes) > 0 {
			avg = float64(l.Len()) / float64(len(nodes))
		}
		compressed := 0
		if lim.ListCompressDepth != 0 {
			compressed = 1
		}
		s += fmt.Sprintf(" ql_nodes:%d ql_avg_node:%.2f ql_listpack_max:%d ql_compressed:%d ql_uncompressed_size:%d",
			len(nodes), avg, lim.ListMaxListpackSize, compressed, size)
	}
	c.R.Simple(s)
}

// lruClockMax is Redis's 24-bit LRU clock mask (seconds resolution).
const lruClockMax = 1<<24 - 1

func cmdPauseCron(c *server.Ctx) {
	c.Srv.SetCronPaused(atoi(c.Args[2]) != 0)
	c.OK()
}

// cmdPopulate creates count string keys prefix:N holding "value:N" (or
// that text cut or zero-padded to size bytes), skipping keys that exist.
// Like Redis it neither propagates them nor counts them as changes.
func cmdPopulate(c *server.Ctx) {
	count, ok := positiveLong(c, c.Args[2])
	if !ok {
		return
	}
	size := int64(0)
	if len(c.Args) == 5 {
		if size, ok = positiveLong(c, c.Args[4]); !ok {
			return
		}
	}
	prefix := "key"
	if len(c.Args) >= 4 {
		prefix = string(c.Args[3])
	}
	dirty := c.KS.Dirty
	var kb, vb []byte
	for j := int64(0); j < count; j++ {
		kb = append(append(kb[:0], prefix...), ':')
		kb = strconv.AppendInt(kb, j, 10)
		if c.DB.Lookup(kb) != nil {
			continue
		}
		vb = strconv.AppendInt(append(vb[:0], "value:"...), j, 10)
		var val []byte
		if size == 0 {
			val = append([]byte(nil), vb...)
		} else {
			val = make([]byte, size)
			copy(val, vb)
		}
		c.DB.SetString(kb, val, false)
	}
	c.KS.Dirty = dirty
	c.OK()
}

// positiveLong is getPositiveLongFromObjectOrReply: a bad integer gets
// the same error as a negative one.
func positiveLong(c *server.Ctx, b []byte) (int64, bool) {
	n, ok := server.ParseInt(b)
	if !ok || n < 0 {
		c.Err(rerr.DebugNotPositive)
		return 0, false
	}
	return n, true
}

// cmdProtocol replies with a sample of each RESP type, degraded for RESP2
// clients as Redis degrades them.
func cmdProtocol(c *server.Ctx) {
	r := c.R
	switch strings.ToLower(string(c.Args[2])) {
	case "string":
		r.BulkString("Hello World")
	case "integer":
		r.Int(12345)
	case "double":
		r.Double(3.141)
	case "bignum":
		r.BigNumber("1234567999999999999999999999999999999")
	case "null":
		r.Null()
	case "array":
		r.ArrayLen(3)
		for j := int64(0); j < 3; j++ {
			r.Int(j)
		}
	case "set":
		r.SetLen(3)
		for j := int64(0); j < 3; j++ {
			r.Int(j)
		}
	case "map":
		r.MapLen(3)
		for j := int64(0); j < 3; j++ {
			r.Int(j)
			r.Bool(j == 1)
		}
	case "attrib":
		if ap, ok := r.(resp.AttrPusher); ok && r.Proto() >= 3 {
			ap.AttributeLen(1)
			r.BulkString("key-popularity")
			r.ArrayLen(2)
			r.BulkString("key:123")
			r.Int(90)
		}
		r.BulkString("Some real reply following the attribute")
	case "push":
		ap, ok := r.(resp.AttrPusher)
		if !ok || r.Proto() < 3 {
			c.Err(rerr.DebugRESP2)
			return
		}
		ap.PushLen(2)
		r.BulkString("server-cpu-usage")
		r.Int(42)
		r.BulkString("Some real reply following the push reply")
	case "true":
		r.Bool(true)
	case "false":
		r.Bool(false)
	case "verbatim":
		r.Verbatim("txt", "This is a verbatim\nstring")
	default:
		c.Err(rerr.DebugProtocolType)
	}
}

// cmdSetActiveExpire turns the periodic expiry off (0) or on (anything
// else, read as C's atoi reads it).
func cmdSetActiveExpire(c *server.Ctx) {
	c.Srv.SetActiveExpire(atoi(c.Args[2]) != 0)
	c.OK()
}

// cmdSleep blocks the server (it holds the execution lock) for the given
// seconds, read as C's strtod reads them: a bad number is 0.
func cmdSleep(c *server.Ctx) {
	secs := strtod(c.Args[2])
	if us := int64(secs * 1e6); us > 0 {
		time.Sleep(time.Duration(us) * time.Microsecond)
	}
	c.OK()
}

// cmdStringmatchTest runs random patterns against random strings through
// the glob matcher KEYS, SCAN and the rest use, as Redis's fuzz test of
// stringmatchlen does: it passes when nothing crashes or hangs.
func cmdStringmatchTest(c *server.Ctx) {
	rng := rand.New(rand.NewPCG(uint64(c.Now()), 0x5eed))
	var str, pat [32]byte
	for i := 0; i < 1000000; i++ {
		sl, pl := rng.IntN(len(str)), rng.IntN(len(pat))
		for j := 0; j < sl; j++ {
			str[j] = byte(rng.IntN(256))
		}
		for j := 0; j < pl; j++ {
			pat[j] = byte(rng.IntN(256))
		}
		glob.MatchBytes(pat[:pl], str[:sl], false)
		glob.MatchBytes(pat[:pl], str[:sl], true)
	}
	c.R.Simple("Apparently Redis did not crash: test passed")
}

// atoi reads a number as C's atoi does: optional blanks and sign, then
// digits up to the first other character; anything else is 0.
func atoi(b []byte) int64 {
	i := 0
	for i < len(b) && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r')) {
		i++
	}
	neg := false
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		i++
	}
	var n int64
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		n = n*10 + int64(b[i]-'0')
	}
	if neg {
		return -n
	}
	return n
}

// strtod reads the longest prefix of b that is a number, as C's strtod
// does (leading blanks allowed); 0 when there is none.
func strtod(b []byte) float64 {
	s := strings.TrimLeft(string(b), " \t\n\v\f\r")
	for end := len(s); end > 0; end-- {
		if f, err := strconv.ParseFloat(s[:end], 64); err == nil || isRange(err) {
			return f
		}
	}
	return 0
}

func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}
