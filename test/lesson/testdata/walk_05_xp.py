# Player XP: set when missing, incremented when present, for several players.
import redis

client = redis.Redis(host='localhost', port=6379, db=0)

lua_script = """
local xp_increment = tonumber(ARGV[1])
local current_xp = redis.call('get', KEYS[1])

if current_xp then
    current_xp = tonumber(current_xp)
    local new_xp = current_xp + xp_increment
    redis.call('set', KEYS[1], new_xp)
    return new_xp
else
    redis.call('set', KEYS[1], xp_increment)
    return xp_increment
end
"""

print(client.eval(lua_script, 1, 'player_xp', 20))
print(client.eval(lua_script, 1, 'player_xp', 20))
client.set('player_xp:bob', 50)
print(client.eval(lua_script, 1, 'player_xp:bob', 20))
print(client.eval(lua_script, 1, 'player_xp:bob', -100))
print(client.eval(lua_script, 1, 'player_xp:carol', '2.75'), client.get('player_xp:carol'))
pipe = client.pipeline()
for name in ('dave', 'erin', 'dave'):
    pipe.eval(lua_script, 1, 'player_xp:' + name, 7)
print(pipe.execute())
