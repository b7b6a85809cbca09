package hostile

import (
	"testing"
	"time"
)

// Globals, library tables and the globals' metatable are read-only:
// a script cannot plant code that another client's script would run.
func TestCVE_2022_24735_24736_GlobalsTampering(t *testing.T) {
	newEnv(t).run([]attack{
		{name: "assign_global", script: "x = 1"},
		{name: "replace_redis_call", script: "redis.call = function() return 1 end"},
		{name: "rawset_redis", script: "rawset(redis, 'call', 1)"},
		{name: "rawset_G", script: "return rawset(_G, 'x', 1)"},
		{name: "rawset_string_lib", script: "return rawset(string, 'len', 1)"},
		{name: "string_lib_via_local", script: "local s = string s.rep = nil return 1"},
		{name: "cjson_encode", script: "cjson.encode = nil"},
		{name: "G_redis_nil", script: "_G.redis = nil"},
		{name: "setmetatable_G_nil", script: "setmetatable(_G, nil) return 1"},
		{name: "setmetatable_G_new", script: "setmetatable(_G, {}) return 1"},
		{name: "G_metatable_index", script: "local m = getmetatable(_G) m.__index = nil return 1"},
		{name: "G_metatable_newindex", script: "local m = getmetatable(_G) m.__newindex = function() end return 1"},
		{name: "rawset_G_metatable", script: "return rawset(getmetatable(_G), '__index', nil)"},
		{name: "loadstring_assign", script: "local f = loadstring('redis.call = print') return {pcall(f)}"},
		{name: "loadstring_global", script: "local f = loadstring('y = 2') local ok, e = pcall(f) return e"},
		{name: "table_insert_lib", script: "table.insert(string, 'x')"},
		{name: "table_sort_lib", script: "table.sort(math)"},
		{name: "table_remove_lib", script: "return {pcall(table.remove, string)}"},
		{name: "math_random", script: "math.random = function() return 4 end"},
		{name: "undefined_global_read", script: "return undefined_thing"},
		{name: "no_os_io_require", script: "return {pcall(function() return os end)}"},
		{name: "no_io", script: "return io"},
		{name: "no_require", script: "return require"},
		{name: "no_loadfile", script: "return loadfile"},
		{name: "no_dofile", script: "return dofile"},
		{name: "no_debug", script: "return debug"},
		{name: "no_print", script: "return print"},
		{name: "no_getfenv", script: "return getfenv"},
		{name: "no_bytecode", script: "return {loadstring(string.char(27) .. 'LuaQ')}"},
		{name: "keys_writable", script: "KEYS[1] = 'x' ARGV[3] = 'y' return {KEYS[1], ARGV[3]}", keys: []string{"a"}},
		// Redis gives each script new KEYS and ARGV tables: nothing a
		// script plants in them reaches the next script.
		{name: "plant_keys_argv", script: "KEYS.x = 'planted' ARGV[5] = 'p5' KEYS[3] = 'k3' setmetatable(ARGV, {__index = function() return 'evil' end}) return 1"},
		{name: "planted_keys_argv_gone", script: "return {tostring(KEYS.x), tostring(ARGV[5]), tostring(KEYS[3]), tostring(ARGV[2]), #KEYS, getmetatable(ARGV) == nil}", keys: []string{"a"}},
	})
}

// The metatable every string shares (and its __index, the string
// library) cannot be changed, so s:len() in another client's script runs
// the real string.len (CVE-2025-46818).
func TestCVE_2025_46818_BasicTypeMetatables(t *testing.T) {
	newEnv(t).run([]attack{
		{name: "string_index_function", script: "getmetatable('').__index = function() return 'pwned' end"},
		{name: "string_index_nil", script: "local mt = getmetatable('') mt.__index = nil return 1"},
		{name: "string_index_rawset", script: "rawset(getmetatable(''), '__index', {}) return 1"},
		{name: "string_add_metamethod", script: "getmetatable('').__add = function() return 1 end"},
		{name: "string_metatable_replace", script: "return pcall(setmetatable, getmetatable(''), {__index = function() return 1 end})"},
		{name: "pcall_hides_nothing", script: "local ok, e = pcall(function() getmetatable('').__index = {} end) return e"},
		{name: "loadstring_string_mt", script: "local f = loadstring(\"getmetatable('').__index = {}\") return pcall(f)"},
		{name: "string_index_is_lib", script: "return rawget(getmetatable(''), '__index') == string"},
		{name: "setmetatable_number", script: "return setmetatable(1, {})"},
		{name: "string_lib_field", script: "getmetatable('').__index.len = function() return 99 end"},
		{name: "later_script_unaffected", script: "return ('abc'):len()"},
	})
}

