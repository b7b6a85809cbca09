# What a script sees and returns: reply conversions and error texts, as
# redis-py reports them.
import redis

client = redis.Redis(host='localhost', port=6379, db=0)

def show(label, script, *args):
    try:
        print(label, "->", repr(client.eval(script, *args)))
    except redis.ResponseError as e:
        print(label, "-> error:", e)

show("table", "return {1, 2.9, 'x', true, false, nil, 'after nil'}", 0)
show("nested", "return {KEYS[1], {ARGV[1], ARGV[2]}, #KEYS, #ARGV}", 1, 'k', 'a', 'b')
show("status", "return redis.status_reply('FINE')", 0)
show("error reply", "return redis.error_reply('MY custom failure')", 0)
show("error table", "return {err = 'ERR from a table'}", 0)
show("syntax", "return (", 0)
show("undefined global", "return undefined_thing", 0)
show("call error", "redis.call('set', KEYS[1], 'x'); return redis.call('incr', KEYS[1])", 1, 'notint')
show("pcall error", "redis.call('set', KEYS[1], 'x'); local r = redis.pcall('incr', KEYS[1]); return r", 1, 'notint2')
show("pcall type", "redis.call('set', KEYS[1], 'x'); local r = redis.pcall('incr', KEYS[1]); return type(r) .. ':' .. r['err']", 1, 'notint3')
show("unknown command", "return redis.call('nosuchcommand')", 0)
show("negative keys", "return 1", -1)
show("too many keys", "return 1", 3, 'a')
try:
    client.evalsha('0' * 40, 0)
except redis.ResponseError as e:
    print("evalsha unknown -> error:", e)
show("tonumber", "return tonumber(ARGV[1]) + 1", 0, '41')
show("float", "return 3.99", 0)
show("negative float", "return -3.99", 0)
show("big", "return 2^53", 0)
show("string number", "return '12'", 0)
show("bool true", "return true", 0)
show("bool false", "return false", 0)
show("nil", "return nil", 0)
show("get missing", "return redis.call('get', KEYS[1])", 1, 'missing')
show("get missing type", "return type(redis.call('get', KEYS[1]))", 1, 'missing')
show("set returns", "local r = redis.call('set', KEYS[1], 'v'); return type(r) .. ':' .. r['ok']", 1, 'k1')
show("sha1hex", "return redis.sha1hex('abc')", 0)
show("cjson", "return cjson.encode({1, 2, 3})", 0)
show("string.format", "return string.format('%d-%s-%.2f', 7, 'x', 1.005)", 0)
