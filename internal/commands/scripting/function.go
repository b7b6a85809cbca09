package scripting

import (
	"strings"

	"github.com/moonkv/moonkv/internal/glob"
	"github.com/moonkv/moonkv/internal/persist"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/script"
	"github.com/moonkv/moonkv/internal/server"
)

// functionSpecs are FCALL, FCALL_RO and the FUNCTION container.
func functionSpecs() []*server.Spec {
	keys := func(notes string, flags ...string) []server.KeySpec {
		return []server.KeySpec{{Flags: flags, BeginIndex: 2, KeyNum: true, KeyNumIdx: 0, FirstKey: 1, KeyStep: 1, Notes: notes}}
	}
	const rwNote = "We cannot tell how the keys will be used so we assume the worst, RW and UPDATE"
	const roNote = "We cannot tell how the keys will be used so we assume the worst, RO and ACCESS"
	fcallArgs := []server.ArgDoc{{Name: "function", Type: "string"}, {Name: "numkeys", Type: "integer"},
		{Name: "key", Type: "key", Optional: true, Multiple: true},
		{Name: "arg", Type: "string", Optional: true, Multiple: true}}
	rw := server.NoScript | server.SkipMonitor | server.MayReplicate | server.NoMandatoryKeys | server.Stale
	ro := server.NoScript | server.SkipMonitor | server.NoMandatoryKeys | server.Stale | server.ReadOnly
	cx := "Depends on the function that is executed."
	all := []string{"request_policy:all_shards", "response_policy:all_succeeded"}
	sc := server.CatScripting
	return []*server.Spec{
		{Name: "fcall", Arity: -3, Flags: rw, Categories: sc, KeySpecs: keys(rwNote, "RW", "ACCESS", "UPDATE"),
			Group: "scripting", Since: "7.0.0", Summary: "Calls a function of a loaded library.", Complexity: cx,
			Args: fcallArgs, Handler: func(c *server.Ctx) { fcall(c, false) }},
		{Name: "fcall_ro", Arity: -3, Flags: ro, Categories: sc, KeySpecs: keys(roNote, "RO", "ACCESS"),
			Group: "scripting", Since: "7.0.0", Summary: "Calls a function of a loaded library that may only read data.", Complexity: cx,
			Args: fcallArgs, Handler: func(c *server.Ctx) { fcall(c, true) }},
		{Name: "function", Arity: -2, Group: "scripting", Since: "7.0.0",
			Summary: "A container for the function library commands.", Complexity: "Depends on subcommand.",
			Subs: map[string]*server.Spec{
				"load": {Arity: -3, Flags: server.Write | server.DenyOOM | server.NoScript, Categories: sc, Since: "7.0.0",
					Summary: "Loads a library of functions from its code.", Complexity: "O(1) (considering compilation time is redundant)",
					Tips: all, Args: []server.ArgDoc{{Name: "replace", Type: "pure-token", Token: "REPLACE", Optional: true},
						{Name: "function-code", Type: "string"}}, Handler: functionLoad},
				"delete": {Arity: 3, Flags: server.Write | server.NoScript, Categories: sc, Since: "7.0.0",
					Summary: "Removes a library and its functions.", Complexity: "O(1)", Tips: all,
					Args: []server.ArgDoc{{Name: "library-name", Type: "string"}}, Handler: functionDelete},
				"flush": {Arity: -2, Flags: server.Write | server.NoScript, Categories: sc, Since: "7.0.0",
					Summary: "Removes every library.", Complexity: "O(N) where N is the number of functions deleted", Tips: all,
					Args: []server.ArgDoc{{Name: "async", Type: "oneof", Optional: true, Sub: []server.ArgDoc{
						{Name: "async", Type: "pure-token", Token: "ASYNC"}, {Name: "sync", Type: "pure-token", Token: "SYNC"}}}},
					Handler: functionFlush},
				"list": {Arity: -2, Flags: server.NoScript, Categories: sc, Since: "7.0.0",
					Summary: "Describes the loaded libraries and their functions.", Complexity: "O(N) where N is the number of functions",
					Tips: []string{"nondeterministic_output_order"},
					Args: []server.ArgDoc{{Name: "library-name-pattern", Type: "string", Token: "LIBRARYNAME", Optional: true},
						{Name: "withcode", Type: "pure-token", Token: "WITHCODE", Optional: true}}, Handler: functionList},
				"stats": {Arity: 2, Flags: server.NoScript | server.AllowBusy, Categories: sc, Since: "7.0.0",
					Summary: "Tells which function is running, if any, and how many libraries each engine holds.", Complexity: "O(1)",
					Tips: []string{"nondeterministic_output", "request_policy:all_shards", "response_policy:special"}, Handler: functionStats},
				"dump": {Arity: 2, Flags: server.NoScript, Categories: sc, Since: "7.0.0",
					Summary: "Serializes every library into one binary payload.", Complexity: "O(N) where N is the number of functions",
					Handler: functionDump},
				"restore": {Arity: -3, Flags: server.Write | server.DenyOOM | server.NoScript, Categories: sc, Since: "7.0.0",
					Summary: "Loads the libraries of a FUNCTION DUMP payload.", Complexity: "O(N) where N is the number of functions on the payload",
					Tips: all, Args: []server.ArgDoc{{Name: "serialized-value", Type: "string"},
						{Name: "policy", Type: "oneof", Optional: true, Sub: []server.ArgDoc{
							{Name: "flush", Type: "pure-token", Token: "FLUSH"}, {Name: "append", Type: "pure-token", Token: "APPEND"},
							{Name: "replace", Type: "pure-token", Token: "REPLACE"}}}}, Handler: functionRestore},
				"kill": {Arity: 2, Flags: server.NoScript | server.AllowBusy, Categories: sc, Since: "7.0.0",
					Summary: "Stops the function that is running, if it has not written.", Complexity: "O(1)",
					Tips: []string{"request_policy:all_shards", "response_policy:one_succeeded"}, Handler: functionKill},
				"help": {Arity: 2, Flags: server.Loading | server.Stale, Categories: sc, Since: "7.0.0",
					Summary: "Shows what FUNCTION's subcommands do.", Complexity: "O(1)", Handler: functionHelp},
			}},
	}
}

