# Book copies never go below zero, also when many readers borrow at once:
# the script is atomic, so exactly as many borrows succeed as there are copies.
import threading
import redis

client = redis.Redis(host='localhost', port=6379, db=0)

lua_script = """
local decrement_value = tonumber(ARGV[1])
local current_value = redis.call('get', KEYS[1])

if current_value then
    current_value = tonumber(current_value)
    local new_value = current_value - decrement_value
    if new_value < 0 then
        new_value = 0
    end
    redis.call('set', KEYS[1], new_value)
    return new_value
else
    redis.call('set', KEYS[1], 0)
    return 0
end
"""

client.set('available_copies:book1', 5)
for n in (2, 4, 1):
    print("decrement by", n, "->", client.eval(lua_script, 1, 'available_copies:book1', n))
print("missing book ->", client.eval(lua_script, 1, 'available_copies:book2', 1), client.get('available_copies:book2'))

borrow = client.register_script("""
local left = tonumber(redis.call('get', KEYS[1]) or '0')
if left <= 0 then
    return 0
end
redis.call('set', KEYS[1], left - 1)
redis.call('rpush', KEYS[2], ARGV[1])
return 1
""")
client.set('available_copies:book3', 7)
results = []
lock = threading.Lock()

def reader(i):
    c = redis.Redis(host='localhost', port=6379, db=0)
    for j in range(10):
        ok = borrow(keys=['available_copies:book3', 'borrowers:book3'], args=['reader%d-%d' % (i, j)], client=c)
        with lock:
            results.append(ok)
    c.close()

threads = [threading.Thread(target=reader, args=(i,)) for i in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("borrows:", len(results), "succeeded:", sum(results), "left:", client.get('available_copies:book3'), "borrowers:", client.llen('borrowers:book3'))
