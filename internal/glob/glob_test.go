package glob_test

import (
	"strings"
	"testing"

	"github.com/moonkv/moonkv/internal/glob"
)

// subjects are the keys the oracle table was recorded against: each
// pattern below was sent as KEYS to redis-server 7.0.15 holding exactly
// these keys, and the keys it returned are listed beside it.
var subjects = []string{"", "a", "b", "A", "ab", "abc", "abd", "aXc", "ABC", "hello", "hallo", "hxllo", "hllo",
	"heeeello", "h[llo", "h]llo", "h\\llo", "h*llo", "h?llo", "h-llo", "foo:bar", "foo:", "foo",
	"FOO", "Foo:Bar", "x^y", "xy", "^", "]", "[", "-", "\\", "*", "?", "a]", "\xff", "\x80a",
	"a\x00b", "aaa", "aaab", "z", "_", "`", "^a"}

var oracle = []struct {
	pattern string
	matches []string
}{
	{"", []string{""}},
	{"**", []string{"a", "b", "A", "ab", "abc", "abd", "aXc", "ABC", "hello", "hallo", "hxllo", "hllo", "heeeello", "h[llo", "h]llo", "h\\llo", "h*llo", "h?llo", "h-llo", "foo:bar", "foo:", "foo", "FOO", "Foo:Bar", "x^y", "xy", "^", "]", "[", "-", "\\", "*", "?", "a]", "\xff", "\x80a", "a\x00b", "aaa", "aaab", "z", "_", "`", "^a"}},
	{"a", []string{"a"}},
	{"a*", []string{"a", "ab", "abc", "abd", "aXc", "a]", "a\x00b", "aaa", "aaab"}},
	{"*a", []string{"a", "\x80a", "aaa", "^a"}},
	{"*a*", []string{"a", "ab", "abc", "abd", "aXc", "hallo", "foo:bar", "Foo:Bar", "a]", "\x80a", "a\x00b", "aaa", "aaab", "^a"}},
	{"a*c", []string{"abc", "aXc"}},
	{"a?c", []string{"abc", "aXc"}},
	{"?", []string{"a", "b", "A", "^", "]", "[", "-", "\\", "*", "?", "\xff", "z", "_", "`"}},
	{"??", []string{"ab", "xy", "a]", "\x80a", "^a"}},
	{"h?llo", []string{"hello", "hallo", "hxllo", "h[llo", "h]llo", "h\\llo", "h*llo", "h?llo", "h-llo"}},
	{"h*llo", []string{"hello", "hallo", "hxllo", "hllo", "heeeello", "h[llo", "h]llo", "h\\llo", "h*llo", "h?llo", "h-llo"}},
	{"h[ae]llo", []string{"hello", "hallo"}},
	{"h[^e]llo", []string{"hallo", "hxllo", "h[llo", "h]llo", "h\\llo", "h*llo", "h?llo", "h-llo"}},
	{"h[a-b]llo", []string{"hallo"}},
	{"h[b-a]llo", []string{"hallo"}},
	{"[", []string{}},
	{"[a", []string{"a"}},
	{"[abc", []string{"a", "b"}},
	{"[^", []string{"a", "b", "A", "^", "]", "[", "-", "\\", "*", "?", "\xff", "z", "_", "`"}},
	{"[^a", []string{"b", "A", "^", "]", "[", "-", "\\", "*", "?", "\xff", "z", "_", "`"}},
	{"[]", []string{}},
	{"[]]", []string{}},
	{"[]a]", []string{}},
	{"[a-]", []string{"a", "^", "]", "_", "`"}},
	{"[-a]", []string{"a", "-"}},
	{"[\\]]", []string{"]"}},
	{"[\\", []string{"\\"}},
	{"\\", []string{"\\"}},
	{"\\*", []string{"*"}},
	{"h\\*llo", []string{"h*llo"}},
	{"h\\?llo", []string{"h?llo"}},
	{"h\\[llo", []string{"h[llo"}},
	{"a\\", []string{}},
	{"[a-c]*", []string{"a", "b", "ab", "abc", "abd", "aXc", "a]", "a\x00b", "aaa", "aaab"}},
	{"*[a-c]", []string{"a", "b", "ab", "abc", "aXc", "\x80a", "a\x00b", "aaa", "aaab", "^a"}},
	{"[!a]", []string{"a"}},
	{"[\\-]", []string{"-"}},
	{"[a\\-z]", []string{"a", "-", "z"}},
	{"*\\", []string{"\\"}},
	{"[^]]", []string{"a]"}},
	{"foo:*", []string{"foo:bar", "foo:"}},
	{"*:*", []string{"foo:bar", "foo:", "Foo:Bar"}},
	{"*o*o*", []string{"foo:bar", "foo:", "foo", "Foo:Bar"}},
	{"[\x80-\xff]", []string{"\xff"}},
	{"[a-\xff]", []string{"a", "A", "^", "]", "[", "-", "\\", "*", "?", "\xff", "_", "`"}},
	{"[A-Z]*", []string{"A", "ABC", "FOO", "Foo:Bar"}},
	{"[a-z]*", []string{"a", "b", "ab", "abc", "abd", "aXc", "hello", "hallo", "hxllo", "hllo", "heeeello", "h[llo", "h]llo", "h\\llo", "h*llo", "h?llo", "h-llo", "foo:bar", "foo:", "foo", "x^y", "xy", "a]", "a\x00b", "aaa", "aaab", "z"}},
	{"h*l*o", []string{"hello", "hallo", "hxllo", "hllo", "heeeello", "h[llo", "h]llo", "h\\llo", "h*llo", "h?llo", "h-llo"}},
	{"*llo", []string{"hello", "hallo", "hxllo", "hllo", "heeeello", "h[llo", "h]llo", "h\\llo", "h*llo", "h?llo", "h-llo"}},
	{"h[", []string{}},
	{"h[l", []string{}},
	{"x[^]y", []string{"x^y"}},
	{"?*", []string{"a", "b", "A", "ab", "abc", "abd", "aXc", "ABC", "hello", "hallo", "hxllo", "hllo", "heeeello", "h[llo", "h]llo", "h\\llo", "h*llo", "h?llo", "h-llo", "foo:bar", "foo:", "foo", "FOO", "Foo:Bar", "x^y", "xy", "^", "]", "[", "-", "\\", "*", "?", "a]", "\xff", "\x80a", "a\x00b", "aaa", "aaab", "z", "_", "`", "^a"}},
	{"*?", []string{"a", "b", "A", "ab", "abc", "abd", "aXc", "ABC", "hello", "hallo", "hxllo", "hllo", "heeeello", "h[llo", "h]llo", "h\\llo", "h*llo", "h?llo", "h-llo", "foo:bar", "foo:", "foo", "FOO", "Foo:Bar", "x^y", "xy", "^", "]", "[", "-", "\\", "*", "?", "a]", "\xff", "\x80a", "a\x00b", "aaa", "aaab", "z", "_", "`", "^a"}},
	{"***a", []string{"a", "\x80a", "aaa", "^a"}},
	{"a**b", []string{"ab", "a\x00b", "aaab"}},
	{"\\\\", []string{"\\"}},
	{"[[]", []string{"["}},
	{"*]", []string{"]", "a]"}},
	{"]", []string{"]"}},
	{"a\x00b", []string{"a\x00b"}},
	{"a?b", []string{"a\x00b"}},
	{"[Z-a]", []string{"a", "^", "]", "[", "\\", "_", "`"}},
	{"[^-]", []string{"a", "b", "A", "^", "]", "[", "\\", "*", "?", "\xff", "z", "_", "`"}},
	{"*[", []string{}},
	{"*a*a*b", []string{"aaab"}},
	{"a*a*a", []string{"aaa"}},
	{"[a-c-e]", []string{"a", "b", "-"}},
	{"h[a-eX]llo", []string{"hello", "hallo"}},
	{"[a-z", []string{"a", "b", "z"}},
	{"[\\a-c]", []string{"a", "-"}},
	{"*\\*", []string{"*"}},
	{"[^a-z]", []string{"A", "^", "]", "[", "-", "\\", "*", "?", "\xff", "_", "`"}},
	{"*foo*", []string{"foo:bar", "foo:", "foo"}},
	{"foo*", []string{"foo:bar", "foo:", "foo"}},
	{"*bar", []string{"foo:bar"}},
	{"FOO*", []string{"FOO"}},
	{"*:Bar", []string{"Foo:Bar"}},
	{"?\\", []string{}},
	{"^*", []string{"^", "^a"}},
	{"[*]", []string{"*"}},
	{"[?]", []string{"?"}},
}

