package server

import (
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/moonkv/moonkv/internal/rerr"
)

// CLIENT SETINFO, PAUSE/UNPAUSE, TRACKING, CACHING, GETREDIR,
// TRACKINGINFO and UNBLOCK are not registered: SETINFO does not exist in
// Redis 7.0 (clients that send it on connect ignore the error), and moonkv
// does not implement the others yet.
func clientSpec() *Spec {
	base := NoScript | Loading | Stale
	conn := CatConnection
	return &Spec{Name: "client", Arity: -2, Group: "connection", Since: "2.4.0",
		Summary: "A container for client connection commands.", Complexity: "Depends on subcommand.",
		Subs: map[string]*Spec{
			"id": {Arity: 2, Flags: base, Categories: conn, Since: "5.0.0",
				Summary: "Returns the unique client ID of the connection.", Complexity: "O(1)", Handler: cmdClientID},
			"setname": {Arity: 3, Flags: base, Categories: conn, Since: "2.6.9",
				Summary: "Sets the connection name.", Complexity: "O(1)",
				Args: []ArgDoc{{Name: "connection-name", Type: "string"}}, Handler: cmdClientSetName},
			"getname": {Arity: 2, Flags: base, Categories: conn, Since: "2.6.9",
				Summary: "Returns the name of the connection.", Complexity: "O(1)", Handler: cmdClientGetName},
			"list": {Arity: -2, Flags: Admin | base, Categories: conn, Since: "2.4.0",
				Summary:    "Lists open connections.",
				Complexity: "O(N) where N is the number of client connections",
				Tips:       []string{"nondeterministic_output"},
				History: [][2]string{{"2.8.12", "Added unique client `id` field."}, {"5.0.0", "Added optional `TYPE` filter."},
					{"6.0.0", "Added `user` field."}, {"6.2.0", "Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter."},
					{"7.0.0", "Added `resp`, `multi-mem`, `rbs` and `rbp` fields."}, {"7.0.3", "Added `ssub` field."}},
				Args: []ArgDoc{
					{Name: "normal_master_replica_pubsub", Type: "oneof", Token: "TYPE", Optional: true, Since: "5.0.0", Sub: []ArgDoc{
						{Name: "normal", Type: "pure-token", Token: "NORMAL"}, {Name: "master", Type: "pure-token", Token: "MASTER"},
						{Name: "replica", Type: "pure-token", Token: "REPLICA"}, {Name: "pubsub", Type: "pure-token", Token: "PUBSUB"}}},
					{Name: "id", Type: "block", Token: "ID", Optional: true, Since: "6.2.0", Sub: []ArgDoc{
						{Name: "client-id", Type: "integer", Multiple: true}}}},
				Handler: cmdClientList},
			"info": {Arity: 2, Flags: base, Categories: conn, Since: "6.2.0",
				Summary: "Returns information about the connection.", Complexity: "O(1)",
				Tips: []string{"nondeterministic_output"}, Handler: cmdClientInfo},
			"kill": {Arity: -3, Flags: Admin | base, Categories: conn, Since: "2.4.0",
				Summary:    "Terminates open connections.",
				Complexity: "O(N) where N is the number of client connections",
				History: [][2]string{{"2.8.12", "Added new filter format."}, {"2.8.12", "`ID` option."},
					{"3.2.0", "Added `master` type in for `TYPE` option."},
					{"5.0.0", "Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility."},
					{"6.2.0", "`LADDR` option."}},
				Args: []ArgDoc{{Name: "filter", Type: "oneof", Sub: []ArgDoc{
					{Name: "ip:port", Type: "string", DeprecatedSince: "2.8.12"},
					{Name: "new-format", Type: "oneof", Multiple: true, Sub: []ArgDoc{
						{Name: "client-id", Type: "integer", Token: "ID", Optional: true, Since: "2.8.12"},
						{Name: "normal_master_slave_pubsub", Type: "oneof", Token: "TYPE", Optional: true, Since: "2.8.12", Sub: []ArgDoc{
							{Name: "normal", Type: "pure-token", Token: "NORMAL"}, {Name: "master", Type: "pure-token", Token: "MASTER", Since: "3.2.0"},
							{Name: "slave", Type: "pure-token", Token: "SLAVE"}, {Name: "replica", Type: "pure-token", Token: "REPLICA", Since: "5.0.0"},
							{Name: "pubsub", Type: "pure-token", Token: "PUBSUB"}}},
						{Name: "username", Type: "string", Token: "USER", Optional: true},
						{Name: "ip:port", Type: "string", Token: "ADDR", Optional: true},
						{Name: "ip:port", Type: "string", Token: "LADDR", Optional: true, Since: "6.2.0"},
						{Name: "yes/no", Type: "string", Token: "SKIPME", Optional: true}}}}}},
				Handler: cmdClientKill},
			"no-evict": {Arity: 3, Flags: Admin | base, Categories: conn, Since: "7.0.0",
				Summary: "Sets the client eviction mode of the connection.", Complexity: "O(1)",
				Args: []ArgDoc{{Name: "enabled", Type: "oneof", Sub: []ArgDoc{
					{Name: "on", Type: "pure-token", Token: "ON"}, {Name: "off", Type: "pure-token", Token: "OFF"}}}},
				Handler: cmdClientNoEvict},
			"reply": {Arity: 3, Flags: base, Categories: conn, Since: "3.2.0",
				Summary: "Instructs the server whether to reply to commands.", Complexity: "O(1)",
				Args: []ArgDoc{{Name: "on_off_skip", Type: "oneof", Sub: []ArgDoc{
					{Name: "on", Type: "pure-token", Token: "ON"}, {Name: "off", Type: "pure-token", Token: "OFF"},
					{Name: "skip", Type: "pure-token", Token: "SKIP"}}}},
				Handler: cmdClientReply},
			"help": {Arity: 2, Flags: Loading | Stale, Categories: conn, Since: "5.0.0",
				Summary: "Returns helpful text about the different subcommands.", Complexity: "O(1)", Handler: cmdClientHelp},
		}}
}

