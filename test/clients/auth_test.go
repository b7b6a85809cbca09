package clients

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/moonkv/moonkv"
	"github.com/moonkv/moonkv/test/compat"
	"github.com/redis/go-redis/v9"
)

// exerciseAuth connects with the right password (HELLO 3 AUTH, or AUTH
// after a failed HELLO), with a wrong one, and with none.
func exerciseAuth(addr string, tr *transcript) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, password string
		proto          int
	}{
		{"resp3 right", "secret", 3},
		{"resp2 right", "secret", 2},
		{"resp3 wrong", "wrong", 3},
		{"resp2 wrong", "wrong", 2},
		{"resp3 none", "", 3},
		{"resp2 none", "", 2},
	} {
		rdb := redis.NewClient(&redis.Options{Addr: addr, Password: tc.password, Protocol: tc.proto,
			DialTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, MaxRetries: -1})
		tr.add("%s ping: %s", tc.name, show(rdb.Ping(ctx).Result()))
		tr.add("%s set: %s", tc.name, show(rdb.Set(ctx, "k", tc.name, 0).Result()))
		rdb.Close()
	}
}

func TestGoRedisAuth(t *testing.T) {
	mode := compat.ModeFromEnv(t)
	const golden = "testdata/goredis_auth.golden"
	srv, err := moonkv.Start(moonkv.Config{Password: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	var got transcript
	exerciseAuth(srv.Addr(), &got)

	var want []string
	if mode.Live {
		// StartRedis checks readiness with an unauthenticated PING, so
		// the password is set once it is up
		addr := compat.StartRedis(t)
		admin := redis.NewClient(&redis.Options{Addr: addr})
		if err := admin.ConfigSet(context.Background(), "requirepass", "secret").Err(); err != nil {
			t.Fatal(err)
		}
		admin.Close()
		var tr transcript
		exerciseAuth(addr, &tr)
		want = tr.lines
		if mode.Record {
			data := "# go-redis against redis-server 7.0.15 with requirepass; re-record with MOONKV_RECORD=1\n" + strings.Join(want, "\n") + "\n"
			if err := os.WriteFile(golden, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	recorded := readGolden(t, golden)
	if want == nil {
		want = recorded
	} else if d := diff(recorded, want); d != "" {
		t.Errorf("%s is stale (re-record with MOONKV_RECORD=1):\n%s", golden, d)
	}
	if d := diff(want, got.lines); d != "" {
		t.Errorf("go-redis with a password sees moonkv differently from Redis (want Redis, got moonkv):\n%s", d)
	}
}
