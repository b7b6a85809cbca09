package server

import (
	"sort"
	"strings"

	"github.com/moonkv/moonkv/internal/glob"
	"github.com/moonkv/moonkv/internal/rerr"
	"github.com/moonkv/moonkv/internal/resp"
)

func commandSpec() *Spec {
	ls := Loading | Stale
	conn := CatConnection
	names := []ArgDoc{{Name: "command-name", Type: "string", Optional: true, Multiple: true}}
	return &Spec{Name: "command", Arity: -1, Flags: ls, Categories: conn, Tips: []string{"nondeterministic_output_order"},
		Group: "server", Since: "2.8.13", Summary: "Returns detailed information about all commands.",
		Complexity: "O(N) where N is the total number of Redis commands", Handler: cmdCommand,
		Subs: map[string]*Spec{
			"count": {Arity: 2, Flags: ls, Categories: conn, Since: "2.8.13",
				Summary: "Returns a count of commands.", Complexity: "O(1)", Handler: cmdCommandCount},
			"info": {Arity: -2, Flags: ls, Categories: conn, Since: "2.8.13", Tips: []string{"nondeterministic_output_order"},
				Summary:    "Returns information about one, multiple or all commands.",
				Complexity: "O(N) where N is the number of commands to look up",
				History:    [][2]string{{"7.0.0", "Allowed to be called with no argument to get info on all commands."}},
				Args:       names, Handler: cmdCommandInfo},
			"list": {Arity: -2, Flags: ls, Categories: conn, Since: "7.0.0", Tips: []string{"nondeterministic_output_order"},
				Summary:    "Returns a list of command names.",
				Complexity: "O(N) where N is the total number of Redis commands",
				Args: []ArgDoc{{Name: "filterby", Type: "oneof", Token: "FILTERBY", Optional: true, Sub: []ArgDoc{
					{Name: "module-name", Type: "string", Token: "MODULE"},
					{Name: "category", Type: "string", Token: "ACLCAT"},
					{Name: "pattern", Type: "pattern", Token: "PATTERN"}}}},
				Handler: cmdCommandList},
			"getkeys": {Arity: -4, Flags: ls, Categories: conn, Since: "2.8.13",
				Summary:    "Extracts the key names from an arbitrary command.",
				Complexity: "O(N) where N is the number of arguments to the command",
				Handler:    func(c *Ctx) { getKeysReply(c, false) }},
			"getkeysandflags": {Arity: -4, Flags: ls, Categories: conn, Since: "7.0.0",
				Summary:    "Extracts the key names and access flags for an arbitrary command.",
				Complexity: "O(N) where N is the number of arguments to the command",
				Handler:    func(c *Ctx) { getKeysReply(c, true) }},
			"docs": {Arity: -2, Flags: ls, Categories: conn, Since: "7.0.0", Tips: []string{"nondeterministic_output_order"},
				Summary:    "Returns documentary information about one, multiple or all commands.",
				Complexity: "O(N) where N is the number of commands to look up",
				Args:       names, Handler: cmdCommandDocs},
			"help": {Arity: 2, Flags: ls, Categories: conn, Since: "5.0.0",
				Summary: "Returns helpful text about the different subcommands.", Complexity: "O(1)", Handler: cmdCommandHelp},
		}}
}

// sortedSpecs returns the top-level commands by name, for replies whose
// order Redis leaves to its hash table.
func (r *Registry) sortedSpecs() []*Spec {
	all := r.All()
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	return all
}

