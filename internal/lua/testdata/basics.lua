-- arithmetic and precedence
print(1 + 2 * 3, (1 + 2) * 3, 2 ^ 3 ^ 2, -2 ^ 2, 7 % 3, -7 % 3, 7 % -3, 5.5 % 2)
print(10 / 4, 3 - -3, 1e300 * 1e10, -1e300 * 1e10, 2^0.5)
print(1 == 1.0, "1" == 1, 1 < 2, "a" < "b", "abc" < "abd", "" < "a", "Z" < "a")
print(not nil, not 0, nil and 1, false or "x", 1 and 2, nil or false, false and nil)
print("10" + 5, "3" * "4", 10 .. 20, "0x10" + 0, " 5 " * 2, "1e2" / 10)
print(100, 100.5, -0.5, 1/3, 123456789, 1234567890123, 12345678901234567, 2^31, 2^32, -2^63)
print(3.0, 1e2, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, 100 / 3)
print(#"hello", #"", ("x"):rep(3))
-- strings and escapes
print("tab\tnew\\line", 'single "q"', [[long
string]], [==[with ]] inside]==], "\65\066\x", "a\
b")
-- while / repeat / for
local i, s = 0, 0
while i < 10 do i = i + 1; s = s + i end
print(i, s)
repeat i = i - 3 until i < 0
print(i)
for k = 1, 3 do io = nil; s = s + k end
print(s)
for k = 10, 1, -3 do print("down", k) end
for k = 1, 2, 0.5 do print("half", k) end
for k = 1, 0 do print("never") end
for k = 1.5, 3.5 do print("fl", k) end
-- break out of nested loops
for a = 1, 3 do
  for b = 1, 3 do
    if b == 2 then break end
    print("ab", a, b)
  end
end
-- closures
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c1, c2 = counter(), counter()
print(c1(), c1(), c2(), c1())
local fs = {}
for k = 1, 3 do fs[k] = function() return k end end
print(fs[1](), fs[2](), fs[3]())
local shared = {}
do
  local x = 0
  shared.inc = function() x = x + 1 end
  shared.get = function() return x end
end
shared.inc(); shared.inc()
print(shared.get())
local w = 1
local function outer()
  local function inner() w = w * 2; return w end
  return inner() + inner()
end
print(outer(), w)
-- varargs and multiple returns
local function va(...)
  local a, b = ...
  return select('#', ...), a, b, ...
end
print(va())
print(va(1, nil, 3))
print((va(1, 2)))
local function mr() return 1, 2, 3 end
local t = {mr(), mr()}
print(#t, t[1], t[2], t[4])
local t2 = {mr(), (mr())}
print(#t2)
print(mr(), "end")
print("start", mr())
local x, y, z, q = mr()
print(x, y, z, q)
local p1, p2 = 1
print(p1, p2)
local function pack(...) return {n = select('#', ...), ...} end
local pk = pack(nil, 2, nil)
print(pk.n, pk[1], pk[2], pk[3])
print(select(2, "a", "b", "c"), select(-2, "a", "b", "c"))
-- tail calls do not grow the stack
local function loop(n) if n == 0 then return "done" end return loop(n - 1) end
print(loop(100000))
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
-- multiple assignment evaluation order
local a1, a2 = 1, 2
a1, a2 = a2, a1
print(a1, a2)
local tt = {}
local idx = 1
idx, tt[idx] = idx + 1, 20
print(idx, tt[1], tt[2])
-- nested functions and methods
local obj = {v = 5}
function obj:get(d) return self.v + (d or 0) end
function obj.static(a) return a * 2 end
print(obj:get(), obj:get(10), obj.static(4))
local ns = {a = {b = {}}}
function ns.a.b.f() return "deep" end
print(ns.a.b.f())
-- string coercion in concat of numbers
print(1 .. "", 1.5 .. "|" .. -0.25, 2^53 .. "", 1e100 .. "")
-- long comments --[[ ]]
--[==[ comment
]==]
print("after comments")
; ; print("semicolons")
