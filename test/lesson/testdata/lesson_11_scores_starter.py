import redis

try:
    client = redis.Redis(host='localhost', port=6379, db=0)

    lua_script = """
    -- TODO: Get the scores of player1 and player2 from Redis
    
    if score1 and score2 then
        score1 = tonumber(score1)
        score2 = tonumber(score2)
        
        -- TODO: Increment player1_score by ARGV[1] and player2_score by ARGV[2]
    
        return {score1 + ARGV[1], score2 + ARGV[2]}
    else
        -- TODO: Initialize player1 and player2 scores with ARGV[1] and ARGV[2] respectively
        
        return {ARGV[1], ARGV[2]}
    end
    """

    scores = client.eval(lua_script, 2, 'player1_score', 'player2_score', 5, 3)
    print(f"New scores: {scores[0]}, {scores[1]}")
except redis.ConnectionError as e:
    print(f"Redis connection error: {e}")