// cjson and cmsgpack with huge or deeply nested input (CVE-2022-24834):
// bounded errors as in Redis, or the memory budget.
func TestCVE_2022_24834_CjsonCmsgpack(t *testing.T) {
	nested := "local t = {} for i = 1, 20000 do t = {t} end "
	newEnv(t).run([]attack{
		{name: "cjson_encode_deep", script: nested + "return cjson.encode(t)"},
		{name: "cjson_encode_cycle", script: "local t = {} t[1] = t return cjson.encode(t)"},
		{name: "cjson_decode_deep_arrays", script: "return cjson.decode(string.rep('[', 100000))"},
		{name: "cjson_decode_deep_objects", script: "return pcall(cjson.decode, string.rep('{\"a\":', 100000))"},
		{name: "cjson_encode_big_string", script: "return #cjson.encode(string.rep('\\1', 2^20))"},
		{name: "cjson_decode_long_array", script: "return #cjson.decode('[' .. string.rep('1,', 100000) .. '1]')"},
		{name: "cjson_sparse_key_2p31", script: "return cjson.encode({[2^31] = 1})"},
		{name: "cjson_sparse_key_2p31m1", script: "local t = {} t[2^31-1] = 1 return cjson.encode(t)"},
		{name: "cjson_sparse_key_1e10", script: "return cjson.encode({[1e10] = 1})"},
		{name: "cjson_max_depth_2p31", script: "return cjson.encode_max_depth(2^31)"},
		{name: "cjson_max_depth_wraps", script: "return {cjson.encode_max_depth(2^32 + 1000), cjson.encode_max_depth(1000)}"},
		{name: "cjson_decode_max_depth_0", script: "return cjson.decode_max_depth(0)"},
		{name: "cjson_precision_15", script: "return cjson.encode_number_precision(15)"},
		{name: "cjson_sparse_ratio_2p31", script: "return cjson.encode_sparse_array(false, 2^31)"},
		{name: "cjson_huge_exponent", script: "return cjson.decode('1e999999999999')"},
		{name: "cjson_encode_inf", script: "return cjson.encode(1/0)"},
		{name: "cmsgpack_deep", script: nested + "return #cmsgpack.pack(t)"},
		{name: "cmsgpack_cycle", script: "local t = {} t[1] = t return #cmsgpack.pack(t)"},
		{name: "cmsgpack_str32_len_max", script: "return cmsgpack.unpack('\\219\\255\\255\\255\\255')"},
		{name: "cmsgpack_array32_len_max", script: "return cmsgpack.unpack('\\221\\255\\255\\255\\255')"},
		{name: "cmsgpack_map32_len_max", script: "return cmsgpack.unpack('\\223\\255\\255\\255\\255')"},
		{name: "cmsgpack_unpack_limit_negative", script: "return {cmsgpack.unpack_limit('\\1\\2\\3', -1)}"},
		{name: "cmsgpack_unpack_one_2p31", script: "return {cmsgpack.unpack_one('\\1\\2\\3', 2^31)}"},
		{name: "cmsgpack_offset_min", script: "return {cmsgpack.unpack_limit('\\1\\2\\3', 0, -2^31)}"},
		{name: "cmsgpack_big_string", script: "return #cmsgpack.pack(string.rep('x', 2^24))"},
		// Redis encodes a 2^31-1 element sparse array (16 GB of "null"s)
		// until it runs out of memory; moonkv's budget stops it.
		{name: "cjson_sparse_array_bomb", script: "cjson.encode_sparse_array(false, 0) local ok, e = pcall(cjson.encode, {[2^31-1] = 1}) return e",
			want: scriptErr("cjson.encode_sparse_array(false, 0) local ok, e = pcall(cjson.encode, {[2^31-1] = 1}) return e", "ERR not enough memory"), within: 20 * time.Second},
	})
}

