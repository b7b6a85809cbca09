import redis

try:
    client = redis.Redis(host='localhost', port=6379, db=0)

    # Set initial value fo testing
    client.set('available_copies:book1', 5)

    lua_script = """
    local decrement_value = tonumber(ARGV[1])
    local current_value = redis.call('get', KEYS[1])

    if current_value then
        current_value = tonumber(current_value)
        local new_value = current_value - decrement_value

        -- TODO: Ensure new_value does not go below zero before setting the new value
        
        -- TODO: If the new value is less than zero, set it to zero

        -- TODO: Set the new value in Redis and return it
    else
        redis.call('set', KEYS[1], 0)
        return 0
    end
    """

    new_copies = client.eval(lua_script, 1, 'available_copies:book1', 2)
    new_copies = client.eval(lua_script, 1, 'available_copies:book1', 4)
    print(f"New available copies: {new_copies}")
except redis.ConnectionError as e:
    print(f"Redis connection error: {e}")
