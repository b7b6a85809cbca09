local cases = {
  "x = = 1", "x = 'abc", "function f() return 1", "for i=1 do end", "local 1 = 2",
  "if x then", "x = }", "return return", "f(", "a.b:c = 1", "x = 1 +", "local t = {1, 2",
  "while true do", "repeat until", "x = [[unfinished", "x = 0x", "x = 1e", "x = 3..4",
  "goto = 1", "local function end", "return 1,", "x = \"\\300\"", "--[[ unfinished",
  "a, b() = 1, 2", "(a) = 1", "x = ...", "function f() x = ... end", "break", "do end end",
  "x = {[1] 2}", "f{}.x = 1", "local a <const> = 1", "x = 1 y = 2", "a = b\n(c)()",
  "return (1)", "x = 'a\nb'", "x = #", "x = not", "t = {;}", "x = function() end()",
  "for a, b = 1, 2 do end", "for a in do end", "local x, = 1", "f():g()", "x = a.b.c.d:e(f)(g)[h]",
  "x = 1 == 2 == 3", "x = -2^-2", "x = 'unterminated\\", "if a then elseif b then else end",
  "x = 5 % 0", "return 1 2",
}
for i, src in ipairs(cases) do
  local f, err = loadstring(src)
  if f then print(i, "ok") else print(i, err) end
end
print(loadstring("return 2^-2")(), loadstring("return -2^2")(), loadstring("return 2^3^2")())
print(loadstring("return 1 .. 2 .. 3")(), loadstring("return 'a' < 'b' == true")())
print(loadstring("return not 1 == 2")(), loadstring("return 1 + 2 * 3 - 4 / 2")())
print(loadstring("return #'abc' + 1")(), loadstring("return -#'ab'")())
print(loadstring("#!shebang\nreturn 1") == nil)
for _, n in ipairs({196, 197, 198}) do
  local f, err = loadstring(string.rep("do ", n) .. string.rep("end ", n))
  print(n, f ~= nil, err and err:sub(-33))
  f, err = loadstring("return " .. string.rep("(", n - 1) .. "1" .. string.rep(")", n - 1))
  print(n, f ~= nil, err and err:sub(-33))
  f, err = loadstring("return " .. string.rep("{", n - 1) .. string.rep("}", n - 1))
  print(n, f ~= nil, err and err:sub(-33))
end
