package server

import "testing"

func TestAllowProtected(t *testing.T) {
	local := &Client{Addr: "127.0.0.1:5000"}
	local6 := &Client{Addr: "[::1]:5000"}
	remote := &Client{Addr: "10.1.2.3:5000"}
	for _, c := range []struct {
		setting string
		c       *Client
		want    bool
	}{
		{"no", local, false}, {"no", remote, false},
		{"yes", local, true}, {"yes", remote, true},
		{"local", local, true}, {"local", local6, true}, {"local", remote, false},
		{"local", &Client{Addr: "127.8.9.10:1"}, true}, {"local", nil, false},
	} {
		if got := allowProtected(c.setting, c.c); got != c.want {
			addr := "<nil>"
			if c.c != nil {
				addr = c.c.Addr
			}
			t.Errorf("%s from %s: %v, want %v", c.setting, addr, got, c.want)
		}
	}
}
