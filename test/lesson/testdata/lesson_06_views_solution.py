import redis

try:
    client = redis.Redis(host='localhost', port=6379, db=0)

    lua_script = """
    local current = redis.call('get', KEYS[1])
    if current then
        current = tonumber(current)
        -- Increment the view count by the provided value (ARGV[1])
        redis.call('set', KEYS[1], current + tonumber(ARGV[1]))
        return current + tonumber(ARGV[1])
    else
        -- Set the view count to the provided value (ARGV[1]) if 'current' is nil
        redis.call('set', KEYS[1], tonumber(ARGV[1]))
        return tonumber(ARGV[1])
    end
    """

    new_views = client.eval(lua_script, 1, 'views:post1', 10)
    print(f"New view count: {new_views}")
except redis.ConnectionError as e:
    print(f"Redis connection error: {e}")