func cmdClientID(c *Ctx) { c.R.Int(c.Client.ID) }

func cmdClientSetName(c *Ctx) {
	if !validClientName(c.Args[2]) {
		c.Err(rerr.BadClientName)
		return
	}
	c.Client.Name = string(c.Args[2])
	c.OK()
}

func cmdClientGetName(c *Ctx) {
	if c.Client.Name == "" {
		c.R.Null()
		return
	}
	c.R.BulkString(c.Client.Name)
}

// clientType is CLIENT LIST/KILL's TYPE of a connection. moonkv has no
// replication, so every client is normal or pubsub.
func (s *Server) clientType(c *Client) string {
	if s.Hooks.InPubSub != nil && s.Hooks.InPubSub(c) {
		return "pubsub"
	}
	return "normal"
}

func validClientType(t string) (string, bool) {
	switch strings.ToLower(t) {
	case "normal":
		return "normal", true
	case "slave", "replica":
		return "replica", true
	case "pubsub":
		return "pubsub", true
	case "master":
		return "master", true
	}
	return "", false
}

func cmdClientList(c *Ctx) {
	s := c.Srv
	var list []*Client
	switch {
	case len(c.Args) == 2:
		list = s.liveClients()
	case len(c.Args) == 4 && Is(c.Args[2], "type"):
		t, ok := validClientType(string(c.Args[3]))
		if !ok {
			c.Err(rerr.UnknownClientType(string(c.Args[3])))
			return
		}
		for _, cl := range s.liveClients() {
			if s.clientType(cl) == t {
				list = append(list, cl)
			}
		}
	case len(c.Args) > 3 && Is(c.Args[2], "id"):
		all := map[int64]*Client{}
		for _, cl := range s.liveClients() {
			all[cl.ID] = cl
		}
		for _, a := range c.Args[3:] {
			id, ok := ParseInt(a)
			if !ok {
				c.Err(rerr.InvalidClientID)
				return
			}
			if cl := all[id]; cl != nil {
				list = append(list, cl)
			}
		}
	default:
		c.Err(rerr.Syntax)
		return
	}
	var b []byte
	for _, cl := range list {
		b = s.appendClientInfo(b, cl, c)
		b = append(b, '\n')
	}
	c.R.Verbatim("txt", string(b))
}

func cmdClientInfo(c *Ctx) {
	b := c.Srv.appendClientInfo(nil, c.Client, c)
	b = append(b, '\n')
	c.R.Verbatim("txt", string(b))
}

