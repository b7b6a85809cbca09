local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got2", d, e)
  return "fin", 99
end)
print(coroutine.status(co))
print(coroutine.resume(co, 1, 2))
print(coroutine.status(co))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, "x", "y"))
print(coroutine.status(co))
print(coroutine.resume(co))
local gen = coroutine.wrap(function()
  for i = 1, 3 do coroutine.yield(i) end
end)
print(gen(), gen(), gen())
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i, i * i) end end)
end
for i, sq in range(4) do print("range", i, sq) end
local bad = coroutine.create(function() error("oops") end)
print(coroutine.resume(bad))
print(coroutine.status(bad))
local bad2 = coroutine.create(function() error({}) end)
print(type(select(2, coroutine.resume(bad2))))
print(pcall(coroutine.yield, 1))
print(coroutine.running())
local inner
local outer = coroutine.create(function()
  print("outer status", coroutine.status(outer))
  inner = coroutine.create(function()
    print("inner sees outer", coroutine.status(outer))
    coroutine.yield()
  end)
  coroutine.resume(inner)
  print("inner", coroutine.status(inner))
  print(coroutine.resume(outer))
  coroutine.yield("from outer")
end)
print(coroutine.resume(outer))
print(coroutine.resume(outer))
print(coroutine.status(outer))
local w = coroutine.wrap(function() error("wrapped err") end)
print(pcall(w))
local w2 = coroutine.wrap(function() return 1 end)
w2()
print(pcall(w2))
print(pcall(coroutine.create, print))
print(pcall(coroutine.resume, 1))
-- producer / consumer
local prod = coroutine.create(function()
  for _, v in ipairs({"a", "b", "c"}) do coroutine.yield(v) end
  return nil
end)
local got = {}
while true do
  local ok, v = coroutine.resume(prod)
  if not v then break end
  got[#got + 1] = v
end
print(table.concat(got, ","), coroutine.status(prod))
print(select("#", coroutine.resume(coroutine.create(function() return end))))
print(coroutine.resume(coroutine.create(function(...) return select("#", ...), ... end), nil, nil))
local co3 = coroutine.create(function() local t = setmetatable({}, {__index = function(t, k) return coroutine.yield(k) end}) return t.foo end)
print(coroutine.resume(co3))
print(coroutine.resume(co3, "resumed"))
