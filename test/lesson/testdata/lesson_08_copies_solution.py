import redis

try:
    client = redis.Redis(host='localhost', port=6379, db=0)

    # Set initial value for testing
    client.set('available_copies:book1', 5)

    lua_script = """
    local decrement_value = tonumber(ARGV[1])
    local current_value = redis.call('get', KEYS[1])

    if current_value then
        current_value = tonumber(current_value)
        local new_value = current_value - decrement_value

        -- Ensure new_value does not go below zero
        if new_value < 0 then
            new_value = 0
        end

        -- Set the new value in Redis
        redis.call('set', KEYS[1], new_value)
        return new_value
    else
        redis.call('set', KEYS[1], 0)
        return 0
    end
    """

    # Decrement by 2
    new_copies = client.eval(lua_script, 1, 'available_copies:book1', 2)
    print(f"New available copies after decrement by 2: {new_copies}")

    # Decrement by 4
    new_copies = client.eval(lua_script, 1, 'available_copies:book1', 4)
    print(f"New available copies after decrement by 4: {new_copies}")

except redis.ConnectionError as e:
    print(f"Redis connection error: {e}")
