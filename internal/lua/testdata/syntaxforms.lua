local function id(...) return ... end
print(id"str", id'single', id[[long]], id{1}[1], #id{1, 2, 3})
local o = {name = "o"}
function o:greet(x) return self.name .. (x or "") end
print(o:greet"!", o:greet[[x]], o.greet(o, "?"))
print(("%d-%d"):format(1, 2), (("x")):rep(2), #"abc" + 1, -2 ^ 2, not nil == true)
local t = {[1] = "a"; "b", c = "c"; d = {e = {f = "deep"}},}
print(t[1], t.c, t.d.e.f, t["d"]["e"]["f"])
local a, b, c = (function() return 1, 2, 3 end)()
print(a, b, c)
print((id(1, 2, 3)))
local s = [==[
first line skipped newline]==]
print(s, #s)
print(#[[
]], [[a
b]] == "a\nb")
local n = 0
while true do n = n + 1 if n > 5 then break end end
repeat local r = n n = n - 1 until r <= 3
print(n)
for i = 3, 1, -1 do io = nil end
print(0x10, 0xff, 1e2, .5, 5e-1, 3., 0xA)
print(1 -- comment
+ 2)
print("a" --[[ block ]] .. "b")
local f = function(...) local x, y = ... return y, x end
print(f(1, 2))
print(type(nil), type(print) == "function", select("#", nil, nil))
goto = 1
print(goto)
