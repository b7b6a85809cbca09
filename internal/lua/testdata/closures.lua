-- upvalues shared between closures, loops creating fresh locals
local function make()
  local n = 0
  local function inc() n = n + 1 return n end
  local function get() return n end
  local function set(v) n = v end
  return inc, get, set
end
local inc, get, set = make()
inc(); inc()
print(get())
set(10)
print(inc(), get())
local fns = {}
for i = 1, 3 do
  local j = i * 10
  fns[#fns + 1] = function() j = j + 1 return i, j end
end
print(fns[1]()); print(fns[1]()); print(fns[2]()); print(fns[3]())
local ws = {}
local k = 0
while k < 3 do
  k = k + 1
  local captured = k
  ws[k] = function() return captured end
end
print(ws[1](), ws[2](), ws[3]())
local rs = {}
local r = 0
repeat
  r = r + 1
  local c = r
  rs[r] = function() return c end
until c >= 3
print(rs[1](), rs[3]())
for _, name in ipairs({"a", "b"}) do
  fns[name] = function() return name end
end
print(fns.a(), fns.b())
-- closure over parameter and vararg use
local function adder(x) return function(y) x = x + y return x end end
local a5 = adder(5)
print(a5(1), a5(1), adder(0)(3))
local function varf(...)
  local args = {...}
  return function() return #args, ... end
end
print(pcall(loadstring, "local function f(...) return function() return ... end end"))
print(varf(1, 2, 3)())
-- recursive local function and mutual recursion through upvalues
local isodd
local function iseven(n) if n == 0 then return true end return isodd(n - 1) end
function isodd(n) if n == 0 then return false end return iseven(n - 1) end
print(iseven(10), isodd(7), iseven(7))
-- deep closure chains
local function chain(n)
  if n == 0 then return function() return 0 end end
  local inner = chain(n - 1)
  return function() return inner() + 1 end
end
print(chain(50)())
-- closures in nested blocks see the latest value
local x = 1
local function getx() return x end
x = 2
print(getx())
do
  local x = 3
  print(getx(), x)
end
-- upvalue of upvalue
local function l1()
  local v = "deep"
  return function()
    return function() return v end
  end
end
print(l1()()())
-- shadowing
local s = 1
do local s = s + 1; print(s) end
print(s)
local function shadow(s) local s = s * 2 return s end
print(shadow(4))
-- numeric for variable is a copy
for i = 1, 3 do
  local before = i
  i = i * 10
  io = nil
  print(before, i)
end