// appendClientInfo renders one CLIENT LIST line with Redis 7.0's fields in
// Redis's order. Sizes are moonkv's own: the query buffer is the reader's
// unread bytes, the reply buffer the writer's buffer.
func (s *Server) appendClientInfo(b []byte, cl *Client, caller *Ctx) []byte {
	now := time.Now()
	kv := func(k string, v string) {
		if len(b) > 0 && b[len(b)-1] != '\n' {
			b = append(b, ' ')
		}
		b = append(b, k...)
		b = append(b, '=')
		b = append(b, v...)
	}
	num := func(k string, v int64) { kv(k, strconv.FormatInt(v, 10)) }

	flags := ""
	if s.clientType(cl) == "pubsub" {
		flags += "P"
	}
	if cl.multi != nil {
		flags += "x"
	}
	if cl.Blocked() {
		flags += "b"
	}
	if cl.watchDirty {
		flags += "d"
	}
	if cl.closeAfterReply {
		flags += "c"
	}
	if s.adm.noEvict(cl) {
		flags += "e"
	}
	if flags == "" {
		flags = "N"
	}
	multi := int64(-1)
	multiMem := int64(0)
	if cl.multi != nil {
		multi = int64(len(cl.multi.cmds))
		for _, q := range cl.multi.cmds {
			multiMem += int64(cap(q.args))*24 + 16
			for _, a := range q.args {
				multiMem += int64(len(a))
			}
		}
	}
	argvMem := int64(0)
	if caller != nil && caller.Client == cl {
		for _, a := range caller.Args {
			argvMem += int64(len(a))
		}
	}
	// Buffers belong to the client's goroutine, which reads and writes
	// them without the execution lock: only the caller's are measured (the
	// others are idle between commands, their buffers reported empty).
	var qbuf, obuf, qcap int
	var rbs int64
	if caller != nil && caller.Client == cl {
		qbuf, obuf = cl.Buffered()
		qcap = cl.rd.Cap()
		rbs = int64(cap(cl.out.Buf))
	}
	sub, psub, ssub := 0, 0, 0
	if s.Hooks.SubCounts != nil {
		sub, psub, ssub = s.Hooks.SubCounts(cl)
	}
	cmd := cl.LastCmd
	if caller != nil && caller.Client == cl {
		cmd = caller.Spec.Name
	}
	if cmd == "" {
		cmd = "NULL"
	}
	events := "r"
	if obuf > 0 {
		events = "rw"
	}

	num("id", cl.ID)
	kv("addr", cl.Addr)
	kv("laddr", cl.LocalAddr)
	num("fd", int64(cl.FD()))
	kv("name", cl.Name)
	num("age", int64(now.Sub(cl.Created)/time.Second))
	num("idle", int64(cl.IdleTime()/time.Second))
	kv("flags", flags)
	num("db", int64(cl.db))
	num("sub", int64(sub))
	num("psub", int64(psub))
	num("ssub", int64(ssub))
	num("multi", multi)
	num("qbuf", int64(qbuf))
	num("qbuf-free", int64(qcap-qbuf))
	num("argv-mem", argvMem)
	num("multi-mem", multiMem)
	num("rbs", rbs)
	num("rbp", rbs)
	num("obl", int64(obuf))
	num("oll", 0)
	num("omem", 0)
	num("tot-mem", int64(qcap)+rbs+argvMem+multiMem+clientOverhead)
	kv("events", events)
	kv("cmd", cmd)
	kv("user", "default")
	num("redir", -1)
	num("resp", int64(cl.Proto()))
	return b
}

// liveClients lists the connected clients minus those already killed
// whose goroutines have not finished yet (Redis frees a killed client at
// once, so it never shows in a later listing).
func (s *Server) liveClients() []*Client {
	all := s.Clients()
	out := all[:0]
	for _, c := range all {
		if !c.killed.Load() {
			out = append(out, c)
		}
	}
	return out
}

// clientOverhead is the approximate fixed memory of a connection: the
// Client, its reader and goroutine stack.
const clientOverhead = 8 * 1024

// connFD is the connection's file descriptor, or -1 when it has none.
// FD is the client's socket descriptor (CLIENT LIST's fd).
func (c *Client) FD() int {
	c.connMu.Lock()
	defer c.connMu.Unlock()
	if c.lp != nil {
		return c.fd
	}
	return connFD(c.conn)
}

