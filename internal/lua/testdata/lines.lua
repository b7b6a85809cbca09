-- error positions in multi-line expressions
print(pcall(function()
  local a = nil
  return 1 +
    a
end))
print(pcall(function()
  local t = {}
  return t.x
    .. "s"
end))
print(pcall(function()
  local x
  return -
    x
end))
print(pcall(function()
  local f
  return f(
    1,
    2)
end))
print(pcall(function()
  return 1 <
    {}
end))
print(pcall(function()
  local t = nil
  return t
    .field
end))
print(pcall(function()
  local s = "a" ..
    "b" ..
    {}
end))
print(pcall(function()
  error("multi" ..
    "line")
end))
