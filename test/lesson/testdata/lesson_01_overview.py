import redis

client = redis.Redis(host='localhost', port=6379, db=0)

lua_script = """
local current = redis.call('get', KEYS[1]) -- Get the current value of the key 'counter'
if current then
    current = tonumber(current) -- Convert the value to a number if it exists
    redis.call('set', KEYS[1], current + ARGV[1]) -- Increment the value by the argument passed to the script, 5 in this case
    return current + ARGV[1] -- Return the new value
else
    redis.call('set', KEYS[1], ARGV[1]) -- Set the value to the argument (5) if the key doesn't exist
    return ARGV[1]  -- Return the new value
end
"""

new_count = client.eval(lua_script, 1, 'counter', 5)
print(f"New counter value: {new_count}")
