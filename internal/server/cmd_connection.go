package server

import (
	"strings"

	"github.com/moonkv/moonkv/internal/rerr"
)

// RegisterConnection adds the connection commands: PING, ECHO, QUIT,
// RESET, SELECT, AUTH, HELLO and CLIENT.
func RegisterConnection(r *Registry) {
	conn := CatConnection
	always := NoScript | Loading | Stale | Fast | NoAuth | AllowBusy
	r.Add(
		&Spec{Name: "ping", Arity: -1, Flags: Fast, Categories: conn,
			Tips:  []string{"request_policy:all_shards", "response_policy:all_succeeded"},
			Group: "connection", Since: "1.0.0", Summary: "Returns the server's liveliness response.", Complexity: "O(1)",
			Args: []ArgDoc{{Name: "message", Type: "string", Optional: true}}, Handler: cmdPing},
		&Spec{Name: "echo", Arity: 2, Flags: Loading | Stale | Fast, Categories: conn,
			Group: "connection", Since: "1.0.0", Summary: "Returns the given string.", Complexity: "O(1)",
			Args: []ArgDoc{{Name: "message", Type: "string"}}, Handler: cmdEcho},
		&Spec{Name: "quit", Arity: -1, Flags: always | TxControl, Categories: conn,
			Group: "connection", Since: "1.0.0", Summary: "Closes the connection.", Complexity: "O(1)",
			Handler: cmdQuit},
		&Spec{Name: "reset", Arity: 1, Flags: always | TxControl, Categories: conn,
			Group: "connection", Since: "6.2.0", Summary: "Resets the connection.", Complexity: "O(1)", Handler: cmdReset},
		&Spec{Name: "select", Arity: 2, Flags: Loading | Stale | Fast, Categories: conn,
			Group: "connection", Since: "1.0.0", Summary: "Changes the selected database.", Complexity: "O(1)",
			Args: []ArgDoc{{Name: "index", Type: "integer"}}, Handler: cmdSelect},
		&Spec{Name: "auth", Arity: -2, Flags: always, Categories: conn,
			Group: "connection", Since: "1.0.0", Summary: "Authenticates the connection.",
			Complexity: "O(N) where N is the number of passwords defined for the user",
			History:    [][2]string{{"6.0.0", "Added ACL style (username and password)."}},
			Args:       []ArgDoc{{Name: "username", Type: "string", Optional: true, Since: "6.0.0"}, {Name: "password", Type: "string"}},
			Handler:    cmdAuth},
		&Spec{Name: "hello", Arity: -1, Flags: always, Categories: conn,
			Group: "connection", Since: "6.0.0", Summary: "Handshakes with the Redis server.", Complexity: "O(1)",
			History: [][2]string{{"6.2.0", "`protover` made optional; when called without arguments the command reports the current connection's context."}},
			Args: []ArgDoc{{Name: "arguments", Type: "block", Optional: true, Sub: []ArgDoc{
				{Name: "protover", Type: "integer"},
				{Name: "username_password", Type: "block", Token: "AUTH", Optional: true, Sub: []ArgDoc{
					{Name: "username", Type: "string"}, {Name: "password", Type: "string"}}},
				{Name: "clientname", Type: "string", Token: "SETNAME", Optional: true}}}},
			Handler: cmdHello},
		clientSpec(),
	)
}

func cmdPing(c *Ctx) {
	if len(c.Args) > 2 {
		c.Err(errWrongArityFor(c.Spec))
		return
	}
	if c.R.Proto() == 2 && c.Srv.Hooks.InPubSub != nil && c.Srv.Hooks.InPubSub(c.Client) {
		// In subscribe mode a RESP2 client can only read push-shaped
		// replies: PING answers ["pong", message].
		c.R.ArrayLen(2)
		c.R.BulkString("pong")
		if len(c.Args) == 2 {
			c.R.Bulk(c.Args[1])
		} else {
			c.R.BulkString("")
		}
		return
	}
	if len(c.Args) == 1 {
		c.R.Simple("PONG")
		return
	}
	c.R.Bulk(c.Args[1])
}

func cmdEcho(c *Ctx) { c.R.Bulk(c.Args[1]) }

func cmdQuit(c *Ctx) {
	c.OK()
	c.Client.CloseAfterReply()
}