func fcall(c *server.Ctx, ro bool) {
	e := engine(c)
	f := e.LookupFunction(c.Args[1])
	if f == nil {
		c.Err(rerr.FunctionNotFound)
		return
	}
	n, ok := numKeys(c, rerr.FunctionBadNumKeys)
	if !ok {
		return
	}
	e.RunFunction(c, f, c.Args[3:3+n], c.Args[3+n:], ro)
}

// changed counts a change of the libraries as a change of the dataset,
// as Redis does: the command is then propagated as given.
func changed(c *server.Ctx) { c.KS.Dirty++ }

func functionLoad(c *server.Ctx) {
	pos, replace := 2, false
	for pos < len(c.Args)-1 {
		if !strings.EqualFold(string(c.Args[pos]), "replace") {
			c.Err(rerr.FunctionLoadOption(string(c.Args[pos])))
			return
		}
		replace = true
		pos++
	}
	if pos >= len(c.Args) {
		c.Err(rerr.FunctionCodeMissing)
		return
	}
	timeout := script.LoadTimeout
	if c.Client == nil || c.Client.ID == 0 {
		// The AOF's own commands load without a time bound.
		timeout = 0
	}
	name, err := engine(c).LoadLibrary(c.Args[pos], replace, timeout)
	if err != nil {
		c.Err(err)
		return
	}
	changed(c)
	c.R.BulkString(name)
}

func functionDelete(c *server.Ctx) {
	if !engine(c).DeleteLibrary(string(c.Args[2])) {
		c.Err(rerr.LibraryNotFound)
		return
	}
	changed(c)
	c.OK()
}

func functionFlush(c *server.Ctx) {
	if len(c.Args) > 3 {
		c.Err(rerr.FunctionSubSyntax(string(c.Args[1])))
		return
	}
	if len(c.Args) == 3 && !strings.EqualFold(string(c.Args[2]), "sync") && !strings.EqualFold(string(c.Args[2]), "async") {
		c.Err(rerr.FunctionFlushMode)
		return
	}
	engine(c).FlushFunctions()
	changed(c)
	c.OK()
}

func functionList(c *server.Ctx) {
	withCode := false
	var pattern []byte
	hasPattern := false
	for i := 2; i < len(c.Args); i++ {
		a := string(c.Args[i])
		if !withCode && strings.EqualFold(a, "withcode") {
			withCode = true
			continue
		}
		if !hasPattern && strings.EqualFold(a, "libraryname") {
			if i >= len(c.Args)-1 {
				c.Err(rerr.FunctionListNoName)
				return
			}
			i++
			pattern, hasPattern = c.Args[i], true
			continue
		}
		c.Err(rerr.FunctionListArg(a))
		return
	}
	libs := engine(c).Libraries()
	if hasPattern {
		kept := libs[:0]
		for _, l := range libs {
			if glob.MatchBytes(pattern, []byte(l.Name), true) {
				kept = append(kept, l)
			}
		}
		libs = kept
	}
	r := c.R
	r.ArrayLen(len(libs))
	for _, l := range libs {
		if withCode {
			r.MapLen(4)
		} else {
			r.MapLen(3)
		}
		r.BulkString("library_name")
		r.BulkString(l.Name)
		r.BulkString("engine")
		r.BulkString("LUA")
		r.BulkString("functions")
		r.ArrayLen(len(l.Funcs))
		for _, f := range l.Funcs {
			r.MapLen(3)
			r.BulkString("name")
			r.BulkString(f.Name)
			r.BulkString("description")
			if f.HasDesc {
				r.BulkString(f.Desc)
			} else {
				r.Null()
			}
			r.BulkString("flags")
			names := script.FlagNames(f.Flags)
			r.SetLen(len(names))
			for _, n := range names {
				r.Simple(n)
			}
		}
		if withCode {
			r.BulkString("library_code")
			r.Bulk(l.Code)
		}
	}
}

