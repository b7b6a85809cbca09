package strs

import (
	"bytes"
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"
)

// Replies recorded from redis-server 7.0.15 for INCRBYFLOAT on a missing
// key (value "" means "ERR value is not a valid float").
var longDoubleCases = []struct{ in, out string }{
	{"10.5", "10.5"},
	{"3.0e3", "3000"},
	{"1.1", "1.1"},
	{"5e-5", "0.00005"},
	{"1e-20", "0"},
	{"-0.0", "0"},
	{"0x1p3", "8"},
	{".5", "0.5"},
	{"5.", "5"},
	{"+3", "3"},
	{"3.814697265625e-6", "0.00000381469726562"},
	{"12345678901234567890123", "12345678901234567889920"},
	{"1e-4950", "0"},
	{"0e-99999", "0"},
	{"1.23456789012345678901234567890", "1.23456789012345679"},
	{"0.000000000000000005", "0"},
	{"0.000000000000000015", "0.00000000000000002"},
	{"-5e-18", "0"},
	{"9223372036854775807", "9223372036854775807"},
	{" 1", ""}, {"1 ", ""}, {"1e", ""}, {"0x", ""}, {"nan", ""}, {"1_0", ""},
	{"1e4933", ""}, {"1e-4960", ""}, {"1e-5000", ""}, {"", ""}, {"1\x00", ""},
	{"-", ""}, {".", ""}, {"e5", ""}, {"0x1p16384", ""}, {"infin", ""},
}

func TestLongDouble(t *testing.T) {
	for _, tc := range longDoubleCases {
		f, ok := parseLongDouble([]byte(tc.in))
		if !ok {
			if tc.out != "" {
				t.Errorf("%q: refused, want %s", tc.in, tc.out)
			}
			continue
		}
		if tc.out == "" {
			t.Errorf("%q: accepted, want an error", tc.in)
			continue
		}
		if got := string(formatLongDouble(f)); got != tc.out {
			t.Errorf("%q: got %s, want %s", tc.in, got, tc.out)
		}
	}
	sums := []struct{ a, b, out string }{
		{"1.1", "2.2", "3.3"},
		{"0.1", "0.2", "0.3"},
		{"1e17", "1.5", "100000000000000001.5"},
		{"inf", "1", ""},
		{"1.18973149535723176502e4932", "1.18973149535723176502e4932", ""},
		{"-0", "-0", "0"},
		{"1e-4950", "-1e-4950", "0"},
	}
	for _, tc := range sums {
		a, _ := parseLongDouble([]byte(tc.a))
		b, _ := parseLongDouble([]byte(tc.b))
		s, ok := addLongDouble(a, b)
		got := ""
		if ok {
			got = string(formatLongDouble(s))
		}
		if got != tc.out {
			t.Errorf("%s + %s = %q, want %q", tc.a, tc.b, got, tc.out)
		}
	}
}

// Any double is a long double: its exact decimal expansion must convert
// back to it exactly.
func TestLongDoubleHoldsDoubles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		x := math.Float64frombits(rng.Uint64())
		if math.IsNaN(x) || math.IsInf(x, 0) || x == 0 {
			continue
		}
		exact := new(big.Float).SetFloat64(x).Text('e', 800)
		f, ok := parseLongDouble([]byte(exact))
		if !ok {
			t.Fatalf("%g refused", x)
		}
		if y, acc := f.Float64(); y != x || acc != big.Exact {
			t.Fatalf("%g parsed as %g", x, y)
		}
	}
}

func TestRoundLDTiesToEven(t *testing.T) {
	one := big.NewInt(1)
	// 2^64+1 lies halfway between 2^64 and 2^64+2: the even neighbour wins.
	n := new(big.Int).Lsh(one, 64)
	n.Add(n, one)
	f, st := roundLD(false, n, one)
	if st != ldOK || f.Cmp(new(big.Float).SetInt(new(big.Int).Lsh(one, 64))) != 0 {
		t.Errorf("2^64+1 rounded to %v", f)
	}
	// Half the smallest subnormal rounds to zero (underflow); a bit more
	// rounds up to it.
	den := new(big.Int).Lsh(one, 16446)
	if _, st := roundLD(false, one, den); st != ldUnderflow {
		t.Errorf("2^-16446: status %d", st)
	}
	f, st = roundLD(false, big.NewInt(3), new(big.Int).Lsh(one, 16447))
	if st != ldOK || f.MantExp(nil) != -16444 {
		t.Errorf("3*2^-16447 rounded to %v", f)
	}
}

