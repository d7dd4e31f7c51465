package steady

import (
	"strings"
	"testing"
)

func TestNormalizeEmail(t *testing.T) {
	t.Parallel()
	local64 := strings.Repeat("a", MaxEmailLocalLength)
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		// One identity whatever the case: the whole address is lower-cased.
		{"  Alice@Example.COM ", "alice@example.com", true},
		{"alice@example.com", "alice@example.com", true},
		{"ALICE+Steady@EXAMPLE.org", "alice+steady@example.org", true},
		{local64 + "@example.org", local64 + "@example.org", true},
		// RFC 5321: a local part has at most 64 octets.
		{local64 + "b@example.org", "", false},
		{strings.Repeat("é", 33) + "@example.org", "", false}, // 33 characters, 66 octets
		{"", "", false},
		{"Alice <alice@example.org>", "", false},
		{"alice@example", "", false},
		{"alice@@example.org", "", false},
		{"alice@example..org", "", false},
		// Bytes that were not text never become an address.
		{"i\xffan@example.org", "", false},
		{"i\uFFFDan@example.org", "", false},
		{"ian\x00@example.org", "", false},
		{"ián@example.org", "ián@example.org", true},
		// Lookalikes and relaying syntax (found by a black-box pass, each
		// counted as another mailbox against the limits).
		{"bob​smith@gmail.com", "", false},
		{"bob‎smith@gmail.com", "", false},
		{"bob%smith@gmail.com", "", false},
		{"bob!smith@gmail.com", "", false},
		{"bobsmith@[142.250.1.1]", "", false},
	} {
		got, err := NormalizeEmail(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
	if _, err := NormalizeEmail(local64 + "b@example.org"); err == nil || !strings.Contains(err.Error(), "64") {
		t.Errorf("a 65-octet local part: %v, want an error naming the limit", err)
	}
}
