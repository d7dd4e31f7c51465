package steady_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/steadyapp/steady"
)

func TestCleanText(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"clean ASCII", "YES, mostly.", "YES, mostly."},
		{"clean UTF-8", "Café — 4/5 ❤️", "Café — 4/5 ❤️"},
		{"a replacement character already there", "a\uFFFDb", "a\uFFFDb"},
		{"NUL", "YES\x00", "YES"},
		{"only NULs", "\x00\x00", ""},
		{"NULs between words", "he\x00ard \x00me", "heard me"},
		{"one invalid byte", "caf\xe9", "caf\uFFFD"},
		{"a run of invalid bytes is one replacement", "a\xff\xfeb", "a\uFFFDb"},
		{"separate runs", "\xffa\xff", "\uFFFDa\uFFFD"},
		{"truncated sequence", "ok \xe2\x82", "ok \uFFFD"},
		{"surrogate half", "x\xed\xa0\x80y", "x\uFFFDy"},
		{"overlong NUL is not a NUL", "a\xc0\x80b", "a\uFFFDb"},
		{"a NUL does not join stray bytes", "\xc3\x00\xa9", "\uFFFD\uFFFD"},
		{"both", "Yes\x00 I felt \xff\xfeheard", "Yes I felt \uFFFDheard"},
	}
	for _, tt := range tests {
		if got := steady.CleanText(tt.in); got != tt.want {
			t.Errorf("%s: CleanText(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestCleanTextDoesNotAllocateForCleanText(t *testing.T) {
	s := strings.Repeat("Clean text, café. ", 100)
	if n := testing.AllocsPerRun(100, func() { _ = steady.CleanText(s) }); n != 0 {
		t.Errorf("CleanText of clean text allocates %v times", n)
	}
}

func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"", "YES", "Café", "a\x00b", "\xff\xfe", "\xc3\x00\xa9", "a\xc0\x80b", "\xed\xa0\x80", "\x00\uFFFD\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := steady.CleanText(s)
		if !utf8.ValidString(got) {
			t.Errorf("CleanText(%q) = %q: not valid UTF-8", s, got)
		}
		if strings.IndexByte(got, 0) >= 0 {
			t.Errorf("CleanText(%q) = %q: holds a NUL", s, got)
		}
		if again := steady.CleanText(got); again != got {
			t.Errorf("not idempotent: CleanText(%q) = %q, then %q", s, got, again)
		}
		if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 && got != s {
			t.Errorf("clean input changed: CleanText(%q) = %q", s, got)
		}
	})
}