func TestParseSetOpts(t *testing.T) {
	cases := []struct {
		args   string
		forSet bool
		opts   setOpts
		expire string
		ok     bool
	}{
		{"", true, 0, "", true},
		{"NX", true, optNX, "", true},
		{"nx xx", true, 0, "", false},
		{"XX NX", true, 0, "", false},
		{"NX NX GET get", true, optNX | optGET, "", true},
		{"EX 10", true, optEX, "10", true},
		{"EX 10 EX 20", true, optEX, "20", true},
		{"EX 10 PX 20", true, 0, "", false},
		{"EX", true, 0, "", false},
		{"KEEPTTL EX 1", true, 0, "", false},
		{"PXAT 5 KEEPTTL", true, 0, "", false},
		{"KEEPTTL GET XX", true, optKEEPTTL | optGET | optXX, "", true},
		{"PERSIST", true, 0, "", false},
		{"PERSIST", false, optPERSIST, "", true},
		{"PERSIST EX 1", false, 0, "", false},
		{"EXAT 1 PERSIST", false, 0, "", false},
		{"NX", false, 0, "", false},
		{"GET", false, 0, "", false},
		{"KEEPTTL", false, 0, "", false},
		{"pxat 7", false, optPXAT, "7", true},
		{"nx\x00zz", true, optNX, "", true},
		{"FOO", true, 0, "", false},
	}
	for _, tc := range cases {
		var args [][]byte
		for _, a := range bytes.Fields([]byte(tc.args)) {
			args = append(args, a)
		}
		opts, expire, ok := parseSetOpts(args, 0, tc.forSet)
		if ok != tc.ok || (ok && (opts != tc.opts || string(expire) != tc.expire)) {
			t.Errorf("%q (set %v): got %b %q %v, want %b %q %v", tc.args, tc.forSet, opts, expire, ok, tc.opts, tc.expire, tc.ok)
		}
	}
}

// bitposModel is BITPOS's documented meaning: the first bit equal to bit
// among bits lo..hi; past the end the string reads as clear bits unless
// the end was given.
func bitposModel(s []byte, bit int64, lo, hi int64, endGiven bool) int64 {
	for i := lo; i <= hi; i++ {
		if int64(s[i>>3]>>(7-i&7))&1 == bit {
			return i
		}
	}
	if bit == 1 || endGiven {
		return -1
	}
	return hi + 1
}

func TestBitposAgainstModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pick := []byte{0x00, 0xff, 0x80, 0x01, 0x7f, 0xfe}
	for i := 0; i < 20000; i++ {
		s := make([]byte, 1+rng.IntN(6))
		for j := range s {
			if rng.IntN(3) == 0 {
				s[j] = byte(rng.Uint32())
			} else {
				s[j] = pick[rng.IntN(len(pick))]
			}
		}
		n := int64(len(s))
		bit := int64(rng.IntN(2))
		isBit := rng.IntN(2) == 0
		total := n
		if isBit {
			total *= 8
		}
		start := rng.Int64N(total+4) - 2
		end := rng.Int64N(total+4) - 2
		first, last, fm, lm, empty := bitRange(start, end, n, isBit)
		if empty {
			continue
		}
		lo, hi := first*8, last*8+7
		if isBit {
			lo, hi = clampBit(start, total), clampBit(end, total)
		}
		got := bitposIn(s, bit, first, last, fm, lm, true)
		if want := bitposModel(s, bit, lo, hi, true); got != want {
			t.Fatalf("%x bit %d %d..%d (bit mode %v): got %d, want %d", s, bit, start, end, isBit, got, want)
		}
	}
}

func clampBit(i, total int64) int64 {
	if i < 0 {
		i += total
	}
	return min(max(i, 0), total-1)
}

func TestBitCountMasks(t *testing.T) {
	s := []byte{0xff, 0xff, 0xff}
	for start := int64(0); start < 24; start++ {
		for end := start; end < 24; end++ {
			first, last, fm, lm, _ := bitRange(start, end, 3, true)
			n := popcount(s[first:last+1]) - int64(popcountByte(s[first]&fm)+popcountByte(s[last]&lm))
			if n != end-start+1 {
				t.Fatalf("%d..%d: counted %d", start, end, n)
			}
		}
	}
}

func popcountByte(b byte) int {
	n := 0
	for ; b != 0; b &= b - 1 {
		n++
	}
	return n
}