// struct.pack/unpack/size with huge sizes, repeat counts and offsets
// (CVE-2020-14147).
func TestCVE_2020_14147_Struct(t *testing.T) {
	newEnv(t).run([]attack{
		{name: "pack_i2p31", script: "return struct.pack('i' .. 2^31, 1)"},
		{name: "pack_i17", script: "return struct.pack('i17', 1)"},
		{name: "pack_i33", script: "return struct.pack('i33', 1)"},
		{name: "pack_c2p31", script: "return struct.pack('c2147483648', 'a')"},
		{name: "pack_align_2p31", script: "return struct.pack('!2147483648i', 1)"},
		{name: "pack_align_16", script: "return struct.pack('!16i', 1)"},
		{name: "pack_c_huge_digits", script: "return struct.pack('c99999999999999999999', 'abcd')"},
		{name: "pack_many_items", script: "return struct.pack(string.rep('i', 100000), 1)"},
		{name: "unpack_i2p31", script: "return struct.unpack('i' .. 2^31, 'abcd')"},
		{name: "unpack_c_max", script: "return struct.unpack('c2147483647', 'abcd')"},
		{name: "unpack_c_huge_digits", script: "return struct.unpack('c99999999999999999999', 'abcd')"},
		{name: "unpack_c0_no_size", script: "return {struct.unpack('c0', 'abcd')}"},
		{name: "unpack_c0_huge_size", script: "return {struct.unpack('bc0', '\\127abcd')}"},
		{name: "unpack_offset_2p31", script: "return {struct.unpack('i4', 'abcd', 2^31)}"},
		{name: "unpack_offset_minus_2p31", script: "return {struct.unpack('i4', 'abcd', -2^31)}"},
		{name: "unpack_offset_2p53", script: "return {struct.unpack('i4', 'abcd', 2^53)}"},
		{name: "unpack_offset_0", script: "return {struct.unpack('i4', 'abcd', 0)}"},
		{name: "unpack_offset_minus_1", script: "return {struct.unpack('i4', 'abcd', -1)}"},
		{name: "unpack_offset_negative_s", script: "return {struct.unpack('s', 'ab\\0cd', -1)}"},
		{name: "unpack_offset_negative_empty", script: "return {struct.unpack('', 'abcd', -100)}"},
		{name: "unpack_past_end", script: "return {struct.unpack('i4', 'abcd', 2)}"},
		{name: "unpack_i9", script: "return {struct.unpack('>I9', '123456789')}"},
		{name: "unpack_i16", script: "return {struct.unpack('>i16', '1234567812345678')}"},
		{name: "size_two_huge", script: "return struct.size('c2147483647c2147483647')"},
		{name: "size_i2p31", script: "return struct.size('i' .. 2^31)"},
	})
}

// bit.tohex with extreme digit counts (CVE-2024-31449).
func TestCVE_2024_31449_BitTohex(t *testing.T) {
	newEnv(t).run([]attack{
		{name: "min_int", script: "return bit.tohex(65535, -2147483648)"},
		{name: "max_int", script: "return bit.tohex(65535, 2147483647)"},
		{name: "min_plus_1", script: "return bit.tohex(65535, -2147483647)"},
		{name: "minus_8", script: "return bit.tohex(65535, -8)"},
		{name: "two_p31", script: "return bit.tohex(-1, 2^31)"},
		{name: "two_p53", script: "return bit.tohex(1, 2^53)"},
		{name: "minus_two_p53", script: "return bit.tohex(1, -2^53)"},
		{name: "nan", script: "return bit.tohex(1, 0/0)"},
		{name: "inf", script: "return bit.tohex(1, 1/0)"},
		{name: "zero", script: "return bit.tohex(1, 0)"},
	})
}

// unpack with ranges near the limits of C's int (CVE-2025-46817).
func TestCVE_2025_46817_Unpack(t *testing.T) {
	newEnv(t).run([]attack{
		{name: "min_to_max", script: "return {unpack({}, -2^31, 2^31-1)}"},
		{name: "zero_to_max", script: "return {unpack({}, 0, 2^31-1)}"},
		{name: "one_to_max", script: "return {unpack({}, 1, 2^31-1)}"},
		{name: "near_min", script: "return {unpack({}, -2^31, -2^31+5)}"},
		{name: "near_max", script: "return {unpack({}, 2^31-3, 2^31-1)}"},
		{name: "reversed", script: "return {unpack({1,2,3}, 2^31-1, -2^31)}"},
		{name: "one_million", script: "return {unpack({}, 1, 1e6)}"},
		{name: "just_too_many", script: "return #{unpack({}, 1, 7999)}"},
		{name: "fits", script: "return select('#', unpack({}, 1, 7990))"},
		{name: "two_p53", script: "return {unpack({}, 1, 2^53)}"},
		{name: "minus_to_plus_2p53", script: "return {unpack({}, -2^53, 2^53)}"},
		{name: "two_p32_plus_3", script: "return {unpack({1, 2, 3}, 2^32 + 1, 2^32 + 3)}"},
		{name: "inf", script: "return {unpack({1,2,3}, 1/0)}"},
		{name: "nan", script: "return {unpack({1,2,3}, 0/0)}"},
		{name: "pcall_min_to_max", script: "return {pcall(unpack, {}, -2^31, 2^31-1)}"},
	})
}

