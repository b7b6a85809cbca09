# The lesson's decrement solution: from nothing, repeatedly, and below zero.
import redis

client = redis.Redis(host='localhost', port=6379, db=0)

lua_script = """
local current = redis.call('get', KEYS[1])
if current then
    current = tonumber(current)
    redis.call('set', KEYS[1], current - tonumber(ARGV[1]))
    return current - tonumber(ARGV[1])
else
    redis.call('set', KEYS[1], -tonumber(ARGV[1]))
    return -tonumber(ARGV[1])
end
"""

print(repr(client.eval(lua_script, 1, 'counter', 5)))
print(repr(client.eval(lua_script, 1, 'counter', 5)))
print(repr(client.get('counter')))
client.set('stock', 3)
print(repr(client.eval(lua_script, 1, 'stock', 5)), repr(client.get('stock')))
print(repr(client.eval(lua_script, 1, 'stock', '0.25')), repr(client.get('stock')))
