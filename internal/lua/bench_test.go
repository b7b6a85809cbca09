package lua

import (
	"syscall"
	"testing"
)

const benchFib = `
local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
return fib(30)`

const benchLoop = `
local s = 0
for i = 1, 10000000 do s = s + i end
return s`

const benchConcat = `
local t = {}
for i = 1, 10000 do t[#t+1] = "item" .. i end
return #table.concat(t, ",")`

const benchTable = `
local t = {}
for i = 1, 100000 do t[i] = i * 2 end
local s = 0
for i = 1, #t do s = s + t[i] end
local h = {}
for i = 1, 10000 do h["k" .. (i % 1000)] = i end
return s`

const counterScript = `
local current = redis.call('get', KEYS[1])
if current then
    current = tonumber(current)
    redis.call('set', KEYS[1], current + ARGV[1])
    return current + ARGV[1]
else
    redis.call('set', KEYS[1], ARGV[1])
    return ARGV[1]
end`

func benchMoon(b *testing.B, src string) {
	L := NewState(Options{})
	c, err := L.Load(src, "=bench")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for i := 0; i < b.N; i++ {
		if _, err := L.Run(c); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

func BenchmarkFib30(b *testing.B)   { benchMoon(b, benchFib) }
func BenchmarkLoop1e7(b *testing.B) { benchMoon(b, benchLoop) }
func BenchmarkConcat(b *testing.B)  { benchMoon(b, benchConcat) }
func BenchmarkTable(b *testing.B)   { benchMoon(b, benchTable) }

// The counter script with a stub redis.call backed by a Go map.
func BenchmarkCounterScript(b *testing.B) {
	L := NewState(Options{})
	store := map[string]string{}
	L.RegisterLib("redis", map[string]GoFunction{
		"call": func(L *State, args []Value) []Value {
			cmd := L.CheckString(args, 1)
			key := L.CheckString(args, 2)
			switch cmd {
			case "get":
				if v, ok := store[key]; ok {
					return L.Ret1(String(v))
				}
				return L.Ret1(False)
			case "set":
				store[key] = L.CheckString(args, 3)
				return L.Ret1(True)
			}
			return nil
		},
	})
	keys := L.NewTable(1, 0)
	keys.SetInt(1, String("counter"))
	argv := L.NewTable(1, 0)
	argv.SetInt(1, String("1"))
	L.SetGlobal("KEYS", TableValue(keys))
	L.SetGlobal("ARGV", TableValue(argv))
	c, err := L.Load(counterScript, "@user_script")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for i := 0; i < b.N; i++ {
		if _, err := L.Run(c); err != nil {
			b.Fatal(err)
		}
	}
	cpu.report(b)
}

// cpuTimer reports user+system CPU time per op as "cpu-ns/op": on a
// shared, loaded machine wall-clock ns/op mostly measures the scheduler.
type cpuTimer struct{ start syscall.Rusage }

func startCPU() *cpuTimer {
	c := &cpuTimer{}
	syscall.Getrusage(syscall.RUSAGE_SELF, &c.start)
	return c
}

func (c *cpuTimer) report(b *testing.B) {
	var end syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &end)
	us := func(r syscall.Rusage) int64 {
		return (r.Utime.Sec+r.Stime.Sec)*1e6 + int64(r.Utime.Usec+r.Stime.Usec)
	}
	b.ReportMetric(float64(us(end)-us(c.start))*1e3/float64(b.N), "cpu-ns/op")
}

const benchCoroutine = `
local gen = coroutine.wrap(function() for i = 1, 10000 do coroutine.yield(i) end end)
local s = 0
for i = 1, 10000 do s = s + gen() end
return s`

func BenchmarkCoroutine(b *testing.B) { benchMoon(b, benchCoroutine) }

const benchStrings = `
local n = 0
for i = 1, 20000 do
  local s = string.format("%d:%s", i, "x")
  local a, b = s:match("(%d+):(%a)")
  n = n + #a + #s:upper() + #s:gsub("x", "yy")
end
return n`

const benchMethods = `
local P = {}
P.__index = P
function P.new(x, y) return setmetatable({x = x, y = y}, P) end
function P:add(o) return P.new(self.x + o.x, self.y + o.y) end
local acc = P.new(0, 0)
for i = 1, 100000 do acc = acc:add(P.new(1, 2)) end
return acc.x`

func BenchmarkStrings(b *testing.B) { benchMoon(b, benchStrings) }
func BenchmarkMethods(b *testing.B) { benchMoon(b, benchMethods) }
