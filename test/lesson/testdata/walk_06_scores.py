# The lesson's unfinished two-player script, finished: both scores are read,
# then both are incremented, or both initialised, in one atomic step.
import threading
import redis

client = redis.Redis(host='localhost', port=6379, db=0)

lua_script = """
local score1 = redis.call('get', KEYS[1])
local score2 = redis.call('get', KEYS[2])

if score1 and score2 then
    score1 = tonumber(score1)
    score2 = tonumber(score2)
    redis.call('set', KEYS[1], score1 + ARGV[1])
    redis.call('set', KEYS[2], score2 + ARGV[2])
    return {score1 + ARGV[1], score2 + ARGV[2]}
else
    redis.call('set', KEYS[1], ARGV[1])
    redis.call('set', KEYS[2], ARGV[2])
    return {ARGV[1], ARGV[2]}
end
"""

scores = client.eval(lua_script, 2, 'player1_score', 'player2_score', 5, 3)
print(f"New scores: {scores[0]}, {scores[1]}")
scores = client.eval(lua_script, 2, 'player1_score', 'player2_score', 5, 3)
print(f"New scores: {scores[0]}, {scores[1]}")

update = client.register_script(lua_script)

def player(n):
    c = redis.Redis(host='localhost', port=6379, db=0)
    for _ in range(25):
        update(keys=['player1_score', 'player2_score'], args=[1, 2], client=c)
    c.close()

threads = [threading.Thread(target=player, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("after 100 concurrent updates:", client.mget('player1_score', 'player2_score'))