func sortedSubs(s *Spec) []*Spec {
	out := make([]*Spec, 0, len(s.Subs))
	for _, sub := range s.Subs {
		out = append(out, sub)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// lookupFullName finds "get" or "config|get" in any case.
func (r *Registry) lookupFullName(name string) *Spec {
	parent, sub, has := strings.Cut(strings.ToLower(name), "|")
	s := r.Lookup([]byte(parent))
	if s == nil || !has {
		return s
	}
	if s.Subs == nil || strings.Contains(sub, "|") {
		return nil
	}
	return s.Subs[sub]
}

func cmdCommand(c *Ctx) {
	all := c.Srv.Reg.sortedSpecs()
	c.R.ArrayLen(len(all))
	for _, s := range all {
		replyCommandInfo(c.R, s)
	}
}

func cmdCommandCount(c *Ctx) { c.R.Int(int64(c.Srv.Reg.Len())) }

func cmdCommandInfo(c *Ctx) {
	if len(c.Args) == 2 {
		cmdCommand(c)
		return
	}
	c.R.ArrayLen(len(c.Args) - 2)
	for _, a := range c.Args[2:] {
		if s := c.Srv.Reg.lookupFullName(string(a)); s != nil {
			replyCommandInfo(c.R, s)
		} else {
			c.R.Null()
		}
	}
}

// replyCommandInfo writes one command's COMMAND INFO entry as Redis 7.0
// does: name, arity, flags, first/last/step, ACL categories, tips, key
// specs, subcommands.
func replyCommandInfo(r resp.Replier, s *Spec) {
	r.ArrayLen(10)
	r.BulkString(s.Name)
	r.Int(int64(s.Arity))
	flags := s.Flags.Names()
	r.SetLen(len(flags))
	for _, f := range flags {
		r.Simple(f)
	}
	r.Int(int64(s.FirstKey))
	r.Int(int64(s.LastKey))
	r.Int(int64(s.Step))
	cats := s.AllCategories().Names()
	r.SetLen(len(cats))
	for _, cat := range cats {
		r.Simple(cat)
	}
	r.SetLen(len(s.Tips))
	for _, t := range s.Tips {
		r.BulkString(t)
	}
	r.SetLen(len(s.KeySpecs))
	for _, ks := range s.KeySpecs {
		replyKeySpec(r, ks)
	}
	if s.Subs == nil {
		r.SetLen(0)
		return
	}
	subs := sortedSubs(s)
	r.ArrayLen(len(subs))
	for _, sub := range subs {
		replyCommandInfo(r, sub)
	}
}

// keySpecFlagOrder is the order, and spelling, in which Redis prints key
// spec flags.
var keySpecFlagOrder = []string{"RO", "RW", "OW", "RM", "access", "update", "insert", "delete",
	"not_key", "incomplete", "variable_flags"}

// KeySpecFlagNames normalizes a key spec's flags to Redis's order and
// spelling ("ACCESS" -> "access").
func KeySpecFlagNames(flags []string) []string {
	var out []string
	for _, want := range keySpecFlagOrder {
		for _, f := range flags {
			if strings.EqualFold(f, want) {
				out = append(out, want)
				break
			}
		}
	}
	return out
}

func replyKeySpec(r resp.Replier, ks KeySpec) {
	n := 3
	if ks.Notes != "" {
		n++
	}
	r.MapLen(n)
	if ks.Notes != "" {
		r.BulkString("notes")
		r.BulkString(ks.Notes)
	}
	flags := KeySpecFlagNames(ks.Flags)
	r.BulkString("flags")
	r.SetLen(len(flags))
	for _, f := range flags {
		r.Simple(f)
	}
	r.BulkString("begin_search")
	r.MapLen(2)
	r.BulkString("type")
	switch {
	case ks.BeginIndex > 0:
		r.BulkString("index")
		r.BulkString("spec")
		r.MapLen(1)
		r.BulkString("index")
		r.Int(int64(ks.BeginIndex))
	case ks.Keyword != "":
		r.BulkString("keyword")
		r.BulkString("spec")
		r.MapLen(2)
		r.BulkString("keyword")
		r.BulkString(ks.Keyword)
		r.BulkString("startfrom")
		r.Int(int64(ks.KeywordFrom))
	default:
		r.BulkString("unknown")
		r.BulkString("spec")
		r.MapLen(0)
	}
	r.BulkString("find_keys")
	r.MapLen(2)
	r.BulkString("type")
	switch {
	case ks.Unknown:
		r.BulkString("unknown")
		r.BulkString("spec")
		r.MapLen(0)
	case ks.KeyNum:
		r.BulkString("keynum")
		r.BulkString("spec")
		r.MapLen(3)
		r.BulkString("keynumidx")
		r.Int(int64(ks.KeyNumIdx))
		r.BulkString("firstkey")
		r.Int(int64(ks.FirstKey))
		r.BulkString("keystep")
		r.Int(int64(ks.KeyStep))
	default:
		r.BulkString("range")
		r.BulkString("spec")
		r.MapLen(3)
		r.BulkString("lastkey")
		r.Int(int64(ks.LastKey))
		r.BulkString("keystep")
		r.Int(int64(ks.KeyStep))
		r.BulkString("limit")
		r.Int(int64(ks.Limit))
	}
}

func cmdCommandList(c *Ctx) {
	var match func(s *Spec) bool
	switch {
	case len(c.Args) == 2:
		match = func(*Spec) bool { return true }
	case len(c.Args) == 5 && Is(c.Args[2], "filterby"):
		val := string(c.Args[4])
		switch {
		case Is(c.Args[3], "module"):
			match = func(*Spec) bool { return false } // moonkv has no modules
		case Is(c.Args[3], "aclcat"):
			cat := categoryByName(val)
			if cat == 0 {
				c.R.ArrayLen(0)
				return
			}
			match = func(s *Spec) bool { return s.AllCategories()&cat != 0 }
		case Is(c.Args[3], "pattern"):
			g := glob.Compile(val, true)
			match = func(s *Spec) bool { return g.Match(s.Name) }
		default:
			c.Err(rerr.Syntax)
			return
		}
	default:
		c.Err(rerr.Syntax)
		return
	}
	var out []string
	for _, s := range c.Srv.Reg.sortedSpecs() {
		if match(s) {
			out = append(out, s.Name)
		}
		for _, sub := range sortedSubs(s) {
			if match(sub) {
				out = append(out, sub.Name)
			}
		}
	}
	c.R.ArrayLen(len(out))
	for _, n := range out {
		c.R.BulkString(n)
	}
}

func categoryByName(name string) Category {
	for i, n := range categoryNames {
		if strings.EqualFold(n, name) {
			return 1 << i
		}
	}
	return 0
}

// hasKeys is Redis's doesCommandHaveKeys: a key-extraction function, or
// at least one key spec that names real keys.
func hasKeys(s *Spec) bool {
	if s.KeysFunc != nil {
		return true
	}
	for _, ks := range s.KeySpecs {
		isKey := true
		for _, f := range ks.Flags {
			if strings.EqualFold(f, "not_key") {
				isKey = false
			}
		}
		if isKey {
			return true
		}
	}
	return false
}

func getKeysReply(c *Ctx, withFlags bool) {
	args := c.Args[2:]
	s := c.Srv.Reg.LookupArgs(args)
	if s != nil && s.Subs != nil && len(args) >= 2 {
		s = nil // an unknown subcommand
	}
	switch {
	case s == nil:
		c.Err(rerr.InvalidCommand)
		return
	case !hasKeys(s):
		c.Err(rerr.NoKeyArgs)
		return
	case (s.Arity > 0 && s.Arity != len(args)) || len(args) < -s.Arity:
		c.Err(rerr.InvalidCmdArgNum)
		return
	}
	keys, flags := keysWithFlags(s, args)
	if len(keys) == 0 {
		if s.Is(NoMandatoryKeys) {
			c.R.ArrayLen(0)
		} else {
			c.Err(rerr.InvalidCmdArgs)
		}
		return
	}
	c.R.ArrayLen(len(keys))
	for i, k := range keys {
		if !withFlags {
			c.R.Bulk(args[k])
			continue
		}
		c.R.ArrayLen(2)
		c.R.Bulk(args[k])
		c.R.SetLen(len(flags[i]))
		for _, f := range flags[i] {
			c.R.Simple(f)
		}
	}
}

// keysWithFlags extracts key positions spec by spec, so that each key
// carries the flags of the key spec that found it.
func keysWithFlags(s *Spec, args [][]byte) ([]int, [][]string) {
	if s.KeysFunc != nil || len(s.KeySpecs) == 0 {
		idx, ok := s.Keys(args)
		if !ok {
			return nil, nil
		}
		var f []string
		if len(s.KeySpecs) > 0 {
			f = KeySpecFlagNames(s.KeySpecs[0].Flags)
		}
		fl := make([][]string, len(idx))
		for i := range fl {
			fl[i] = f
		}
		return idx, fl
	}
	var keys []int
	var flags [][]string
	for _, ks := range s.KeySpecs {
		one := Spec{KeySpecs: []KeySpec{ks}}
		idx, ok := one.Keys(args)
		if !ok {
			return nil, nil
		}
		f := KeySpecFlagNames(ks.Flags)
		for _, i := range idx {
			keys = append(keys, i)
			flags = append(flags, f)
		}
	}
	return keys, flags
}

func cmdCommandDocs(c *Ctx) {
	var list []*Spec
	if len(c.Args) == 2 {
		list = c.Srv.Reg.sortedSpecs()
	} else {
		for _, a := range c.Args[2:] {
			if s := c.Srv.Reg.lookupFullName(string(a)); s != nil {
				list = append(list, s)
			}
		}
	}
	c.R.MapLen(len(list))
	for _, s := range list {
		c.R.BulkString(s.Name)
		replyCommandDocs(c.R, s)
	}
}

func replyCommandDocs(r resp.Replier, s *Spec) {
	n := 1
	for _, present := range []bool{s.Summary != "", s.Since != "", s.Complexity != "", len(s.DocFlags) > 0,
		s.DeprecatedSince != "", s.ReplacedBy != "", len(s.History) > 0, len(s.Args) > 0, s.Subs != nil} {
		if present {
			n++
		}
	}
	r.MapLen(n)
	if s.Summary != "" {
		r.BulkString("summary")
		r.BulkString(s.Summary)
	}
	if s.Since != "" {
		r.BulkString("since")
		r.BulkString(s.Since)
	}
	r.BulkString("group")
	r.BulkString(s.Group)
	if s.Complexity != "" {
		r.BulkString("complexity")
		r.BulkString(s.Complexity)
	}
	if len(s.DocFlags) > 0 {
		r.BulkString("doc_flags")
		r.SetLen(len(s.DocFlags))
		for _, f := range s.DocFlags {
			r.Simple(f)
		}
	}
	if s.DeprecatedSince != "" {
		r.BulkString("deprecated_since")
		r.BulkString(s.DeprecatedSince)
	}
	if s.ReplacedBy != "" {
		r.BulkString("replaced_by")
		r.BulkString(s.ReplacedBy)
	}
	if len(s.History) > 0 {
		r.BulkString("history")
		r.SetLen(len(s.History))
		for _, h := range s.History {
			r.ArrayLen(2)
			r.BulkString(h[0])
			r.BulkString(h[1])
		}
	}
	if len(s.Args) > 0 {
		r.BulkString("arguments")
		replyArgDocs(r, s.Args)
	}
	if s.Subs != nil {
		r.BulkString("subcommands")
		subs := sortedSubs(s)
		r.MapLen(len(subs))
		for _, sub := range subs {
			r.BulkString(sub.Name)
			replyCommandDocs(r, sub)
		}
	}
}

func replyArgDocs(r resp.Replier, args []ArgDoc) {
	r.ArrayLen(len(args))
	for _, a := range args {
		var flags []string
		if a.Optional {
			flags = append(flags, "optional")
		}
		if a.Multiple {
			flags = append(flags, "multiple")
		}
		if a.MultipleToken {
			flags = append(flags, "multiple_token")
		}
		n := 2
		for _, present := range []bool{a.Type == "key", a.Token != "", a.Summary != "", a.Since != "", a.DeprecatedSince != "", len(flags) > 0, len(a.Sub) > 0} {
			if present {
				n++
			}
		}
		r.MapLen(n)
		r.BulkString("name")
		r.BulkString(a.Name)
		r.BulkString("type")
		r.BulkString(a.Type)
		if a.Type == "key" {
			r.BulkString("key_spec_index")
			r.Int(int64(a.KeySpec))
		}
		if a.Token != "" {
			r.BulkString("token")
			r.BulkString(a.Token)
		}
		if a.Summary != "" {
			r.BulkString("summary")
			r.BulkString(a.Summary)
		}
		if a.Since != "" {
			r.BulkString("since")
			r.BulkString(a.Since)
		}
		if a.DeprecatedSince != "" {
			r.BulkString("deprecated_since")
			r.BulkString(a.DeprecatedSince)
		}
		if len(flags) > 0 {
			r.BulkString("flags")
			r.SetLen(len(flags))
			for _, f := range flags {
				r.Simple(f)
			}
		}
		if len(a.Sub) > 0 {
			r.BulkString("arguments")
			replyArgDocs(r, a.Sub)
		}
	}
}

func cmdCommandHelp(c *Ctx) {
	ReplyHelp(c, "COMMAND", []string{
		"(no subcommand)",
		"    Return details about all Redis commands.",
		"COUNT",
		"    Return the total number of commands in this Redis server.",
		"LIST",
		"    Return a list of all commands in this Redis server.",
		"INFO [<command-name> ...]",
		"    Return details about multiple Redis commands.",
		"    If no command names are given, documentation details for all",
		"    commands are returned.",
		"DOCS [<command-name> ...]",
		"    Return documentation details about multiple Redis commands.",
		"    If no command names are given, documentation details for all",
		"    commands are returned.",
		"GETKEYS <full-command>",
		"    Return the keys from a full Redis command.",
		"GETKEYSANDFLAGS <full-command>",
		"    Return the keys and the access flags from a full Redis command.",
	})
}
