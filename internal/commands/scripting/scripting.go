package scripting

import (
	"strings"

	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/script"
	"github.com/moonkv/moonkv/internal/script/moonvm"
	"github.com/moonkv/moonkv/internal/server"
)

// Register adds the scripting commands to the table.
func Register(r *server.Registry) {
	keys := func(notes string, flags ...string) []server.KeySpec {
		return []server.KeySpec{{Flags: flags, BeginIndex: 2, KeyNum: true, KeyNumIdx: 0, FirstKey: 1, KeyStep: 1, Notes: notes}}
	}
	// EVAL's and EVAL_RO's notes are Redis's own (COMMAND INFO prints
	// them); the EVALSHA pair has none.
	const rwNote = "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE"
	const roNote = "We cannot tell how the keys will be used so we assume the worst, RO and ACCESS"
	evalArgs := func(first string) []server.ArgDoc {
		return []server.ArgDoc{{Name: first, Type: "string"}, {Name: "numkeys", Type: "integer"},
			{Name: "key", Type: "key", Optional: true, Multiple: true},
			{Name: "arg", Type: "string", Optional: true, Multiple: true}}
	}
	rw := server.NoScript | server.SkipMonitor | server.MayReplicate | server.NoMandatoryKeys | server.Stale
	ro := server.NoScript | server.SkipMonitor | server.NoMandatoryKeys | server.Stale | server.ReadOnly
	cx := "Depends on the script that is executed."
	r.Add(
		&server.Spec{Name: "eval", Arity: -3, Flags: rw, Categories: server.CatScripting,
			KeySpecs: keys(rwNote, "RW", "ACCESS", "UPDATE"), Group: "scripting", Since: "2.6.0",
			Summary: "Runs a Lua script on the server.", Complexity: cx,
			Args: evalArgs("script"), Handler: func(c *server.Ctx) { eval(c, false, false) }},
		&server.Spec{Name: "evalsha", Arity: -3, Flags: rw, Categories: server.CatScripting,
			KeySpecs: keys("", "RW", "ACCESS", "UPDATE"), Group: "scripting", Since: "2.6.0",
			Summary: "Runs a script cached on the server, named by its SHA1 digest.", Complexity: cx,
			Args: evalArgs("sha1"), Handler: func(c *server.Ctx) { eval(c, true, false) }},
		&server.Spec{Name: "eval_ro", Arity: -3, Flags: ro, Categories: server.CatScripting,
			KeySpecs: keys(roNote, "RO", "ACCESS"), Group: "scripting", Since: "7.0.0",
			Summary: "Runs a Lua script that may only read data.", Complexity: cx,
			Args: evalArgs("script"), Handler: func(c *server.Ctx) { eval(c, false, true) }},
		&server.Spec{Name: "evalsha_ro", Arity: -3, Flags: ro, Categories: server.CatScripting,
			KeySpecs: keys("", "RO", "ACCESS"), Group: "scripting", Since: "7.0.0",
			Summary: "Runs a cached script, named by its SHA1 digest, that may only read data.", Complexity: cx,
			Args: evalArgs("sha1"), Handler: func(c *server.Ctx) { eval(c, true, true) }},
		&server.Spec{Name: "script", Arity: -2, Group: "scripting", Since: "2.6.0",
			Summary: "A container for the Lua scripts cache commands.", Complexity: "Depends on subcommand.",
			Subs: map[string]*server.Spec{
				"load": {Arity: 3, Flags: server.NoScript | server.Stale, Categories: server.CatScripting, Since: "2.6.0",
					Summary: "Compiles a script and keeps it in the scripts cache.", Complexity: "O(N) with N being the length in bytes of the script body.",
					Tips: []string{"request_policy:all_nodes", "response_policy:all_succeeded"},
					Args: []server.ArgDoc{{Name: "script", Type: "string"}}, Handler: scriptLoad},
				"exists": {Arity: -3, Flags: server.NoScript, Categories: server.CatScripting, Since: "2.6.0",
					Summary: "Tells, for each SHA1 digest, whether the script is in the scripts cache.", Complexity: "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).",
					Tips: []string{"request_policy:all_shards", "response_policy:agg_logical_and"},
					Args: []server.ArgDoc{{Name: "sha1", Type: "string", Multiple: true}}, Handler: scriptExists},
				"flush": {Arity: -2, Flags: server.NoScript, Categories: server.CatScripting, Since: "2.6.0",
					Summary: "Empties the scripts cache.", Complexity: "O(N) with N being the number of scripts in cache",
					Tips: []string{"request_policy:all_nodes", "response_policy:all_succeeded"},
					Args: []server.ArgDoc{{Name: "flush-type", Type: "oneof", Optional: true, Sub: []server.ArgDoc{
						{Name: "async", Type: "pure-token", Token: "ASYNC"}, {Name: "sync", Type: "pure-token", Token: "SYNC"}}}},
					Handler: scriptFlush},
				"kill": {Arity: 2, Flags: server.NoScript | server.AllowBusy, Categories: server.CatScripting, Since: "2.6.0",
					Summary: "Stops the script that is running, if it has not written.", Complexity: "O(1)",
					Tips: []string{"request_policy:all_shards", "response_policy:one_succeeded"}, Handler: scriptKill},
				"stats": {Arity: -2, Flags: server.NoScript, Categories: server.CatScripting, Since: "7.0.0",
					Summary:    "Shows run statistics of the cached scripts (a moonkv addition).",
					Complexity: "O(N log N) with N being the number of cached scripts, O(1) for one script.",
					Args:       []server.ArgDoc{{Name: "sha1", Type: "string", Optional: true}}, Handler: scriptStats},
				"help": {Arity: 2, Flags: server.Loading | server.Stale, Categories: server.CatScripting, Since: "5.0.0",
					Summary: "Shows what SCRIPT's subcommands do.", Complexity: "O(1)", Handler: scriptHelp},
			}},
	)
	r.Add(functionSpecs()...)
}

