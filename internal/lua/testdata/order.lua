collectgarbage("stop") -- C Lua GC marks deleted string keys dead, which changes slot reuse; see doc.go
-- pairs() order must match C Lua 5.1 for the same operations
local seed = 12345
local function rnd(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n
end
local function dump(t)
  local parts = {}
  for k, v in pairs(t) do parts[#parts + 1] = tostring(k) .. "=" .. tostring(v) end
  print(table.concat(parts, " "))
end
local words = {"a", "b", "foo", "bar", "baz", "key", "value", "x1", "x2", "hello world",
  "longer_key_name_here", "", "Z", "name", "id", "ts", "count", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}
for round = 1, 60 do
  local t = {}
  local n = rnd(40) + 1
  for i = 1, n do
    local kind = rnd(6)
    local k
    if kind == 0 then k = rnd(20) + 1
    elseif kind == 1 then k = words[rnd(#words) + 1]
    elseif kind == 2 then k = rnd(100) - 50 + 0.5
    elseif kind == 3 then k = (rnd(2) == 0)
    elseif kind == 4 then k = rnd(1000)
    else k = words[rnd(#words) + 1] .. rnd(10) end
    if rnd(5) == 0 then t[k] = nil else t[k] = i end
  end
  dump(t)
end
-- array part growth and shrink
local t = {}
for i = 1, 20 do t[i] = i end
for i = 1, 20, 2 do t[i] = nil end
t.x = 1; t.y = 2
for i = 21, 40 do t[i] = i end
dump(t)
local u = {}
for i = 10, 1, -1 do u[i] = i end
dump(u)
local v = {1, 2, 3, nil, 5, x = 1, y = 2, [10] = 10, [2.5] = "f", [-1] = "neg"}
dump(v)
local w = {}
w[1] = 1; w[3] = 3; w[5] = 5; w[2] = 2; w[100] = 100; w[4] = 4
dump(w)
print(#w)
local s = {}
for i = 1, 100 do s["k" .. i] = i end
for i = 1, 100, 3 do s["k" .. i] = nil end
dump(s)
for i = 1, 50 do s["n" .. i] = i end
dump(s)
local m = {10, 20, 30, a = "x", 40, [5] = 50, b = "y"}
dump(m)
local deleted = {a = 1, b = 2, c = 3, d = 4}
for k in pairs(deleted) do deleted[k] = nil end
deleted.e = 5; deleted.a = 6
dump(deleted)
local nums = {}
for i = 1, 30 do nums[i * 1.5] = i end
dump(nums)
local negs = {}
for i = -10, 10 do negs[i] = i end
dump(negs)
local big = {}
for i = 1, 10 do big[2 ^ (i * 3)] = i end
dump(big)
local mixed = {}
for i = 1, 9 do mixed[i] = i; mixed[tostring(i)] = i end
dump(mixed)
local bools = {[true] = 1, [false] = 0, x = 2}
dump(bools)
-- lengths with holes
local h = {1, 2, nil, 4}
print(#h)
local h2 = {}
h2[1] = 1; h2[2] = 2; h2[4] = 4
print(#h2)
local h3 = {n = 1}
for i = 1, 17 do h3[i] = i end
h3[9] = nil
print(#h3)
-- next directly
local nx = {10, 20, a = 1}
local k, val = next(nx)
while k do io = nil; print("next", k, val); k, val = next(nx, k) end
print(next({}))
-- modifying existing keys during traversal is allowed
local mod = {a = 1, b = 2, c = 3, d = 4, e = 5}
for key in pairs(mod) do mod[key] = nil end
print(next(mod))
-- table constructor sizing
dump({[1] = "a", "b"})
dump({"b", [1] = "a"})
local function three() return 1, 2, 3 end
dump({three(), three()})
dump({three(), x = 1, three()})
local bigc = {}
for i = 1, 60 do bigc[i] = "v" .. i end
dump({unpack(bigc)})
