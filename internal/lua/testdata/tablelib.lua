local t = {1, 2, 3}
table.insert(t, 4)
table.insert(t, 1, 0)
print(table.concat(t, ","), #t)
print(table.remove(t), table.remove(t, 1), table.concat(t, ","))
print(table.remove({}), table.remove({}, 1))
print(table.concat({}), table.concat({1, 2, 3}), table.concat({1, 2, 3}, ", ", 2), table.concat({1, 2, 3}, "-", 2, 3), table.concat({"a"}, "x", 1, 0))
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {1, 2}, ",", 1, 5))
print(table.getn({1, 2, 3}), table.maxn({1, 2, [10] = 3, [2.5] = 1}), table.maxn({}))
print(pcall(table.setn, {}, 1))
print(pcall(table.insert, {}, 1, 2, 3))
print(pcall(table.insert, nil, 1))
local s = {5, 2, 8, 1, 9, 3}
table.sort(s)
print(table.concat(s, " "))
table.sort(s, function(a, b) return a > b end)
print(table.concat(s, " "))
local words = {"banana", "apple", "Cherry", "date", "apple"}
table.sort(words)
print(table.concat(words, " "))
-- stable-looking ties: order of equal keys must match C Lua's quicksort
local recs = {}
for i = 1, 30 do recs[i] = {k = i % 4, id = i} end
table.sort(recs, function(a, b) return a.k < b.k end)
local ids = {}
for i, r in ipairs(recs) do ids[i] = r.k .. ":" .. r.id end
print(table.concat(ids, " "))
local big = {}
local seed = 7
for i = 1, 200 do seed = (seed * 16807) % 2147483647; big[i] = seed % 1000 end
table.sort(big)
local ok = true
for i = 2, #big do if big[i - 1] > big[i] then ok = false end end
print(ok, big[1], big[100], big[200])
print(pcall(table.sort, {3, 1, "x"}))
print(pcall(table.sort, {1, 2, 3, 4, 5}, function(a, b) return true end))
local r = {}
for i = 1, 20 do r[i] = 21 - i end
print(pcall(table.sort, r, function(a, b) return true end))
table.foreach({10, 20}, function(k, v) print("fe", k, v) end)
table.foreachi({10, 20, nil, 40}, function(i, v) print("fei", i, v) end)
print(table.foreach({1, 2}, function(k, v) if v == 2 then return "found" end end))
print(unpack({1, 2, 3}))
print(unpack({1, 2, 3}, 2))
print(unpack({1, 2, 3}, 2, 5))
print(select('#', unpack({}, 1, 3)))
local ins = {}
table.insert(ins, 5, "x")
print(ins[5], #ins)
local rem = {1, 2, 3, 4, 5}
print(table.remove(rem, 2), table.concat(rem, ","))
table.sort(rem, function(a, b) return a > b end)
print(table.concat(rem, ","))
