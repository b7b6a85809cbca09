local cases = {
  {"hello world", "o w"}, {"hello", "(h)(e)(l)(l)(o)"}, {"aaa", "a-b"}, {"aaab", "a-b"}, {"", "a*"},
  {"abc", "%a+$"}, {"123abc", "^%d+"}, {"x=10,y=20", "(%w)=(%d+)"}, {"[[x]]", "%[%[(.-)%]%]"},
  {"a.b", "a.b"}, {"a\nb", "a.b"}, {"  x", "^%s*()"}, {"abc", "((a)(b))"}, {"abcabc", "(abc)%1"},
  {"f(1,(2),3)", "%b()"}, {"x{a{b}c}y", "%b{}"}, {"no close (", "%b()"}, {"THE END", "%f[%a]%u+%f[%A]"},
  {"helloWorld", "%l%u"}, {"a1b2c3", "[%a%d]+"}, {"tab\tsep", "[\t]"}, {"x-y", "[x-z]+"}, {"-", "[-]"},
  {"a]b", "[]]"}, {"a^b", "[%^]"}, {"a^b", "[b^]"}, {"caret", "^c"}, {"$x", "%$x"}, {"end$", "end%$$"},
  {"aXb", "%u"}, {"%", "%%"}, {"abc", "[^a]+"}, {"abc", "[^%a]"}, {"under_score", "[%w_]+"},
  {"  padded  ", "^%s*(.-)%s*$"}, {"k1=v1;k2=v2", "k2=([^;]*)"}, {"2024-01-02T03:04:05Z", "(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)"},
  {"0x1F", "^0[xX](%x+)$"}, {"mixed CASE", "%u+"}, {"a,b,,c", "([^,]*)"}, {"\0x\0", "%z(.)%z"},
  {"punct!?", "%p+"}, {"ctrl\1\2", "%c+"}, {"spaces \t\n", "%s+$"}, {"αβγ", "[\128-\255]+"},
}
for i, c in ipairs(cases) do
  print(i, string.find(c[1], c[2]))
  print(i, string.match(c[1], c[2]))
end
local g = {
  {"hello world", "o", "0"}, {"abc", "", "-"}, {"abc", ".", "%0%0"}, {"hello", "(l)(l)", "%2%1"},
  {"a b c", "%s", ""}, {"x", "x*", "y"}, {"abc", "b*", "X"}, {"one two", "(%w+)", "[%1]"},
  {"a.b.c", ".", "%%"}, {"path/to/file", "/", "\\"}, {"CamelCaseString", "(%u)", " %1"},
  {"   trim   ", "^%s+", ""}, {"   trim   ", "%s+$", ""}, {"aaa", "^a", "b"}, {"aaa", "a$", "b"},
}
for i, c in ipairs(g) do print("gsub", i, string.gsub(c[1], c[2], c[3])) end
print(string.gsub("abc", "%w", "%1"))
print(pcall(string.gsub, "abc", "(%w)", "%2"))
print(string.gsub("hello world", "%w+", "%0 %0", 1))
print(string.gsub("abc", "", "X", 2))
print(string.gsub("x = 1, y = 2", "(%w+) = (%w+)", "%2 = %1"))
local count = 0
for a, b in string.gmatch("k1=v1, k2=v2, k3", "(%w+)=?(%w*)") do count = count + 1; print("gm", a, b) end
print(count)
for m in string.gmatch("", ".") do print("never") end
for m in ("aaa"):gmatch("a*") do print("star", #m) end
for p, w in ("one two"):gmatch("()(%w+)") do print(p, w) end
print(("x"):rep(3):gsub("x", {x = "y"}))
print(string.gsub("a1b22c333", "%d+", function(d) return "<" .. #d .. ">" end))
print(string.gsub("abc", "(a)(b)(c)", function(a, b, c) return c .. b .. a end))
print(string.find("a+b", "+", 1, true), string.find("a+b", "a+", 1, false))
print(string.find("abc", "b", -1), string.find("abc", "b", -2), string.find("abc", "b", 100))
print(string.match("key=val", "(%w+)=(%w+)", 2))
print(pcall(string.find, "a", "(%"), pcall(string.match, "a", "%f"), pcall(string.match, "a", "[%"))
