-- Typical Redis script shapes against an in-Lua fake of redis.call.
local store, hashes, zsets = {}, {}, {}
local redis = {}
function redis.call(cmd, ...)
  local a = {...}
  cmd = cmd:lower()
  if cmd == "get" then return store[a[1]] or false
  elseif cmd == "set" then store[a[1]] = tostring(a[2]) return {ok = "OK"}
  elseif cmd == "incrby" then
    local v = (tonumber(store[a[1]]) or 0) + tonumber(a[2])
    store[a[1]] = tostring(v) return v
  elseif cmd == "hset" then
    hashes[a[1]] = hashes[a[1]] or {}
    hashes[a[1]][a[2]] = a[3] return 1
  elseif cmd == "hgetall" then
    local out = {}
    local keys = {}
    for k in pairs(hashes[a[1]] or {}) do keys[#keys + 1] = k end
    table.sort(keys)
    for _, k in ipairs(keys) do out[#out + 1] = k; out[#out + 1] = hashes[a[1]][k] end
    return out
  elseif cmd == "zadd" then
    zsets[a[1]] = zsets[a[1]] or {}
    zsets[a[1]][a[3]] = tonumber(a[2]) return 1
  elseif cmd == "zrange" then
    local items = {}
    for m, s in pairs(zsets[a[1]] or {}) do items[#items + 1] = {m, s} end
    table.sort(items, function(x, y) if x[2] ~= y[2] then return x[2] < y[2] end return x[1] < y[1] end)
    local out = {}
    for i = tonumber(a[2]) + 1, math.min(#items, tonumber(a[3]) + 1) do out[#out + 1] = items[i][1] end
    return out
  end
  return redis.error_reply("ERR unknown command '" .. cmd .. "'")
end
function redis.error_reply(msg) return {err = msg} end
function redis.pcall(...) local ok, r = pcall(redis.call, ...) if ok then return r end return {err = r} end

-- counter script
local function counter(KEYS, ARGV)
  local current = redis.call('get', KEYS[1])
  if current then
    current = tonumber(current)
    redis.call('set', KEYS[1], current + ARGV[1])
    return current + ARGV[1]
  else
    redis.call('set', KEYS[1], ARGV[1])
    return ARGV[1]
  end
end
print(counter({"c"}, {"5"}), counter({"c"}, {"2.5"}), counter({"c"}, {"1e2"}), store.c)

-- rate limiter
local function ratelimit(key, limit, now)
  local v = redis.call("incrby", key .. ":" .. math.floor(now / 60), 1)
  if v > limit then return {0, v} end
  return {1, v}
end
for i = 1, 4 do local r = ratelimit("rl", 3, 1000 + i) print("rl", r[1], r[2]) end

-- hash round trip and reply building
redis.call("hset", "h", "name", "moon")
redis.call("hset", "h", "count", 42)
redis.call("hset", "h", "pi", 3.14159)
local flat = redis.call("hgetall", "h")
print(table.concat(flat, "|"))
local obj = {}
for i = 1, #flat, 2 do obj[flat[i]] = flat[i + 1] end
local parts = {}
for k, v in pairs(obj) do parts[#parts + 1] = string.format("%s=%s", k, tostring(v)) end
print(#parts, obj.name, obj.count * 2, obj.pi)

-- leaderboard
for i, name in ipairs({"ann", "bob", "cid", "dan", "eve"}) do redis.call("zadd", "lb", (i * 37) % 11, name) end
print(table.concat(redis.call("zrange", "lb", 0, 2), ","))
print(table.concat(redis.call("zrange", "lb", 0, -1 + 100), ","))

-- error replies and pcall
local r = redis.pcall("nosuch")
print(type(r), r.err)
print(pcall(function() return redis.call("get") .. "x" end))

-- string processing typical of scripts
local csv = "id,name,score\n1,ann,9.5\n2,bob,7\n3,cid,8.25"
local rows = {}
for line in csv:gmatch("[^\n]+") do
  local f = {}
  for field in line:gmatch("[^,]+") do f[#f + 1] = field end
  rows[#rows + 1] = f
end
local total = 0
for i = 2, #rows do total = total + tonumber(rows[i][3]) end
print(#rows, total, total / (#rows - 1), string.format("%.2f", total / (#rows - 1)))
local key = string.format("user:%d:%s", 42, "profile")
print(key, key:match("^user:(%d+):(%a+)$"))
print(("a,b,,c"):gsub(",", ";"), ("CamelCase"):lower(), ("x"):rep(5, ","))
local bits = {}
for w in ("the quick brown fox"):gmatch("%a+") do bits[#bits + 1] = w:sub(1, 1):upper() .. w:sub(2) end
print(table.concat(bits, " "))
-- numeric formatting in replies
print(10 / 3, 2^53, 1e21, -0.0 + 0, 7 % 3, tostring(1/0), math.floor(-3.5), math.ceil(3.0000001))
print(tostring(1e15), tostring(123456789012345), tostring(0.1 + 0.7), 100 * 1.1)
