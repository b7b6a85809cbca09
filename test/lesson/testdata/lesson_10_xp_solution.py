import redis

try:
    client = redis.Redis(host='localhost', port=6379, db=0)

    # Lua script to update the player XP
    lua_script = """
    local xp_increment = tonumber(ARGV[1])
    local current_xp = redis.call('get', KEYS[1])

    if current_xp then
        -- XP exists, increment it by the given amount
        current_xp = tonumber(current_xp)
        local new_xp = current_xp + xp_increment
        redis.call('set', KEYS[1], new_xp)
        return new_xp
    else
        -- XP does not exist, set it to the given amount
        redis.call('set', KEYS[1], xp_increment)
        return xp_increment
    end
    """

    # Update XP by 20
    new_xp = client.eval(lua_script, 1, 'player_xp', 20)
    print(f"New player XP: {new_xp}")

except redis.ConnectionError as e:
    print(f"Redis connection error: {e}")