// engine returns the server's scripting engine, creating it on first use
// (under the execution lock).
func engine(c *server.Ctx) *script.Engine {
	if e, ok := c.Srv.Scripts.(*script.Engine); ok {
		return e
	}
	e := script.New(c.Srv, moonvm.New)
	c.Srv.Scripts = e
	installInfo(c.Srv, e)
	return e
}

// numKeys reads the numkeys argument of EVAL and FCALL (c.Args[2]),
// replying with notInt (which differs between the two) or a range error
// when it is unusable.
func numKeys(c *server.Ctx, notInt error) (int, bool) {
	n, ok := server.ParseInt(c.Args[2])
	switch {
	case !ok:
		c.Err(notInt)
	case n > int64(len(c.Args)-3):
		c.Err(rerr.NumKeysTooBig)
	case n < 0:
		c.Err(rerr.NumKeysNegative)
	default:
		return int(n), true
	}
	return 0, false
}

func eval(c *server.Ctx, bySHA, ro bool) {
	n, ok := numKeys(c, rerr.NotInt)
	if !ok {
		return
	}
	e := engine(c)
	var s *script.Script
	if bySHA {
		if s = e.Lookup(c.Args[1]); s == nil {
			c.Err(rerr.NoScript)
			return
		}
	} else {
		var err error
		if s, err = e.LoadEval(c.Args[1]); err != nil {
			c.Err(err)
			return
		}
	}
	keys := c.Args[3 : 3+n]
	argv := c.Args[3+n:]
	e.Run(c, s, keys, argv, ro)
}

func scriptLoad(c *server.Ctx) {
	s, err := engine(c).Load(c.Args[2])
	if err != nil {
		c.Err(err)
		return
	}
	c.R.BulkString(s.SHA)
}

