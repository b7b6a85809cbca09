collectgarbage("stop") -- C Lua GC marks deleted string keys dead, which changes slot reuse; see doc.go
-- long-lived tables with interleaved inserts/deletes, checked often
local seed = 987654321
local function rnd(n)
  seed = (seed * 69069 + 1) % 4294967296
  return math.floor(seed / 65536) % n
end
local function dump(t)
  local parts = {}
  for k, v in pairs(t) do parts[#parts + 1] = tostring(k) .. "=" .. tostring(v) end
  print(#parts, table.concat(parts, " "))
end
local long = string.rep("L", 40)
for round = 1, 25 do
  local t = {}
  for step = 1, 200 do
    local op = rnd(10)
    local k
    local r = rnd(5)
    if r == 0 then k = rnd(64) + 1
    elseif r == 1 then k = "s" .. rnd(50)
    elseif r == 2 then k = long .. rnd(20)
    elseif r == 3 then k = rnd(200) / 4 - 10
    else k = rnd(2^20) * 1024 end
    if op < 3 then t[k] = nil else t[k] = step end
    if step % 50 == 0 then dump(t) end
  end
end
-- arrays that become sparse then dense again
local a = {}
for i = 1, 64 do a[i] = i end
for i = 1, 64 do if i % 3 ~= 0 then a[i] = nil end end
dump(a)
for i = 65, 80 do a[i] = i end
dump(a)
a.x = 1
dump(a)
-- string keys of many lengths
local s = {}
for i = 1, 70 do s[string.rep("k", i)] = i end
dump(s)
-- integer-valued float keys go in the array part
local f = {}
f[1.0] = "a"; f[2] = "b"; f[3.5] = "c"; f[-0.0] = "z"; f[2^53] = "big"
dump(f)
print(f[0], f[-0], f[1])
-- table.insert / remove shaped growth
local q = {}
for i = 1, 33 do table.insert(q, i) end
for i = 1, 10 do table.remove(q, 1) end
q.tag = "t"
dump(q)
