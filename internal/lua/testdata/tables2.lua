collectgarbage("stop")
local function dump(t)
  local parts = {}
  for k, v in pairs(t) do parts[#parts + 1] = tostring(k) .. "=" .. tostring(v) end
  print(#t, table.concat(parts, " "))
end
local src = "return {"
for i = 1, 60 do src = src .. i .. "," end
src = src .. "[55] = 'x', [3] = 'y', z = 1}"
dump(loadstring(src)())
src = "return {[55] = 'x', [3] = 'y', "
for i = 1, 60 do src = src .. i .. "," end
src = src .. "}"
dump(loadstring(src)())
src = "return {"
for i = 1, 49 do src = src .. i .. "," end
src = src .. "[50] = 'k', 50, [51] = 'k2', 51, [52] = 'k3'}"
dump(loadstring(src)())
local function va(...) return {..., n = select("#", ...)} end
dump(va(1, nil, 3))
dump(va())
local function va2(...) return {n = 0, ...} end
dump(va2("a", "b", "c", "d", "e"))
dump({nil, nil, 3})
dump({nil})
dump({1, nil})
dump({f = 1, g = 2, h = 3, i = 4, j = 5})
dump({[1.5] = 1, [2] = 2, [3] = 3, [-1] = 4, [0] = 5})
local u = {}
for i = 1, 8 do u[i] = i end
u[4] = nil
dump(u)
u[100] = 100
dump(u)
for i = 9, 16 do u[i] = i end
dump(u)
local v = {1, 2, 3}
v[5] = 5
dump(v)
v[4] = 4
dump(v)
local w = {}
w.a = 1; w.b = 2; w.a = nil; w.c = 3; w.d = 4; w.a = 5
dump(w)
local x = {}
for i = 1, 5 do x["key" .. i] = i end
for i = 1, 5 do x[i] = i end
dump(x)
local y = {1, 2, 3, 4, 5, 6, 7, 8}
for i = 8, 1, -1 do y[i] = nil; if i % 3 == 0 then dump(y) end end
y.x = 1
for i = 1, 20 do y[i * 2] = i end
dump(y)