func TestOracleTable(t *testing.T) {
	for _, tc := range oracle {
		want := map[string]bool{}
		for _, m := range tc.matches {
			want[m] = true
		}
		p := glob.Compile(tc.pattern, false)
		for _, s := range subjects {
			if got := glob.Match(tc.pattern, s, false); got != want[s] {
				t.Errorf("Match(%q, %q) = %v, Redis says %v", tc.pattern, s, got, want[s])
			}
			if got := glob.MatchBytes([]byte(tc.pattern), []byte(s), false); got != want[s] {
				t.Errorf("MatchBytes(%q, %q) = %v, Redis says %v", tc.pattern, s, got, want[s])
			}
			if got := p.Match(s); got != want[s] {
				t.Errorf("Compile(%q).Match(%q) = %v, Redis says %v", tc.pattern, s, got, want[s])
			}
			if got := p.MatchBytes([]byte(s)); got != want[s] {
				t.Errorf("Compile(%q).MatchBytes(%q) = %v, Redis says %v", tc.pattern, s, got, want[s])
			}
		}
	}
}

// TestStarAlone: the bare "*" is no special case for the matcher (KEYS and
// SCAN skip matching for it); like Redis's, it does not match "".
func TestStarAlone(t *testing.T) {
	if glob.Match("*", "", false) || glob.Compile("*", false).Match("") {
		t.Error(`"*" matched the empty string`)
	}
	if !glob.Match("*", "x", false) || !glob.Compile("*", false).Match("x") {
		t.Error(`"*" did not match "x"`)
	}
	if !glob.Compile("*", false).MatchAll() || glob.Compile("**", false).MatchAll() {
		t.Error("MatchAll is only for the single star")
	}
}

