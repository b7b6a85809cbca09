local vals = {0, 1, -1, 42, 3.14159, -2.5, 1e10, 1e-10, 123456789.123, 0.5, 1.5, 2.5, 255, 1e20, -0.0}
local fmts = {"%d", "%5d", "%-5d|", "%05d", "%+d", "% d", "%x", "%X", "%#x", "%o", "%#o", "%e", "%.2e", "%E", "%f", "%.0f", "%.3f", "%10.2f", "%-10.2f|", "%g", "%.3g", "%G", "%#g", "%+.1f", "%.10g", "%i", "%u", "%c"}
for _, f in ipairs(fmts) do
  local row = {}
  for _, v in ipairs(vals) do
    if f ~= "%c" or (v >= 32 and v < 127 and v == math.floor(v)) then
      row[#row + 1] = string.format(f, v)
    end
  end
  print(f, table.concat(row, " "))
end
print(string.format("%q", 'he said "hi"\n\tnext\\'))
print(pcall(string.format, "%s %s %s", nil, true, 12.5))
print(pcall(string.format, "%s"))
print(pcall(string.format, "%d", "abc"))
print(string.format("%d", "42"), string.format("%.2f", "3.14159"))
print(string.format("%5.1s|", "abc"), string.format("%.0s|", "abc"), string.format("%-3s|", "abcdef"))
print(string.format("%%"), string.format("a%%b%sc", 1))
print(pcall(string.format, "%10.123f", 1))
print(pcall(string.format, "%------d", 1))
print(string.format("%.14g", 0.1), string.format("%.17g", 0.1), string.format("%.20f", 0.1))
print(string.format("%g %g %g %g", 1e15, 1e16, 123456, 1234567))
print(string.format("%g %g %g", 0.0001, 0.00001, 100000))
print(string.format("%e", 0), string.format("%g", 0), string.format("%f", 1/0), string.format("%f", -1/0), string.format("%5.1f|", 1/0))
print(string.format("%x", 2^40), string.format("%d", 2^53), string.format("%d", -2^53))
print(string.format("%s", string.rep("x", 120)):len())
print(string.format("[%10s][%-10s]", "hi", "hi"))
print(string.format("%3d|%-3d|%03d", 7, 7, 7))
print(string.format("%.3d|%.0d|%5.3d", 7, 0, 7))
