-- Random printf specs against a spread of values.
local seed = 777
local function rnd(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return math.floor(seed / 65536) % n
end
local flagset = {"-", "+", " ", "#", "0"}
local convs = {"d", "i", "u", "o", "x", "X", "e", "E", "f", "g", "G", "s", "c", "q"}
local nums = {0, 1, -1, 7, -42, 255, 3.5, -2.25, 0.001, 123456.789, 1e-7, 1e12, 2^31, -2^31, 65, 9.999, 0.5, 1.5, 2.5, 99.95}
local strs = {"", "a", "hello", "with space", "quote\"d", "new\nline", "12"}
for i = 1, 600 do
  local fl = ""
  for _ = 1, rnd(3) do fl = fl .. flagset[rnd(#flagset) + 1] end
  local width = rnd(3) == 0 and "" or tostring(rnd(15))
  local prec = rnd(3) == 0 and ("." .. rnd(12)) or ""
  local conv = convs[rnd(#convs) + 1]
  local spec = "%" .. fl .. width .. prec .. conv
  local v
  if conv == "s" or conv == "q" then v = strs[rnd(#strs) + 1]
  elseif conv == "c" then v = 65 + rnd(26)
  else v = nums[rnd(#nums) + 1] end
  print(i, spec, pcall(string.format, "[" .. spec .. "]", v))
end
