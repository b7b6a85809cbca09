import redis

try:
    client = redis.Redis(host='localhost', port=6379, db=0)

    lua_script = """
    local current = redis.call('get', KEYS[1])
    if current then
        current = tonumber(current)
        -- TODO: Increment the view count by the provided value and set it using redis.call method
        
        return current + ARGV[1]
    else
        -- TODO: Set the view count to ARGV[1] using redis.call method if 'current' is nil
        
        return ARGV[1]
    end
    """

    new_views = client.eval(lua_script, 1, 'views:post1', 10)
    print(f"New view count: {new_views}")
except redis.ConnectionError as e:
    print(f"Redis connection error: {e}")