// functionStats may run without the execution lock while a script is
// busy (allow_busy): the libraries cannot change then, as no other
// command runs.
func functionStats(c *server.Ctx) {
	e := engine(c)
	name, args, ms, eval, running := e.FunctionRunning()
	if running && eval {
		c.Err(rerr.Busy)
		return
	}
	r := c.R
	r.MapLen(2)
	r.BulkString("running_script")
	if !running {
		r.Null()
	} else {
		r.MapLen(3)
		r.BulkString("name")
		r.BulkString(name)
		r.BulkString("command")
		r.ArrayLen(len(args))
		for _, a := range args {
			r.Bulk(a)
		}
		r.BulkString("duration_ms")
		r.Int(ms)
	}
	libs, funcs := e.FunctionCounts()
	r.BulkString("engines")
	r.MapLen(1)
	r.BulkString("LUA")
	r.MapLen(2)
	r.BulkString("libraries_count")
	r.Int(int64(libs))
	r.BulkString("functions_count")
	r.Int(int64(funcs))
}

func functionDump(c *server.Ctx) {
	c.R.Bulk(persist.FunctionDump(engine(c).LibraryCodes()))
}

func functionRestore(c *server.Ctx) {
	if len(c.Args) > 4 {
		c.Err(rerr.FunctionSubSyntax(string(c.Args[1])))
		return
	}
	policy := script.RestoreAppend
	if len(c.Args) == 4 {
		switch strings.ToLower(string(c.Args[3])) {
		case "append":
		case "replace":
			policy = script.RestoreReplace
		case "flush":
			policy = script.RestoreFlush
		default:
			c.Err(rerr.FunctionRestorePol)
			return
		}
	}
	codes, err := persist.ParseFunctionDump(c.Args[2])
	if err != nil {
		c.Err(err)
		return
	}
	if err := engine(c).RestoreLibraries(codes, policy); err != nil {
		c.Err(err)
		return
	}
	changed(c)
	c.OK()
}

// functionKill may run without the execution lock, as SCRIPT KILL does.
func functionKill(c *server.Ctx) {
	e, _ := c.Srv.Scripts.(*script.Engine)
	if e == nil {
		c.Err(rerr.NotBusy)
		return
	}
	if err := e.Kill(true); err != nil {
		c.Err(err)
		return
	}
	c.OK()
}

var functionHelpLines = []string{
	"LOAD [REPLACE] <FUNCTION CODE>",
	"    Create a new library with the given library name and code.",
	"DELETE <LIBRARY NAME>",
	"    Delete the given library.",
	"LIST [LIBRARYNAME PATTERN] [WITHCODE]",
	"    Return general information on all the libraries:",
	"    * Library name",
	"    * The engine used to run the Library",
	"    * Library description",
	"    * Functions list",
	"    * Library code (if WITHCODE is given)",
	"    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
	"STATS",
	"    Return information about the current function running:",
	"    * Function name",
	"    * Command used to run the function",
	"    * Duration in MS that the function is running",
	"    If no function is running, return nil",
	"    In addition, returns a list of available engines.",
	"KILL",
	"    Kill the current running function.",
	"FLUSH [ASYNC|SYNC]",
	"    Delete all the libraries.",
	"    When called without the optional mode argument, the behavior is determined by the",
	"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
	"    * ASYNC: Asynchronously flush the libraries.",
	"    * SYNC: Synchronously flush the libraries.",
	"DUMP",
	"    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
	"RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
	"    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
	"    control how to handle existing libraries (default APPEND):",
	"    * FLUSH: delete all existing libraries.",
	"    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
	"    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
	"      libraries with the new libraries (notice that even on this option there is a chance of failure",
	"      in case of functions name collision with another library).",
}

func functionHelp(c *server.Ctx) { server.ReplyHelp(c, "FUNCTION", functionHelpLines) }

// installInfo gives INFO memory the engine's counts of cached scripts,
// functions and libraries (unless another hook is installed already).
func installInfo(s *server.Server, e *script.Engine) {
	if s.Hooks.ScriptStats != nil {
		return
	}
	s.Hooks.ScriptStats = func() server.ScriptStats {
		libs, funcs := e.FunctionCounts()
		return server.ScriptStats{Scripts: e.Len(), Functions: funcs, Libraries: libs,
			Memory: e.VMMemory(), FunctionsMemory: e.FunctionsMemory(),
			ScriptsOverhead: e.ScriptsOverhead(), FunctionsOverhead: e.FunctionsOverhead()}
	}
}