// Newlines in error and status replies could inject protocol: Redis
// turns \r and \n in them into spaces.
func TestRESPInjection(t *testing.T) {
	newEnv(t).run([]attack{
		{name: "error_reply", script: "return redis.error_reply('a\\r\\nb\\nc')"},
		{name: "status_reply", script: "return redis.status_reply('a\\r\\nb\\nc')"},
		{name: "error_reply_fake_ok", script: "return redis.error_reply('-X a\\r\\n+OK')"},
		{name: "err_table", script: "return {err='a\\r\\nb'}"},
		{name: "ok_table", script: "return {ok='a\\r\\n:1'}"},
		{name: "error_string", script: "error('a\\r\\nb')"},
		{name: "error_fake_error", script: "error('x\\r\\n-ERR y')"},
		{name: "error_table_err", script: "error({err='x\\r\\n+OK'})"},
		{name: "nested_error", script: "return {1, {err='a\\r\\n:5'}, redis.status_reply('b\\n$1')}"},
		{name: "unknown_command", script: "return redis.call('nosuchcmd\\r\\n')"},
		{name: "pcall_error_text", script: "return redis.pcall('get', 'a', 'b\\r\\n')"},
		{name: "key_with_crlf", script: "return redis.call('set', 'k\\r\\n', 'v\\r\\n')", writes: []string{"k\r\n"}},
		{name: "big_number", script: "return {big_number='1\\r\\n2'}"},
		{name: "resp3_big_number", script: "redis.setresp(3) return {big_number='1\\r\\n2'}"},
		{name: "resp3_verbatim", script: "redis.setresp(3) return {verbatim_string={format='txt', string='a\\r\\nb'}}"},
		{name: "resp3_verbatim_bad_format", script: "redis.setresp(3) return {verbatim_string={format='t\\r\\n', string='ab'}}"},
		{name: "resp3_map_key", script: "redis.setresp(3) return {map={['a\\r\\n']=1}}"},
		{name: "empty_error", script: "return redis.error_reply('')"},
		{name: "dash_error", script: "return {err='-'}"},
		{name: "empty_status", script: "return redis.status_reply('')"},
		{name: "log_crlf", script: "redis.log(redis.LOG_WARNING, 'a\\r\\nb') return 1"},
	})
}

// Error objects that are not strings. Redis 7.0.15 crashes (SIGSEGV) on
// every table without a string or number err field: error({}),
// error({1,2}), error({err={}}), error({err=true}) and an object with a
// __tostring metamethod. moonkv answers "ERR unknown error" with the
// script's position, never running a metamethod of the object (it could
// loop or fail again). Scalars and {err=<string or number>} are answered
// as Redis answers them.
func TestErrorObjects(t *testing.T) {
	unknown := func(script string) attack {
		return attack{name: "", script: script, want: scriptErr(script, "ERR unknown error")}
	}
	named := func(name string, a attack) attack { a.name = name; return a }
	newEnv(t).run([]attack{
		named("empty_table", unknown("error({})")),
		named("array_table", unknown("error({1,2})")),
		named("err_is_table", unknown("error({err={}})")),
		named("err_is_boolean", unknown("error({err=true})")),
		named("tostring_metamethod", unknown("error(setmetatable({}, {__tostring=function() return 'boom' end}))")),
		named("tostring_raises", unknown("error(setmetatable({}, {__tostring=function() error('inner') end}))")),
		named("tostring_loops", unknown("error(setmetatable({}, {__tostring=function() while true do end end}))")),
		named("index_metamethod", unknown("error(setmetatable({}, {__index=function() return 'x' end}))")),
		named("index_raises", unknown("error(setmetatable({}, {__index=function() error('y') end}))")),
		named("nested_pcall_rethrow", unknown("local ok, e = pcall(error, {}) error(e)")),
		{name: "err_number", script: "error({err=1})"},
		{name: "err_float", script: "error({err=1.5})"},
		{name: "err_huge_number", script: "error({err=1e300})"},
		{name: "err_empty", script: "error({err=''})"},
		{name: "err_string", script: "error({err='x'})"},
		{name: "err_dash", script: "error({err='-x y'})"},
		{name: "nil", script: "error(nil)"},
		{name: "no_value", script: "error()"},
		{name: "number", script: "error(123)"},
		{name: "float", script: "error(1.5)"},
		{name: "boolean", script: "error(true)"},
		{name: "empty_string", script: "error('')"},
		{name: "level_0", script: "error('x', 0)"},
		{name: "level_2_table", script: "error({err='x'}, 2)"},
		{name: "pcall_table", script: "return {pcall(error, {err='x'})}"},
		{name: "pcall_empty_table", script: "return pcall(error, {})"},
		{name: "pcall_tostring_object", script: "local ok, e = pcall(error, setmetatable({}, {__tostring=function() return 'boom' end})) return tostring(e)"},
		{name: "return_err_table", script: "return {err={}}"},
		{name: "return_err_number", script: "return {err=1}"},
		{name: "return_ok_table", script: "return {ok={}}"},
		{name: "return_index_metamethod", script: "return setmetatable({}, {__index=function(t,k) error('idx') end})"},
		{name: "return_len_metamethod", script: "return setmetatable({}, {__len=function() return 5 end})"},
	})
}

