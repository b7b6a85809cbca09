-- Random Lua patterns against random subjects with find, match, gsub.
local seed = 4242
local function rnd(n)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return math.floor(seed / 65536) % n
end
local pieces = {"a", "b", ".", "%a", "%d", "%s", "%w", "%p", "[ab]", "[^a]", "[a-c]", "[%d%s]", "%u", "%l",
  "x", "%.", "%%", "(", ")", "()", "%b()", "%f[%w]", "%1", "^", "$", "[]]", "[^]]"}
local quants = {"", "", "", "*", "+", "-", "?"}
local subjects = {"", "abc", "aabbcc", "a.b.c", "hello world", "(a(b)c)", "x1 y22 z333", "ABC def", "  trim  ", "a%b", "]]", "ab ab ab"}
for i = 1, 500 do
  local p = ""
  for _ = 1, rnd(4) + 1 do p = p .. pieces[rnd(#pieces) + 1] .. quants[rnd(#quants) + 1] end
  local s = subjects[rnd(#subjects) + 1]
  local init = rnd(4) == 0 and (rnd(7) - 3) or nil
  print(i, string.format("%q %q", p, s), init,
    pcall(string.find, s, p, init))
  print(i, pcall(string.match, s, p))
  print(i, pcall(string.gsub, s, p, "<%0>"))
end
