local vals = {0, -0, 1, -1, 0.5, 1/3, 2/3, 1e14, 1e15, 1e16, 99999999999999, 999999999999999, 123456789012.5,
  1e-4, 1e-5, 0.1, 0.2, 0.30000000000000004, 3.14159265358979, 2^24, 2^53, 2^53 + 1, 2^63, 2^64, -2^31,
  1e300, 1e-300, 5e-324, 1.7976931348623157e308, 100, 1e2, 12.0, 1.25e-7, 6.02214076e23, 255/256, 1/0, -1/0}
for i, v in ipairs(vals) do
  print(i, v, tostring(v), v .. "", string.format("%.14g", v), -v)
end
print(7 % 2, -7 % 2, 7 % -2, -7 % -2, 7.5 % 2, -7.5 % 2, 5 % 0 ~= 5 % 0, 1e308 * 10, -1e308 * 10)
print(2^0.5, 2^-1, (-2)^2, (-2)^3, 0^0, 0^-1, 10^15, 10^-2)
print(1e15 + 0.5, 2^53 + 1 == 2^53, 0.1 + 0.2 == 0.3, 1/3 * 3 == 1)
print(tonumber("0x7fffffff"), tonumber("0xffffffffffffffff"), tonumber("1e-400"), tonumber("  -0  "), tonumber("+5"))
print(math.floor(2^31 + 0.5), math.floor(-2^31 - 0.5), string.format("%d", 2^31), string.format("%d", -2^31 - 1))
for _, s in ipairs({"10", "10.5", " 7 ", "0x1p4", "1e2", "abc", "", "5 5", "-0x10", ".5", "5.", "1e", "inf", "nan", "-inf"}) do
  print(s, tonumber(s), pcall(function() return s + 0 end))
end
local t = {}
t[1] = "int"; t[1.0] = "float"; t["1"] = "str"
print(t[1], t["1"], #t)
t[2^53] = "big"
print(t[2^53], t[2^53 + 1])
print(3 == 3.0, "3" == 3, 0 == -0, 1/0 == 1/0, -0 < 0)
print(string.format("%5.1f|%-8.3f|%08.3f|%+.2e", 3.14159, 2.5, -1.5, 12345.6789))