// The overflow checks agree with exact arithmetic for fields below 64 bits.
func TestBitfieldOverflowModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 50000; i++ {
		width := 1 + rng.IntN(63)
		lo, hi := -(int64(1) << (width - 1)), int64(1)<<(width-1)-1
		value := lo + int64(rng.Uint64N(uint64(hi)-uint64(lo)+1))
		incr := rng.Int64N(1<<uint(min(width+1, 62))) - 1<<uint(min(width, 61))
		sum := new(big.Int).Add(big.NewInt(value), big.NewInt(incr))
		over := sum.Cmp(big.NewInt(lo)) < 0 || sum.Cmp(big.NewInt(hi)) > 0
		got, sat := signedOverflow(value, incr, width, ovfSat)
		if got != over {
			t.Fatalf("i%d %d%+d: overflow %v, want %v", width, value, incr, got, over)
		}
		if over {
			want := hi
			if sum.Sign() < 0 {
				want = lo
			}
			if sat != want {
				t.Fatalf("i%d %d%+d: saturated to %d, want %d", width, value, incr, sat, want)
			}
			_, wrapped := signedOverflow(value, incr, width, ovfWrap)
			if wrapped != signExtend(uint64(value+incr)&(1<<width-1), width) {
				t.Fatalf("i%d %d%+d: wrapped to %d", width, value, incr, wrapped)
			}
		}

		uv := uint64(rng.Int64N(hi + 1))
		umax := uint64(1)<<width - 1
		usum := new(big.Int).Add(new(big.Int).SetUint64(uv), big.NewInt(incr))
		uover := usum.Sign() < 0 || usum.Cmp(new(big.Int).SetUint64(umax)) > 0
		got, usat := unsignedOverflow(uv, incr, width, ovfSat)
		if got != uover {
			t.Fatalf("u%d %d%+d: overflow %v, want %v", width, uv, incr, got, uover)
		}
		if uover {
			want := umax
			if usum.Sign() < 0 {
				want = 0
			}
			if usat != want {
				t.Fatalf("u%d %d%+d: saturated to %d, want %d", width, uv, incr, usat, want)
			}
		}
	}
}

func TestBits(t *testing.T) {
	s := make([]byte, 9)
	rng := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 10000; i++ {
		width := 1 + rng.IntN(64)
		off := uint64(rng.IntN(72 - width + 1))
		v := rng.Uint64()
		if width < 64 {
			v &= 1<<width - 1
		}
		before := append([]byte(nil), s...)
		setBits(s, off, width, v)
		if got := getBits(s, off, width); got != v {
			t.Fatalf("width %d at %d: wrote %x, read %x", width, off, v, got)
		}
		for b := uint64(0); b < 72; b++ {
			if b >= off && b < off+uint64(width) {
				continue
			}
			if getBits(s, b, 1) != getBits(before, b, 1) {
				t.Fatalf("width %d at %d changed bit %d", width, off, b)
			}
		}
	}
	if getBits([]byte{0xff}, 4, 8) != 0xf0 {
		t.Error("bits past the end must read as 0")
	}
}

// lcsLenModel is the textbook recursion, memoised.
func lcsLenModel(a, b []byte) int {
	memo := map[[2]int]int{}
	var f func(i, j int) int
	f = func(i, j int) int {
		if i == len(a) || j == len(b) {
			return 0
		}
		k := [2]int{i, j}
		if v, ok := memo[k]; ok {
			return v
		}
		v := max(f(i+1, j), f(i, j+1))
		if a[i] == b[j] {
			v = max(v, 1+f(i+1, j+1))
		}
		memo[k] = v
		return v
	}
	return f(0, 0)
}

func TestLCS(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 500; i++ {
		a := make([]byte, rng.IntN(15))
		b := make([]byte, rng.IntN(15))
		for j := range a {
			a[j] = 'a' + byte(rng.IntN(3))
		}
		for j := range b {
			b[j] = 'a' + byte(rng.IntN(3))
		}
		tbl := lcsTable(a, b)
		total := tbl[len(a)*(len(b)+1)+len(b)]
		if int(total) != lcsLenModel(a, b) {
			t.Fatalf("%s %s: length %d", a, b, total)
		}
		seq, ranges := lcsWalk(a, b, tbl, total, true, 0)
		if !isSubsequence(seq, a) || !isSubsequence(seq, b) {
			t.Fatalf("%s %s: %s is not common", a, b, seq)
		}
		// The ranges, last first, spell the subsequence in both strings.
		var fromA, fromB []byte
		for k := len(ranges) - 1; k >= 0; k-- {
			m := ranges[k]
			fromA = append(fromA, a[m.aStart:m.aEnd+1]...)
			fromB = append(fromB, b[m.bStart:m.bEnd+1]...)
		}
		if !bytes.Equal(fromA, seq) || !bytes.Equal(fromB, seq) {
			t.Fatalf("%s %s: ranges %v spell %s / %s, not %s", a, b, ranges, fromA, fromB, seq)
		}
	}
}