func scriptExists(c *server.Ctx) {
	e := engine(c)
	c.R.ArrayLen(len(c.Args) - 2)
	for _, sha := range c.Args[2:] {
		if e.Exists(sha) {
			c.R.Int(1)
		} else {
			c.R.Int(0)
		}
	}
}

func scriptFlush(c *server.Ctx) {
	if len(c.Args) > 3 || (len(c.Args) == 3 && !strings.EqualFold(string(c.Args[2]), "sync") &&
		!strings.EqualFold(string(c.Args[2]), "async")) {
		c.Err(rerr.ScriptFlushMode)
		return
	}
	engine(c).Flush()
	c.OK()
}

// scriptKill may run without the execution lock while a script is busy:
// it only reads Server.Scripts (set before any script ran) and asks the
// engine to stop the script.
func scriptKill(c *server.Ctx) {
	e, _ := c.Srv.Scripts.(*script.Engine)
	if e == nil {
		c.Err(rerr.NotBusy)
		return
	}
	if err := e.KillEval(); err != nil {
		c.Err(err)
		return
	}
	c.OK()
}

var helpLines = []string{
	"DEBUG (YES|SYNC|NO)",
	"    Set the debug mode for subsequent scripts executed.",
	"EXISTS <sha1> [<sha1> ...]",
	"    Return information about the existence of the scripts in the script cache.",
	"FLUSH [ASYNC|SYNC]",
	"    Flush the Lua scripts cache. Very dangerous on replicas.",
	"    When called without the optional mode argument, the behavior is determined by the",
	"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
	"    * ASYNC: Asynchronously flush the scripts cache.",
	"    * SYNC: Synchronously flush the scripts cache.",
	"KILL",
	"    Kill the currently executing Lua script.",
	"LOAD <script>",
	"    Load a script into the scripts cache without executing it.",
	"STATS [<sha1>]",
	"    Return run statistics of every cached script, or of one (moonkv's own): calls,",
	"    errors, total and p99 run time in microseconds, whether it was loaded by SCRIPT",
	"    LOAD (kept) or only by EVAL (evicted beyond 500 such scripts), and accesses to",
	"    keys not declared in KEYS.",
}

func scriptHelp(c *server.Ctx) { server.ReplyHelp(c, "SCRIPT", helpLines) }

// scriptStats is SCRIPT STATS [sha1], moonkv's own. With no argument it
// replies with a map from each cached script's SHA1 (in SHA1 order) to its
// statistics; with one, the statistics of that script, or null when it is
// not cached. Maps are flat arrays under RESP2, as FUNCTION STATS's are.
func scriptStats(c *server.Ctx) {
	if len(c.Args) > 3 {
		c.Err(rerr.WrongArity(c.Spec.Name))
		return
	}
	e := engine(c)
	if len(c.Args) == 3 {
		st, ok := e.StatsOf(c.Args[2])
		if !ok {
			c.R.Null()
			return
		}
		replyScriptStats(c, st)
		return
	}
	all := e.AllStats()
	c.R.MapLen(len(all))
	for _, st := range all {
		c.R.BulkString(st.SHA)
		replyScriptStats(c, st)
	}
}

func replyScriptStats(c *server.Ctx, st script.ScriptStats) {
	loadedBy := "eval"
	if st.Loaded {
		loadedBy = "script-load"
	}
	c.R.MapLen(7)
	c.R.BulkString("calls")
	c.R.Int(st.Calls)
	c.R.BulkString("errors")
	c.R.Int(st.Errors)
	c.R.BulkString("total_run_time_us")
	c.R.Int(st.TotalUs)
	c.R.BulkString("p99_run_time_us")
	c.R.Int(st.P99Us)
	c.R.BulkString("loaded_by")
	c.R.BulkString(loadedBy)
	c.R.BulkString("undeclared_key_accesses")
	c.R.Int(st.UndeclaredAccesses)
	c.R.BulkString("undeclared_keys_in_body")
	c.R.Int(int64(st.BodyKeys))
}
