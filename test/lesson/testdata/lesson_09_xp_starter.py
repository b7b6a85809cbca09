import redis

try:
    client = redis.Redis(host='localhost', port=6379, db=0)

    # TODO: Write a Lua script to update the player XP
    lua_script = """
    -- TODO: Get the current XP for the player using redis.call method

    -- TODO: If XP exists, increment it by the given amount using the first argument

    -- TODO: If XP does not exist, set it to the given amount using the first argument
    """

    new_xp = client.eval(lua_script, 1, 'player_xp', 20)
    print(f"New player XP: {new_xp}")
except redis.ConnectionError as e:
    print(f"Redis connection error: {e}")