func connFD(c net.Conn) int {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return -1
	}
	raw, err := tc.SyscallConn()
	if err != nil {
		return -1
	}
	fd := -1
	raw.Control(func(f uintptr) { fd = int(f) })
	return fd
}

func cmdClientKill(c *Ctx) {
	s := c.Srv
	var (
		id          int64
		typ         string
		addr, laddr *string
		skipme      = true
	)
	if len(c.Args) == 3 {
		a := string(c.Args[2])
		addr = &a
		skipme = false
	} else {
		for i := 2; i < len(c.Args); i += 2 {
			more := i+1 < len(c.Args)
			opt := c.Args[i]
			if !more {
				c.Err(rerr.Syntax)
				return
			}
			val := string(c.Args[i+1])
			switch {
			case Is(opt, "id"):
				n, ok := ParseInt(c.Args[i+1])
				if !ok || n < 1 {
					c.Err(rerr.ClientIDZero)
					return
				}
				id = n
			case Is(opt, "type"):
				t, ok := validClientType(val)
				if !ok {
					c.Err(rerr.UnknownClientType(val))
					return
				}
				typ = t
			case Is(opt, "addr"):
				addr = &val
			case Is(opt, "laddr"):
				laddr = &val
			case Is(opt, "user"):
				if val != "default" {
					c.Err(rerr.NoSuchUser(val))
					return
				}
			case Is(opt, "skipme"):
				switch {
				case Is(c.Args[i+1], "yes"):
					skipme = true
				case Is(c.Args[i+1], "no"):
					skipme = false
				default:
					c.Err(rerr.Syntax)
					return
				}
			default:
				c.Err(rerr.Syntax)
				return
			}
		}
	}
	killed := 0
	self := false
	for _, cl := range s.liveClients() {
		if addr != nil && cl.Addr != *addr {
			continue
		}
		if laddr != nil && cl.LocalAddr != *laddr {
			continue
		}
		if typ != "" && s.clientType(cl) != typ {
			continue
		}
		if id != 0 && cl.ID != id {
			continue
		}
		if cl == c.Client {
			if skipme {
				continue
			}
			self = true
		} else {
			cl.Kill()
		}
		killed++
	}
	if len(c.Args) == 3 {
		if killed == 0 {
			c.Err(rerr.NoSuchClient)
		} else {
			c.OK()
		}
	} else {
		c.R.Int(int64(killed))
	}
	if self {
		c.Client.CloseAfterReply()
	}
}

func cmdClientNoEvict(c *Ctx) {
	switch {
	case Is(c.Args[2], "on"):
		c.Srv.adm.setNoEvict(c.Client, true)
	case Is(c.Args[2], "off"):
		c.Srv.adm.setNoEvict(c.Client, false)
	default:
		c.Err(rerr.Syntax)
		return
	}
	c.OK()
}

// CLIENT REPLY states (Client.replyMode).
const (
	replyOff      = 1 << iota // no replies until CLIENT REPLY ON
	replySkip                 // the running command's reply is dropped
	replySkipNext             // set by CLIENT REPLY SKIP for the next command
)

func cmdClientReply(c *Ctx) {
	cl := c.Client
	switch {
	case Is(c.Args[2], "on"):
		cl.replyMode &^= replyOff | replySkip | replySkipNext
		c.OK()
	case Is(c.Args[2], "off"):
		cl.replyMode |= replyOff
	case Is(c.Args[2], "skip"):
		if cl.replyMode&replyOff == 0 {
			cl.replyMode |= replySkipNext
		}
	default:
		c.Err(rerr.Syntax)
	}
}

// applyReplyMode runs after each command while CLIENT REPLY is not ON: it
// drops the reply the command wrote (from mark on) when replies are off or
// skipped, and moves a pending SKIP onto the next command, as Redis's
// resetClient does.
func (c *Client) applyReplyMode(mark int) {
	if c.replyMode&(replyOff|replySkip) != 0 && len(c.out.Buf) >= mark {
		c.out.Buf = c.out.Buf[:mark]
	}
	c.replyMode &^= replySkip
	if c.replyMode&replySkipNext != 0 {
		c.replyMode = c.replyMode&^replySkipNext | replySkip
	}
}

func cmdClientHelp(c *Ctx) {
	ReplyHelp(c, "CLIENT", clientHelp)
}