func TestNocase(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"HELLO", "hello", true},
		{"hello", "HeLLo", true},
		{"h[A-C]llo", "hbllo", true},
		{"h[a-c]llo", "hBllo", true},
		{"h[^a-c]llo", "hBllo", false},
		{"h[E]llo", "hello", true},
		{"*WORLD", "hello world", true},
		{"hello*", "HELLOWORLD", true},
		{"*LLO*", "xhellox", true},
		{"maxmemory-*", "MAXMEMORY-policy", true},
		{"\\A", "a", true},
		// Range ends are lowered after ordering them: "[Z-a]" becomes the
		// empty range z..a.
		{"[Z-a]", "_", false},
		{"[Z-a]", "z", false},
		// Folding is ASCII only.
		{"\xc0", "\xe0", false},
		{"é", "É", false},
	}
	for _, c := range cases {
		if got := glob.Match(c.pattern, c.s, true); got != c.want {
			t.Errorf("Match(%q, %q, nocase) = %v, want %v", c.pattern, c.s, got, c.want)
		}
		if got := glob.Compile(c.pattern, true).Match(c.s); got != c.want {
			t.Errorf("Compile(%q, nocase).Match(%q) = %v, want %v", c.pattern, c.s, got, c.want)
		}
		if c.want && glob.Match(c.pattern, c.s, false) && c.pattern != c.s && !strings.ContainsAny(c.pattern, "*?[\\") {
			t.Errorf("%q matched %q with case", c.pattern, c.s)
		}
	}
}

// TestNesting: a pattern with more than a thousand stars gives up, as
// Redis's does, instead of recursing without bound.
func TestNesting(t *testing.T) {
	p := strings.Repeat("a*", 1100) + "b"
	s := strings.Repeat("a", 1100) + "b"
	if glob.Match(p, s, false) {
		t.Error("a pattern nested past 1000 stars matched")
	}
	p = strings.Repeat("a*", 500) + "b"
	s = strings.Repeat("a", 500) + "b"
	if !glob.Match(p, s, false) {
		t.Error("a pattern of 500 stars did not match")
	}
}

// TestPathological: the skip-longer-matches rule keeps many stars against
// a long non-matching subject fast.
func TestPathological(t *testing.T) {
	p := strings.Repeat("*a", 30) + "*b"
	s := strings.Repeat("a", 5000)
	if glob.Match(p, s, false) {
		t.Error("matched")
	}
}

func BenchmarkMatch(b *testing.B) {
	key := "user:12345:profile:settings"
	cases := []struct{ name, pattern string }{
		{"prefix", "user:*"},
		{"suffix", "*:settings"},
		{"contains", "*profile*"},
		{"exact", "user:12345:profile:settings"},
		{"general", "user:*:profile:[a-z]*"},
	}
	for _, c := range cases {
		b.Run(c.name+"/compiled", func(b *testing.B) {
			p := glob.Compile(c.pattern, false)
			for i := 0; i < b.N; i++ {
				if !p.Match(key) {
					b.Fatal("no match")
				}
			}
		})
		b.Run(c.name+"/compiled-bytes", func(b *testing.B) {
			p := glob.Compile(c.pattern, false)
			k := []byte(key)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if !p.MatchBytes(k) {
					b.Fatal("no match")
				}
			}
		})
		b.Run(c.name+"/general", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if !glob.Match(c.pattern, key, false) {
					b.Fatal("no match")
				}
			}
		})
	}
}

// FuzzCompiled checks that the fast paths Compile picks agree with the
// general matcher, with and without nocase, on strings and byte slices.
func FuzzCompiled(f *testing.F) {
	for _, tc := range oracle {
		for _, s := range []string{"", "a", "hello", "foo:bar", "ABC"} {
			f.Add(tc.pattern, s)
		}
	}
	f.Add("*abc*", "xxABCxx")
	f.Add("**", "")
	f.Add("abc**", "abc")
	f.Fuzz(func(t *testing.T, pattern, s string) {
		for _, nocase := range []bool{false, true} {
			want := glob.Match(pattern, s, nocase)
			p := glob.Compile(pattern, nocase)
			if got := p.Match(s); got != want {
				t.Fatalf("Compile(%q, %v).Match(%q) = %v, general matcher says %v", pattern, nocase, s, got, want)
			}
			if got := p.MatchBytes([]byte(s)); got != want {
				t.Fatalf("Compile(%q, %v).MatchBytes(%q) = %v, general matcher says %v", pattern, nocase, s, got, want)
			}
		}
	})
}
