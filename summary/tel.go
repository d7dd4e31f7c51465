package summary

import (
	htmltemplate "html/template"
	"strings"
)

// ContactURL turns a resource's contact into a link a phone can follow:
// "call 0808 2000 247" → tel:08082000247, "text START to 88788" →
// sms:88788, "+44 808 2000 247" → tel:+448082000247. Anything else (a web
// address, free words) gives "".
func ContactURL(contact string) htmltemplate.URL {
	c := strings.TrimSpace(contact)
	scheme, number := "tel:", c
	lower := strings.ToLower(c)
	switch {
	case strings.HasPrefix(lower, "call "):
		number = c[len("call "):]
	case strings.HasPrefix(lower, "text "):
		scheme, number = "sms:", c[len("text "):]
		if i := strings.LastIndex(strings.ToLower(number), " to "); i >= 0 {
			number = number[i+len(" to "):]
		}
	}
	number = strings.TrimSpace(number)
	var digits strings.Builder
	for i, r := range number {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == '+' && i == 0:
			digits.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return ""
		}
	}
	if n := strings.TrimPrefix(digits.String(), "+"); len(n) < 3 {
		return ""
	}
	return htmltemplate.URL(scheme + digits.String())
}
