import redis

try:
    client = redis.Redis(host='localhost', port=6379, db=0)

    lua_script = """
    local current = redis.call('get', KEYS[1])
    if current then
        current = tonumber(current)
        -- Decrement the value by ARGV[1] instead of incrementing
        redis.call('set', KEYS[1], current - tonumber(ARGV[1]))
        return current - tonumber(ARGV[1])
    else
        -- Set the initial value as the negative of ARGV[1]
        redis.call('set', KEYS[1], -tonumber(ARGV[1]))
        return -tonumber(ARGV[1])
    end
    """

    new_count = client.eval(lua_script, 1, 'counter', 5)
    print(f"New counter value: {new_count}")
except redis.ConnectionError as e:
    print(f"Redis connection error: {e}")
