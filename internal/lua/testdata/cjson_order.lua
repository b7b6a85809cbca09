-- cjson.encode writes objects in pairs() order. On lua5.1 (no cjson)
-- a Lua encoder with cjson's rules stands in, so the golden output is
-- C Lua's iteration order.
local encode
if cjson then
  encode = cjson.encode
else
  local function quote(s)
    return '"' .. s:gsub('[%c"\\/]', function(c)
      local map = {['"'] = '\\"', ['\\'] = '\\\\', ['/'] = '\\/', ['\b'] = '\\b', ['\f'] = '\\f', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t'}
      if map[c] then return map[c] end
      if c:byte() == 127 then return c end
      return string.format('\\u%04x', c:byte())
    end) .. '"'
  end
  local function enc(v)
    local t = type(v)
    if t == "string" then return quote(v)
    elseif t == "number" then return string.format("%.14g", v)
    elseif t == "boolean" then return tostring(v)
    elseif t == "nil" then return "null"
    elseif t == "table" then
      local max, items, arr = 0, 0, true
      for k in pairs(v) do
        if type(k) == "number" and k >= 1 and k == math.floor(k) then
          if k > max then max = k end
          items = items + 1
        else arr = false break end
      end
      if arr and max > items * 2 and max > 10 then error("sparse") end
      if arr and max > 0 then
        local out = {}
        for i = 1, max do out[i] = enc(v[i]) end
        return "[" .. table.concat(out, ",") .. "]"
      end
      local out = {}
      for k, val in pairs(v) do
        local ks = type(k) == "number" and ('"' .. string.format("%.14g", k) .. '"') or quote(k)
        out[#out + 1] = ks .. ":" .. enc(val)
      end
      return "{" .. table.concat(out, ",") .. "}"
    end
  end
  encode = enc
end
collectgarbage("stop")
print(encode({a = 1, b = 2, c = 3}))
print(encode({name = "redis", version = 7, tags = {"a", "b/c", 'q"x'}, nested = {x = {y = {z = true}}}}))
print(encode({1, 2, 3, nil, 5}))
print(encode({}))
print(encode({[1] = "a", [2] = "b", [4] = "d"}))
print(encode({1.5, -0.25, 1e20, 123456789012345, 0.1}))
print(encode("line\nbreak\ttab\1ctrl"))
local rows = {}
for i = 1, 20 do rows["user:" .. i] = {id = i, score = i * 1.5, ok = i % 2 == 0} end
print(encode(rows))
local seed = 42
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n end
for r = 1, 15 do
  local t = {}
  for i = 1, rnd(25) + 1 do
    local k = rnd(3) == 0 and rnd(50) + 100 or ("f" .. rnd(40))
    t[k] = rnd(1000)
  end
  print(encode(t))
end
local fields = {"id", "name", "email", "created_at", "updated_at", "status", "roles", "meta"}
local rec = {}
for i, f in ipairs(fields) do rec[f] = i end
print(encode(rec))