func cmdSelect(c *Ctx) {
	n, ok := ParseInt(c.Args[1])
	if !ok {
		c.Err(rerr.NotInt)
		return
	}
	if n < -1<<31 || n > 1<<31-1 {
		c.Err(rerr.DBIndexRange)
		return
	}
	if n < 0 || n >= int64(len(c.KS.DBs)) {
		c.Err(rerr.DBIndex)
		return
	}
	c.Client.SetDB(int(n))
	c.DB = c.KS.DBs[n]
	c.OK()
}

// ResetClient brings a connection back to the state of a new one (RESET):
// no transaction or watched keys, database 0, RESP2, no name, not
// authenticated when a password is required, and whatever the Hooks.OnReset
// functions undo (pub/sub subscriptions).
func (s *Server) ResetClient(c *Client) {
	c.multi = nil
	c.unwatchAll()
	c.db = 0
	c.SetProto(2)
	c.Name = ""
	c.SetAuthenticated(s.Cfg.RequirePass == "")
	c.replyMode &^= replyOff | replySkipNext
	s.adm.setNoEvict(c, false)
	for _, f := range s.Hooks.OnReset {
		f(c)
	}
}

func cmdReset(c *Ctx) {
	c.Srv.ResetClient(c.Client)
	c.R.Simple("RESET")
}

// checkPassword authenticates user/pass against the default user, the only
// user moonkv has: without requirepass it accepts any password (nopass).
func (s *Server) checkPassword(user, pass []byte) bool {
	if string(user) != "default" {
		return false
	}
	return s.Cfg.RequirePass == "" || string(pass) == s.Cfg.RequirePass
}

func cmdAuth(c *Ctx) {
	if len(c.Args) > 3 {
		c.Err(rerr.Syntax)
		return
	}
	user, pass := []byte("default"), c.Args[1]
	if len(c.Args) == 3 {
		user, pass = c.Args[1], c.Args[2]
	} else if c.Srv.Cfg.RequirePass == "" {
		c.Err(rerr.AuthNoPassword)
		return
	}
	if !c.Srv.checkPassword(user, pass) {
		c.Err(rerr.WrongPass)
		return
	}
	c.Client.SetAuthenticated(true)
	c.OK()
}

func cmdHello(c *Ctx) {
	ver := int64(0)
	next := 1
	if len(c.Args) >= 2 {
		v, ok := ParseInt(c.Args[1])
		if !ok {
			c.Err(rerr.ProtoNotInt)
			return
		}
		if v < 2 || v > 3 {
			c.Err(rerr.NoProto)
			return
		}
		ver = v
		next = 2
	}
	var user, pass, name []byte
	for j := next; j < len(c.Args); j++ {
		more := len(c.Args) - 1 - j
		switch {
		case Is(c.Args[j], "auth") && more >= 2:
			user, pass = c.Args[j+1], c.Args[j+2]
			j += 2
		case Is(c.Args[j], "setname") && more >= 1:
			name = c.Args[j+1]
			j++
		default:
			c.Err(rerr.HelloOption(string(c.Args[j])))
			return
		}
	}
	if user != nil {
		if !c.Srv.checkPassword(user, pass) {
			c.Err(rerr.WrongPass)
			return
		}
		c.Client.SetAuthenticated(true)
	}
	if c.Srv.Cfg.RequirePass != "" && !c.Client.Authenticated() {
		c.Err(rerr.HelloNoAuth)
		return
	}
	if name != nil {
		if !validClientName(name) {
			c.Err(rerr.BadClientName)
			return
		}
		c.Client.Name = string(name)
	}
	if ver != 0 {
		c.Client.SetProto(int(ver))
	}
	r := c.R
	r.MapLen(7)
	r.BulkString("server")
	r.BulkString("redis")
	r.BulkString("version")
	r.BulkString(RedisVersion)
	r.BulkString("proto")
	r.Int(int64(c.Client.Proto()))
	r.BulkString("id")
	r.Int(c.Client.ID)
	r.BulkString("mode")
	r.BulkString("standalone")
	r.BulkString("role")
	r.BulkString("master")
	r.BulkString("modules")
	r.ArrayLen(0)
}

// validClientName accepts what Redis accepts: printable ASCII without
// spaces (the empty name clears it).
func validClientName(b []byte) bool {
	for _, ch := range b {
		if ch < '!' || ch > '~' {
			return false
		}
	}
	return true
}

// lowerName is a command's name as Redis reports it in CLIENT LIST.
func lowerName(s *Spec) string { return strings.ToLower(s.Name) }
