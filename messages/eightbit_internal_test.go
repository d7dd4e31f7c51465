package messages

import (
	"strings"
	"testing"
)

func TestFitsEightBit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		body string
		want bool
	}{
		{"empty", "", true},
		{"plain lines", "Hello\nÜnïcödé “quotes” …\n", true},
		{"a line of 998 octets", strings.Repeat("a", 998) + "\nb", true},
		{"a line of 999 octets", "a\n" + strings.Repeat("a", 999), false},
		{"499 two-octet letters: 998 octets", strings.Repeat("é", 499) + "\n", true},
		{"500 two-octet letters: 1,000 octets", strings.Repeat("é", 500) + "\n", false},
		{"carriage return", "a\r\nb", false},
		{"NUL", "a\x00b", false},
	} {
		if got := fitsEightBit(tc.body); got != tc.want {
			t.Errorf("%s: fitsEightBit = %v, want %v", tc.name, got, tc.want)
		}
	}
}
