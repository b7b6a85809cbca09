package lua_test

import (
	"fmt"

	"github.com/moonkv/moonkv/internal/lua"
)

// Example shows the embedding cycle a Redis-like host uses: register
// natives, protect globals, compile once, run many times.
func Example() {
	L := lua.NewState(lua.Options{MemoryLimit: 1 << 20})
	L.OpenRedisLibs()
	store := map[string]string{}
	L.RegisterLib("redis", map[string]lua.GoFunction{
		"call": func(L *lua.State, args []lua.Value) []lua.Value {
			switch L.CheckString(args, 1) {
			case "get":
				if v, ok := store[L.CheckString(args, 2)]; ok {
					return L.Ret1(lua.String(v))
				}
				return L.Ret1(lua.False)
			case "set":
				store[L.CheckString(args, 2)] = L.CheckString(args, 3)
				return L.Ret1(lua.True)
			}
			L.Errorf("unknown command")
			return nil
		},
	})
	keys, argv := L.NewTable(1, 0), L.NewTable(1, 0)
	L.SetGlobal("KEYS", lua.TableValue(keys))
	L.SetGlobal("ARGV", lua.TableValue(argv))
	L.Globals().SetReadOnly(true)

	c, err := L.Load(`
local n = tonumber(redis.call('get', KEYS[1]) or 0) + ARGV[1]
redis.call('set', KEYS[1], n)
return cjson.encode({key = KEYS[1], value = n})`, "@user_script")
	if err != nil {
		panic(err)
	}
	for _, inc := range []string{"5", "2.5"} {
		keys.SetInt(1, lua.String("counter"))
		argv.SetInt(1, lua.String(inc))
		L.ResetMemory()
		res, err := L.Run(c)
		fmt.Println(res[0], err)
	}
	_, err = L.DoString("x = 1", "@user_script")
	fmt.Println(err)
	// Output:
	// {"key":"counter","value":5} <nil>
	// {"key":"counter","value":7.5} <nil>
	// user_script:1: Attempt to modify a readonly table
}