// clientHelp is Redis 7.0's CLIENT HELP text, subcommands moonkv does not
// have included, so that clients reading it see what Redis prints.
var clientHelp = []string{
	"CACHING (YES|NO)",
	"    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
	"GETREDIR",
	"    Return the client ID we are redirecting to when tracking is enabled.",
	"GETNAME",
	"    Return the name of the current connection.",
	"ID",
	"    Return the ID of the current connection.",
	"INFO",
	"    Return information about the current client connection.",
	"KILL <ip:port>",
	"    Kill connection made from <ip:port>.",
	"KILL <option> <value> [<option> <value> [...]]",
	"    Kill connections. Options are:",
	"    * ADDR (<ip:port>|<unixsocket>:0)",
	"      Kill connections made from the specified address",
	"    * LADDR (<ip:port>|<unixsocket>:0)",
	"      Kill connections made to specified local address",
	"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
	"      Kill connections by type.",
	"    * USER <username>",
	"      Kill connections authenticated by <username>.",
	"    * SKIPME (YES|NO)",
	"      Skip killing current connection (default: yes).",
	"LIST [options ...]",
	"    Return information about client connections. Options:",
	"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
	"      Return clients of specified type.",
	"UNPAUSE",
	"    Stop the current client pause, resuming traffic.",
	"PAUSE <timeout> [WRITE|ALL]",
	"    Suspend all, or just write, clients for <timeout> milliseconds.",
	"REPLY (ON|OFF|SKIP)",
	"    Control the replies sent to the current connection.",
	"SETNAME <name>",
	"    Assign the name <name> to the current connection.",
	"UNBLOCK <clientid> [TIMEOUT|ERROR]",
	"    Unblock the specified blocked client.",
	"TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
	"         [OPTIN] [OPTOUT] [NOLOOP]",
	"    Control server assisted client side caching.",
	"TRACKINGINFO",
	"    Report tracking status for the current connection.",
	"NO-EVICT (ON|OFF)",
	"    Protect current client connection from eviction.",
}

// adminState is the per-server state of the administration commands.
type adminState struct {
	mu       sync.Mutex
	noEvicts map[int64]bool
	lastSave int64 // Unix seconds
	ops      opsSampler
	live     liveConfig

	runID, replID     string
	peakMem, startMem int64
	// dirtyAtSave and saves feed INFO persistence; the persistence layer
	// updates them through SetLastSave.
	dirtyAtSave int64
	saves       int64
}

func (a *adminState) setNoEvict(c *Client, on bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if on {
		if a.noEvicts == nil {
			a.noEvicts = map[int64]bool{}
		}
		a.noEvicts[c.ID] = true
	} else {
		delete(a.noEvicts, c.ID)
	}
}

func (a *adminState) noEvict(c *Client) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.noEvicts[c.ID]
}

// ConnHooks let other parts of moonkv (pub/sub, persistence) take part in
// the connection and server commands without those knowing them.
type ConnHooks struct {
	// InPubSub reports whether a client is in subscribe mode (PING's RESP2
	// reply, CLIENT LIST's P flag and TYPE pubsub).
	InPubSub func(c *Client) bool
	// SubCounts reports a client's channel, pattern and shard-channel
	// subscriptions (CLIENT LIST sub/psub/ssub).
	SubCounts func(c *Client) (channels, patterns, shard int)
	// OnReset run on RESET (leaving pub/sub).
	OnReset []func(c *Client)
	// Save writes a snapshot for SHUTDOWN SAVE; nil when moonkv has no
	// persistence configured.
	Save func() error
	// BlockedClients counts clients blocked in BLPOP and the like.
	BlockedClients func() int
	// PubSubCounts reports the server's channels, patterns and shard
	// channels with subscribers (INFO stats).
	PubSubCounts func() (channels, patterns, shard int)
	// ScriptStats reports the scripting engine's figures (INFO memory).
	ScriptStats func() ScriptStats
}

// ScriptStats are the scripting figures INFO memory reports.
type ScriptStats struct {
	Memory          int64 // the EVAL Lua state's
	FunctionsMemory int64 // the functions' Lua state's
	// the engine's own memory for cached scripts and for libraries
	ScriptsOverhead, FunctionsOverhead int64
	Scripts, Functions, Libraries      int
}
