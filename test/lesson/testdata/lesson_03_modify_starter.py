import redis

try:
    client = redis.Redis(host='localhost', port=6379, db=0)

    lua_script = """
    local current = redis.call('get', KEYS[1])
    if current then
        current = tonumber(current)
        -- TODO: Change the script to decrement the value by ARGV[1]
        redis.call('set', KEYS[1], current + ARGV[1])
        return current + ARGV[1]
    else
        redis.call('set', KEYS[1], ARGV[1])
        return ARGV[1]
    end
    """

    new_count = client.eval(lua_script, 1, 'counter', 5)
    print(f"New counter value: {new_count}")
except redis.ConnectionError as e:
    print(f"Redis connection error: {e}")
