# The lesson's counter, walked further: first call, repeated calls, a value
# that is not a number, and a fractional value. Run against a fresh server.
import redis

client = redis.Redis(host='localhost', port=6379, db=0)

lua_script = """
local current = redis.call('get', KEYS[1])
if current then
    current = tonumber(current)
    redis.call('set', KEYS[1], current + ARGV[1])
    return current + ARGV[1]
else
    redis.call('set', KEYS[1], ARGV[1])
    return ARGV[1]
end
"""

for i in range(3):
    print("eval:", repr(client.eval(lua_script, 1, 'counter', 5)))
print("get:", repr(client.get('counter')))

client.set('counter', '1.5')
print("fractional:", repr(client.eval(lua_script, 1, 'counter', 5)), repr(client.get('counter')))

client.set('counter', '99999999999999')
print("large:", repr(client.eval(lua_script, 1, 'counter', 5)), repr(client.get('counter')))

client.set('counter', 'abc')
try:
    client.eval(lua_script, 1, 'counter', 5)
except redis.ResponseError as e:
    print("not a number:", e)
print("unchanged:", repr(client.get('counter')))
