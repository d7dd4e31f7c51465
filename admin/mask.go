package admin

import (
	"strings"
	"unicode/utf8"
)

// maskAddress shows enough of an address to tell people apart in a list
// and no more: an email's first two characters and its domain
// ("al…@example.com"), a phone number's last two digits ("…42").
func maskAddress(addr string) string {
	if local, domain, ok := strings.Cut(addr, "@"); ok {
		n := 0
		for i := range local {
			if n == 2 {
				return local[:i] + "…@" + domain
			}
			n++
		}
		return local + "…@" + domain
	}
	if utf8.RuneCountInString(addr) <= 2 {
		return "…"
	}
	return "…" + addr[len(addr)-2:]
}