// Deep recursion in Lua, through pcall, metamethods, coroutines and
// patterns: a clear error, never a crash.
func TestDeepRecursion(t *testing.T) {
	newEnv(t).run([]attack{
		{name: "lua_recursion", script: "local function f(n) return 1 + f(n + 1) end return f(1)"},
		{name: "lua_recursion_pcall", script: "local function f(n) return 1 + f(n + 1) end local ok, e = pcall(f, 1) return {ok, e}"},
		{name: "pcall_chain", script: "local function f() return pcall(f) end return {f()}"},
		{name: "tail_calls_unbounded", script: "local function f(n) if n == 0 then return 'done' end return f(n - 1) end return f(1e6)"},
		{name: "index_metamethod_loop", script: "local t = setmetatable({}, {}) getmetatable(t).__index = function(t, k) return t[k] end return t.x"},
		{name: "index_chain", script: "local t = {} setmetatable(t, {__index = t}) return t.x"},
		{name: "tostring_recursion", script: "local t = {} setmetatable(t, {__tostring = function(x) return tostring(x) end}) return tostring(t)"},
		{name: "coroutine_nesting", script: "local function f(n) local co = coroutine.create(function() return f(n + 1) end) local ok, e = coroutine.resume(co) if not ok then error(e, 0) end return e end return f(1)"},
		{name: "coroutine_wrap_nesting", script: "local function f() return coroutine.wrap(f)() end return f()"},
		{name: "gsub_callback_recursion", script: "local function f(s) return (string.gsub(s, '.', f)) end return f('abc')"},
		{name: "sort_comparator_recursion", script: "local function cmp(a, b) table.sort({3, 2, 1}, cmp) return a < b end table.sort({3, 2, 1}, cmp) return 1"},
		{name: "pattern_too_many_captures", script: "return string.find('x', string.rep('(', 40) .. 'x' .. string.rep(')', 40))"},
		{name: "pattern_backtracking", script: "return string.find(string.rep('a', 150), '.-.-.-b')", within: 30 * time.Second},
		{name: "deep_reply_table", script: "local t = {} for i = 1, 100000 do t = {t} end return t"},
		{name: "deep_source_parens", script: "return loadstring('return ' .. string.rep('(', 10000) .. '1' .. string.rep(')', 10000))"},
		{name: "deep_source_tables", script: "local f, e = loadstring('return ' .. string.rep('{', 100000) .. string.rep('}', 100000)) return e"},
		{name: "deep_source_functions", script: "local f, e = loadstring(string.rep('function f() ', 500) .. string.rep('end ', 500)) return e"},
		{name: "concat_recursion", script: "local t = setmetatable({}, {}) getmetatable(t).__concat = function(a, b) return a .. b end return t .. 'x'"},
	})
}

