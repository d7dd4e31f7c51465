package templates

import "strings"

// The escapers the hand-written prompt renderer (prompt_direct.go) uses:
// each does what html/template does for a plain string in the same place,
// byte for byte (TestDirectMatchesTemplate checks them against
// html/template on hostile input). They are summary/escape.go's, copied
// rather than shared so that neither package imports the other's insides.

// htmlReplacement is html/template's replacement table for text, RCDATA
// (<title>) and quoted attribute values.
var htmlReplacement = [...]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// htmlOut writes an HTML document.
type htmlOut struct{ b *strings.Builder }

// raw writes s as it is: markup of the renderer's own.
func (w htmlOut) raw(s string) { w.b.WriteString(s) }

// text writes s escaped as html/template escapes a string in text, in
// <title> and in a quoted attribute value. Invalid UTF-8 is copied as it
// is, as html/template copies it.
func (w htmlOut) text(s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if int(c) >= len(htmlReplacement) || htmlReplacement[c] == "" {
			continue // every byte of a multi-byte rune is >= 0x80
		}
		w.b.WriteString(s[written:i])
		w.b.WriteString(htmlReplacement[c])
		written = i + 1
	}
	w.b.WriteString(s[written:])
}

// filterFailsafe is what html/template puts in place of a value it
// refuses in a URL.
const filterFailsafe = "ZgotmplZ"

// url writes s as the whole value of a quoted URL attribute (href), as
// html/template does for a string: a scheme other than http, https or
// mailto becomes "#ZgotmplZ", and the URL is normalised and escaped.
func (w htmlOut) url(s string) {
	if !isSafeURL(s) {
		s = "#" + filterFailsafe
	}
	var b strings.Builder
	if normalizeURL(s, &b) {
		s = b.String()
	}
	w.text(s)
}

// isSafeURL is html/template's test of a URL's scheme.
func isSafeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		if !strings.EqualFold(protocol, "http") && !strings.EqualFold(protocol, "https") && !strings.EqualFold(protocol, "mailto") {
			return false
		}
	}
	return true
}

// normalizeURL writes s to b with every byte html/template's URL
// normaliser encodes percent-encoded, and reports whether it changed
// anything (b is then the URL).
func normalizeURL(s string, b *strings.Builder) bool {
	const hex = "0123456789abcdef"
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			continue
		case strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue // a valid escape is kept
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
		written = i + 1
	}
	if written == 0 {
		return false
	}
	b.WriteString(s[written:])
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
