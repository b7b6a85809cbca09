local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({x = a.x + b.x}, V) end
V.__sub = function(a, b) return setmetatable({x = a.x - b.x}, V) end
V.__mul = function(a, b) if type(b) == "number" then return setmetatable({x = a.x * b}, V) end return a.x * b.x end
V.__div = function(a, b) return "div" end
V.__mod = function(a, b) return "mod" end
V.__pow = function(a, b) return "pow" end
V.__unm = function(a) return setmetatable({x = -a.x}, V) end
V.__eq = function(a, b) return a.x == b.x end
V.__lt = function(a, b) return a.x < b.x end
V.__le = function(a, b) return a.x <= b.x end
V.__concat = function(a, b)
  local ax = type(a) == "table" and a.x or a
  local bx = type(b) == "table" and b.x or b
  return "cat(" .. ax .. "," .. bx .. ")"
end
V.__tostring = function(a) return "V(" .. a.x .. ")" end
V.__call = function(self, y) return self.x + y end
V.__len = function() return 99 end
function V.new(x) return setmetatable({x = x}, V) end
function V:double() return self.x * 2 end
local a, b = V.new(3), V.new(4)
print(tostring(a + b), tostring(a - b), tostring(a * 2), a * b, a / b, a % b, a ^ b, tostring(-a))
print(a == b, a == V.new(3), a ~= V.new(3), a < b, a <= b, a > b, a >= b)
print(a .. b, a .. "s", "s" .. a, 1 .. a)
print(a(10), a:double(), #a)
print(tostring(a), rawequal(a, V.new(3)))
-- __index function and chains
local base = {greet = function() return "hi" end}
local mid = setmetatable({}, {__index = base})
local top = setmetatable({}, {__index = mid})
print(top.greet(), top.missing)
local dyn = setmetatable({}, {__index = function(t, k) return k .. "!" end})
print(dyn.foo, dyn[1], rawget(dyn, "foo"))
-- __newindex
local log = {}
local proxy = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v * 10); log[#log + 1] = k end})
proxy.a = 1; proxy.a = 2; proxy.b = 3
print(proxy.a, proxy.b, table.concat(log, ","))
local store = {}
local redirect = setmetatable({}, {__newindex = store})
redirect.x = 5
print(rawget(redirect, "x"), store.x)
-- __metatable protection
local prot = setmetatable({}, {__metatable = "locked"})
print(getmetatable(prot), pcall(setmetatable, prot, {}))
print(getmetatable("abc").__index == string, ("x"):upper())
-- __eq only between same types with same metamethod
local e1 = setmetatable({}, {__eq = function() return true end})
local e2 = setmetatable({}, {__eq = function() return true end})
local e3 = setmetatable({}, getmetatable(e1))
print(e1 == e2, e1 == e3, e1 == {})
-- __lt fallback for __le
local L = {__lt = function(a, b) return a.v < b.v end}
local l1, l2 = setmetatable({v = 1}, L), setmetatable({v = 2}, L)
print(l1 <= l2, l2 <= l1, pcall(function() return l1 < 1 end))
-- __concat with numbers
local C = setmetatable({}, {__concat = function(a, b) return "C" end})
print(C .. 1, 1 .. C, "a" .. "b" .. C)
-- __index on strings via methods
local s = "Hello"
print(s:len(), s:sub(2, 3), s:rep(2, "-"), ("%d"):format(5))
-- inheritance pattern
local Animal = {}
Animal.__index = Animal
function Animal.new(name) return setmetatable({name = name}, Animal) end
function Animal:speak() return self.name .. " makes a sound" end
local Dog = setmetatable({}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name) local d = Animal.new(name); return setmetatable(d, Dog) end
function Dog:speak() return self.name .. " barks" end
print(Animal.new("cat"):speak(), Dog.new("rex"):speak(), Dog.new("x").name)
-- __call with varargs
local callable = setmetatable({}, {__call = function(self, ...) return select('#', ...), ... end})
print(callable(1, 2, 3))
-- rawequal/rawget/rawset bypass
local r = setmetatable({}, {__index = function() return "meta" end, __newindex = function() error("no") end})
rawset(r, "k", "v")
print(r.k, r.other, rawget(r, "other"))
-- tostring with __tostring returning non-string
print(pcall(tostring, setmetatable({}, {__tostring = function() return 1 end})))
print(type(select(2, pcall(tostring, setmetatable({}, {__tostring = function() return {} end})))))
