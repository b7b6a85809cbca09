-- Random small programs (scopes, shadowing, closures, loops, varargs,
-- tables, errors) generated from a fixed seed and run on both engines.
local seed = 31337
local function rnd(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return math.floor(seed / 65536) % n
end
local names = {"a", "b", "c", "d"}
local function var() return names[rnd(#names) + 1] end
local expr
local function atom()
  local r = rnd(9)
  if r == 0 then return tostring(rnd(10)) end
  if r == 1 then return "'" .. tostring(rnd(5)) .. "'" end
  if r == 2 then return "(" .. var() .. " or 0)" end
  if r == 3 then return "#tostring(" .. var() .. ")" end
  if r == 4 then return "t[" .. (rnd(4) + 1) .. "]" end
  if r == 5 then return "(fs[" .. (rnd(3) + 1) .. "] and fs[" .. (rnd(3) + 1) .. "]() or 1)" end
  if r == 6 then return "select('#', " .. var() .. ", " .. var() .. ")" end
  return var()
end
function expr(d)
  if d <= 0 or rnd(2) == 0 then return atom() end
  local ops = {"+", "-", "*", "..", "==", "<", "and", "or", "%"}
  local op = ops[rnd(#ops) + 1]
  if op == "<" then return "(tostring(" .. expr(d - 1) .. ") < tostring(" .. expr(d - 1) .. "))" end
  if op == "%" then return "((" .. expr(d - 1) .. ") % 7)" end
  return "(" .. expr(d - 1) .. " " .. op .. " " .. expr(d - 1) .. ")"
end
local block
local function stmt(d)
  local r = rnd(12)
  if r == 0 then return "local " .. var() .. " = " .. expr(2) end
  if r == 1 then return var() .. " = " .. expr(2) end
  if r == 2 and d > 0 then return "if " .. expr(2) .. " then " .. block(d - 1) .. " else " .. block(d - 1) .. " end" end
  if r == 3 and d > 0 then return "for " .. var() .. " = 1, " .. (rnd(3) + 1) .. " do " .. block(d - 1) .. " end" end
  if r == 4 and d > 0 then return "do " .. block(d - 1) .. " end" end
  if r == 5 then return "fs[#fs % 3 + 1] = function() " .. var() .. " = " .. expr(1) .. " return " .. expr(1) .. " end" end
  if r == 6 then return "out(" .. expr(2) .. ")" end
  if r == 7 then return "t[#t + 1] = " .. expr(1) end
  if r == 8 and d > 0 then return "local function g(" .. var() .. ", ...) " .. block(d - 1) .. " return " .. expr(1) .. ", ... end out(g(" .. expr(1) .. ", " .. expr(1) .. "))" end
  if r == 9 then return "out(pcall(function() return " .. expr(2) .. " end))" end
  if r == 10 then return "for k, v in pairs(t) do out(k, v) break end" end
  return "out(" .. var() .. ")"
end
function block(d)
  local parts = {}
  for _ = 1, rnd(3) + 1 do parts[#parts + 1] = stmt(d) end
  return table.concat(parts, " ")
end
for i = 1, 300 do
  local src = "local a, b, c, d = 1, '7', 0, 2.5 local t, fs = {}, {} local buf = {} " ..
    "local function out(...) for j = 1, select('#', ...) do buf[#buf + 1] = tostring((select(j, ...))) end end " ..
    block(3) .. " return table.concat(buf, ',')"
  local f, err = loadstring(src, "=prog" .. i)
  if not f then print(i, "compile", err) else
    local ok, res = pcall(f)
    print(i, ok, res)
  end
end
