package server

import (
	"strings"

	"github.com/moonkv/moonkv/internal/glob"
	"github.com/moonkv/moonkv/internal/rerr"
)

func configSpec() *Spec {
	adm := Admin | NoScript | Loading | Stale
	return &Spec{Name: "config", Arity: -2, Group: "server", Since: "2.0.0",
		Summary: "A container for server configuration commands.", Complexity: "Depends on subcommand.",
		Subs: map[string]*Spec{
			"get": {Arity: -3, Flags: adm, Since: "2.0.0",
				Summary:    "Returns the effective values of configuration parameters.",
				Complexity: "O(N) when N is the number of configuration parameters provided",
				History:    [][2]string{{"7.0.0", "Added the ability to pass multiple pattern parameters in one call"}},
				Args: []ArgDoc{{Name: "parameter", Type: "block", Multiple: true, Sub: []ArgDoc{
					{Name: "parameter", Type: "string"}}}},
				Handler: cmdConfigGet},
			"set": {Arity: -4, Flags: adm, Since: "2.0.0",
				Summary:    "Sets configuration parameters in-flight.",
				Complexity: "O(N) when N is the number of configuration parameters provided",
				Tips:       []string{"request_policy:all_nodes", "response_policy:all_succeeded"},
				History:    [][2]string{{"7.0.0", "Added the ability to set multiple parameters in one call."}},
				Args: []ArgDoc{{Name: "parameter_value", Type: "block", Multiple: true, Sub: []ArgDoc{
					{Name: "parameter", Type: "string"}, {Name: "value", Type: "string"}}}},
				Handler: cmdConfigSet},
			"resetstat": {Arity: 2, Flags: adm, Since: "2.0.0",
				Summary: "Resets the server's statistics.", Complexity: "O(1)", Handler: cmdConfigResetStat},
			"rewrite": {Arity: 2, Flags: adm, Since: "2.8.0",
				Summary: "Persists the effective configuration to file.", Complexity: "O(1)", Handler: cmdConfigRewrite},
			"help": {Arity: 2, Flags: Loading | Stale, Since: "5.0.0",
				Summary: "Returns helpful text about the different subcommands.", Complexity: "O(1)", Handler: cmdConfigHelp},
		}}
}

// configGet returns the names and values CONFIG GET reports for the
// patterns: an exact name is reported as the client spelled it, a pattern
// reports every parameter and alias it matches, each once.
func (s *Server) configGet(patterns []string) [][2]string {
	var out [][2]string
	seen := map[string]bool{}
	for _, pat := range patterns {
		if !strings.ContainsAny(pat, "[*?") {
			p := LookupParam(pat)
			if p == nil || seen[strings.ToLower(pat)] {
				continue
			}
			seen[strings.ToLower(pat)] = true
			out = append(out, [2]string{pat, p.Get(&s.Cfg)})
			continue
		}
		g := glob.Compile(pat, true)
		for _, p := range params {
			for _, name := range append([]string{p.Name}, p.Aliases...) {
				if seen[name] || !g.Match(name) {
					continue
				}
				seen[name] = true
				out = append(out, [2]string{name, p.Get(&s.Cfg)})
			}
		}
	}
	return out
}

func cmdConfigGet(c *Ctx) {
	pats := make([]string, len(c.Args)-2)
	for i, a := range c.Args[2:] {
		pats[i] = string(a)
	}
	res := c.Srv.configGet(pats)
	c.R.MapLen(len(res))
	for _, kv := range res {
		c.R.BulkString(kv[0])
		c.R.BulkString(kv[1])
	}
}

func cmdConfigSet(c *Ctx) {
	if len(c.Args)%2 != 0 {
		c.Err(rerr.ConfigSetSyntax)
		return
	}
	pairs := make([]string, len(c.Args)-2)
	for i, a := range c.Args[2:] {
		pairs[i] = string(a)
	}
	if err := c.Srv.ConfigSet(pairs); err != nil {
		c.Err(err)
		return
	}
	c.OK()
}

func cmdConfigResetStat(c *Ctx) {
	c.Srv.ResetStats()
	c.OK()
}

func cmdConfigRewrite(c *Ctx) {
	path := c.Srv.Cfg.ConfigFile
	if path == "" {
		c.Err(rerr.NoConfigFile)
		return
	}
	if err := RewriteConfigFile(path, &c.Srv.Cfg); err != nil {
		c.Srv.Log.Warn("CONFIG REWRITE failed", "err", err)
		c.Err(rerr.RewriteError(err.Error()))
		return
	}
	c.Srv.Log.Info("CONFIG REWRITE executed with success.")
	c.OK()
}

func cmdConfigHelp(c *Ctx) {
	ReplyHelp(c, "CONFIG", []string{
		"GET <pattern>",
		"    Return parameters matching the glob-like <pattern> and their values.",
		"SET <directive> <value>",
		"    Set the configuration <directive> to <value>.",
		"RESETSTAT",
		"    Reset statistics reported by the INFO command.",
		"REWRITE",
		"    Rewrite the configuration file.",
	})
}

// ReplyHelp writes a HELP reply in Redis's layout (addReplyHelp): a title line, the
// given lines, and the closing HELP entry.
func ReplyHelp(c *Ctx, cmd string, lines []string) {
	c.R.ArrayLen(len(lines) + 3)
	c.R.Simple(cmd + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
	for _, l := range lines {
		c.R.Simple(l)
	}
	c.R.Simple("HELP")
	c.R.Simple("    Prints this help.")
}
