# The lesson's view counter for several posts, through a registered script
# (EVALSHA, falling back to EVAL when the server does not know the script).
import redis

client = redis.Redis(host='localhost', port=6379, db=0)

lua_script = """
local current = redis.call('get', KEYS[1])
if current then
    current = tonumber(current)
    redis.call('set', KEYS[1], current + tonumber(ARGV[1]))
    return current + tonumber(ARGV[1])
else
    redis.call('set', KEYS[1], tonumber(ARGV[1]))
    return tonumber(ARGV[1])
end
"""

add_views = client.register_script(lua_script)
print("sha:", add_views.sha)
print("exists before:", client.script_exists(add_views.sha))
print(add_views(keys=['views:post1'], args=[10]))
print("exists after:", client.script_exists(add_views.sha))
print(add_views(keys=['views:post1'], args=[10]))
print(add_views(keys=['views:post2'], args=[1]))
print("flush:", client.script_flush())
print("exists after flush:", client.script_exists(add_views.sha))
print(add_views(keys=['views:post1'], args=[5]))
print(client.evalsha(add_views.sha, 1, 'views:post2', 1))
print(sorted(client.mget('views:post1', 'views:post2', 'views:post3')[:2]))
print("load:", client.script_load(lua_script) == add_views.sha)