// string.format with huge widths and precisions, tostring of extreme
// numbers.
func TestFormatAndNumbers(t *testing.T) {
	newEnv(t).run([]attack{
		{name: "width_99999", script: "return string.format('%99999d', 1)"},
		{name: "precision_99999", script: "return string.format('%.99999f', 1)"},
		{name: "width_99", script: "return string.format('%099d', 1)"},
		{name: "precision_99", script: "return string.format('%.99f', 1)"},
		{name: "width_and_precision_100", script: "return string.format('%100.100f', 1)"},
		{name: "f_2p1000", script: "return string.format('%f', 2^1000)"},
		{name: "f_max", script: "return #string.format('%99.99f', -1.7976931348623157e308)"},
		{name: "d_2p63", script: "return string.format('%d', 2^63)"},
		{name: "x_minus_1", script: "return string.format('%x', -1)"},
		{name: "c_256", script: "return string.format('%c', 256)"},
		{name: "c_0_padded", script: "return {string.format('%5c|', 0), string.format('%-5c|', 0)}"},
		{name: "s_with_nul", script: "return string.format('%5s|%s', 'a\\0b', 'c\\0d')"},
		{name: "q_controls", script: "return string.format('%q', '\\0\\r\\n')"},
		{name: "repeated_flags", script: "return string.format('%------5d', 1)"},
		{name: "no_conversion", script: "return string.format('%', 1)"},
		{name: "many_args", script: "return #string.format(string.rep('%d', 7000), unpack((function() local t = {} for i = 1, 7000 do t[i] = i end return t end)()))"},
		{name: "tostring_huge", script: "return {tostring(2^1023 * 1.99), tostring(-1/0), tostring(0/0), tostring(2^63), tostring(-0)}"},
		{name: "tostring_tiny", script: "return {tostring(5e-324), tostring(2^-1074), tostring(1e-310)}"},
		{name: "concat_numbers", script: "return 1e308 .. '|' .. -1e-308 .. '|' .. 2^53"},
		{name: "reply_huge_numbers", script: "return {2^63, -2^63, 1e300, -1e300, 0/0, 1/0, -1/0}"},
		{name: "tonumber_edges", script: "return {tonumber('0x'), tonumber('1e'), tonumber(' 10 '), tonumber('1e400') == 1/0, tonumber('z', 36), tonumber('10', 99)}"},
		{name: "rep_2p32_plus_1", script: "return pcall(string.rep, 'x', 2^32 + 1)"},
		{name: "sub_huge", script: "return {string.sub('abc', -2^53, 2^53), string.sub('abc', 2^31, -2^31)}"},
		{name: "byte_huge", script: "return {string.byte('abc', -2^31, 2^31)}"},
		{name: "char_out_of_range", script: "return string.char(256)"},
	})
}

// The parser fed with generated sources while the collector runs
// (CVE-2025-49844: a use-after-free of the chunk name during parsing in
// Redis). moonkv has no collector that could free the source under the
// parser, and charges a source's compiled size to the budget first.
func TestCVE_2025_49844_Parser(t *testing.T) {
	newEnv(t).run([]attack{
		{name: "loadstring_collect_loop", script: "for i = 1, 50 do local f = loadstring(string.rep('local x = 1 ', 2000)) collectgarbage('collect') f() end return 1"},
		{name: "chunkname_collected", script: "local f = loadstring('return 1', string.rep('n', 1000)) collectgarbage() return f()"},
		{name: "reader_collects", script: "local i = 0 local f = load(function() i = i + 1 collectgarbage() if i > 500 then return nil end return 'local a' .. i .. ' = ' .. i .. ' ' end) return type(f)"},
		{name: "syntax_error_generated", script: "local f, e = loadstring(string.rep('x = ', 1000)) collectgarbage() return e"},
		{name: "syntax_error_long_name", script: "local f, e = loadstring('x = = 1', string.rep('n', 300)) return e"},
		{name: "deep_nesting_limit", script: "local f, e = loadstring('return ' .. string.rep('(', 300) .. '1' .. string.rep(')', 300)) return e"},
		{name: "many_locals", script: "local f, e = loadstring(string.rep('local a ', 300)) return e"},
		{name: "many_upvalues", script: "local src = {} for i = 1, 70 do src[#src+1] = 'local a' .. i .. ' = 1' end src[#src+1] = 'return function() return ' for i = 1, 70 do src[#src+1] = 'a' .. i .. ' + ' end src[#src+1] = '0 end' local f, e = loadstring(table.concat(src, ' ')) return e"},
		{name: "long_string_levels", script: "local f, e = loadstring('return [' .. string.rep('=', 1000) .. '[x]' .. string.rep('=', 1000) .. ']') return f()"},
		{name: "unfinished_long_string", script: "local f, e = loadstring('return [[' .. string.rep('x', 100000)) return e"},
		{name: "huge_number_literal", script: "return loadstring('return ' .. string.rep('9', 400))()"},
		{name: "collect_count_step", script: "return {type(collectgarbage('count')), collectgarbage('step'), collectgarbage('setpause', 100) ~= nil}"},
	})
}