func isSubsequence(s, of []byte) bool {
	i := 0
	for _, c := range of {
		if i < len(s) && s[i] == c {
			i++
		}
	}
	return i == len(s)
}

func TestSubstr(t *testing.T) {
	s := []byte("Hello")
	cases := []struct {
		start, end int64
		want       string
	}{
		{0, -1, "Hello"}, {1, 3, "ell"}, {-3, -1, "llo"}, {3, 1, ""}, {-1, -3, ""},
		{-100, 100, "Hello"}, {5, 10, ""}, {math.MinInt64, math.MaxInt64, "Hello"},
	}
	for _, tc := range cases {
		if got := string(substr(s, tc.start, tc.end)); got != tc.want {
			t.Errorf("%d..%d: %q, want %q", tc.start, tc.end, got, tc.want)
		}
	}
	if substr(nil, 0, -1) != nil {
		t.Error("empty string")
	}
}

// randomDecimal produces decimal numbers of the shapes clients send and
// INCRBYFLOAT stores, many of them inside the fast path's range.
func randomDecimal(rng *rand.Rand) string {
	var b []byte
	if rng.IntN(3) == 0 {
		b = append(b, '-')
	}
	switch rng.IntN(6) {
	case 0:
		b = strconv.AppendInt(b, rng.Int64N(1000), 10)
	case 1:
		b = strconv.AppendUint(b, rng.Uint64()>>uint(rng.IntN(64)), 10)
	case 2:
		b = strconv.AppendInt(b, rng.Int64N(1e6), 10)
		b = append(b, '.')
		b = strconv.AppendInt(b, rng.Int64N(1e6), 10)
	case 3:
		b = append(b, "0."...)
		for n := rng.IntN(25); n > 0; n-- {
			b = append(b, byte('0'+rng.IntN(10)))
		}
		b = append(b, byte('1'+rng.IntN(9)))
	case 4:
		b = strconv.AppendInt(b, rng.Int64N(1e9), 10)
		b = append(b, 'e')
		b = strconv.AppendInt(b, rng.Int64N(50)-25, 10)
	default:
		b = strconv.AppendFloat(b, rng.Float64()*math.Pow(10, float64(rng.IntN(40)-20)), 'f', -1, 64)
	}
	return string(b)
}

// The fast path agrees with math/big wherever it answers.
func TestIncrByFloatFastMatchesBig(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	answered := 0
	for i := 0; i < 200000; i++ {
		cur, incr := []byte(randomDecimal(rng)), []byte(randomDecimal(rng))
		if i%5 == 0 {
			cur = nil
		}
		fast, ok := incrByFloatFast(cur, incr)
		if !ok {
			continue
		}
		answered++
		a := new(big.Float).SetPrec(ldMantBits)
		if cur != nil {
			a, ok = parseLongDouble(cur)
			if !ok {
				t.Fatalf("%s: the fast path accepted what the general one refuses", cur)
			}
		}
		b, ok := parseLongDouble(incr)
		if !ok {
			t.Fatalf("%s: the fast path accepted what the general one refuses", incr)
		}
		sum, ok := addLongDouble(a, b)
		if !ok {
			t.Fatalf("%s + %s: overflow missed", cur, incr)
		}
		if slow := formatLongDouble(sum); !bytes.Equal(fast, slow) {
			t.Fatalf("%s + %s: fast %s, big %s", cur, incr, fast, slow)
		}
	}
	if answered < 100000 {
		t.Errorf("the fast path answered only %d times", answered)
	}
}

func TestParseLDWordMatchesBig(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for i := 0; i < 100000; i++ {
		s := []byte(randomDecimal(rng))
		w, ok := parseLDWord(s)
		if !ok {
			continue
		}
		f, ok := parseLongDouble(s)
		if !ok {
			t.Fatalf("%s: refused by the general parser", s)
		}
		g := new(big.Float).SetPrec(ldMantBits).SetUint64(w.mant)
		g.SetMantExp(g, w.exp)
		if w.neg {
			g.Neg(g)
		}
		if g.Cmp(f) != 0 || (w.mant == 0 && w.neg != f.Signbit()) {
			t.Fatalf("%s: fast %v, big %v", s, g, f)
		}
	}
}
