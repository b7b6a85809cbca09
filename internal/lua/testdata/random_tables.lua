-- Random table workloads (insert/remove/sort/assign/delete/rawset) with
-- pairs() order and # checked after each round.
collectgarbage("stop")
local seed = 5150
local function rnd(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return math.floor(seed / 65536) % n
end
local function dump(t)
  local parts = {}
  for k, v in pairs(t) do parts[#parts + 1] = tostring(k) .. "=" .. tostring(v) end
  return #t .. ":" .. table.concat(parts, " ")
end
for round = 1, 40 do
  local t = {}
  if rnd(2) == 0 then t = {1, 2, 3, x = 1} end
  for step = 1, rnd(60) + 5 do
    local op = rnd(9)
    if op == 0 then table.insert(t, step)
    elseif op == 1 and #t > 0 then table.insert(t, rnd(#t) + 1, -step)
    elseif op == 2 then table.remove(t)
    elseif op == 3 and #t > 0 then table.remove(t, rnd(#t) + 1)
    elseif op == 4 then t["k" .. rnd(20)] = step
    elseif op == 5 then t["k" .. rnd(20)] = nil
    elseif op == 6 then t[rnd(40) + 1] = step
    elseif op == 7 then rawset(t, rnd(10) + 0.5, step)
    else
      local arr = {}
      for i = 1, #t do arr[i] = t[i] end
      table.sort(arr, function(a, b) return tostring(a) < tostring(b) end)
      t.sorted = table.concat(arr, ",")
    end
  end
  print(round, dump(t))
end
