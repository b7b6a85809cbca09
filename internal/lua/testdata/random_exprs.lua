-- Random expressions built from a fixed seed, compiled with loadstring
-- and run under pcall: exercises the parser, constant folding, operator
-- precedence, coercions, number formatting and error messages at once.
local seed = 20240601
local function rnd(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return math.floor(seed / 65536) % n
end
local atoms = {"1", "2", "0", "-3", "2.5", "1e3", "0.1", "'10'", "'x'", "'3.5'", "nil", "true", "a", "b", "s", "t.x", "t[1]", "#s", "#t", "(1/0)", "u"}
local binops = {"+", "-", "*", "/", "%", "^", "..", "==", "~=", "<", "<=", ">", ">=", "and", "or"}
local unops = {"-", "not ", "#"}
local function gen(depth)
  if depth <= 0 or rnd(3) == 0 then return atoms[rnd(#atoms) + 1] end
  local r = rnd(10)
  if r < 6 then return gen(depth - 1) .. " " .. binops[rnd(#binops) + 1] .. " " .. gen(depth - 1)
  elseif r < 8 then return unops[rnd(#unops) + 1] .. gen(depth - 1)
  else return "(" .. gen(depth - 1) .. ")" end
end
local env = {a = 4, b = -2, s = "hello", t = {x = 7, 8, 9}, u = nil}
for i = 1, 400 do
  local src = "return " .. gen(4)
  local f, err = loadstring(src, "=expr")
  if not f then
    print(i, "syntax", err)
  else
    setfenv(f, env)
    print(i, src, pcall(f))
  end
end
