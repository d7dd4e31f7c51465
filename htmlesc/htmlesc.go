// Package htmlesc writes strings into HTML exactly as html/template
// escapes a plain string in the same place, byte for byte, for the
// renderers that write their HTML in Go instead of executing a template
// (the monthly summary, summary/html.go, and the prompt email,
// templates/prompt_direct.go). Each of those packages tests its output
// against its template on hostile input.
package htmlesc

import (
	"strconv"
	"strings"
)

// Writer is what the escapers write into: a *strings.Builder or a
// *bytes.Buffer.
type Writer interface {
	Write(p []byte) (int, error)
	WriteString(s string) (int, error)
	WriteByte(c byte) error
}

// replacement is html/template's replacement table for text, RCDATA
// (<title>) and quoted attribute values.
var replacement = [...]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// Text writes s as html/template escapes a string in text, in <title> and
// in a quoted attribute value. Invalid UTF-8 is copied as it is, as
// html/template copies it.
func Text(w Writer, s string) {
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if int(c) >= len(replacement) || replacement[c] == "" {
			continue // every byte of a multi-byte rune is >= 0x80
		}
		w.WriteString(s[written:i])
		w.WriteString(replacement[c])
		written = i + 1
	}
	w.WriteString(s[written:])
}

// Int writes n as html/template prints an int anywhere (digits and a
// minus sign need no escaping).
func Int(w Writer, n int) {
	var a [20]byte
	w.Write(strconv.AppendInt(a[:0], int64(n), 10))
}

// FilterFailsafe is what html/template puts in place of a value it
// refuses in a URL or CSS.
const FilterFailsafe = "ZgotmplZ"

// URL writes s as the whole value of a quoted URL attribute (href, src),
// as html/template does for a string: a scheme other than http, https or
// mailto becomes "#ZgotmplZ", and the URL is normalised and escaped.
func URL(w Writer, s string) {
	if !isSafeURL(s) {
		s = "#" + FilterFailsafe
	}
	TrustedURL(w, s)
}

// TrustedURL is URL for an html/template URL value (a URL Steady made,
// such as a cid: or tel: link): normalised and escaped, not filtered.
func TrustedURL(w Writer, s string) {
	var b strings.Builder
	if normalizeURL(s, &b) {
		s = b.String()
	}
	Text(w, s)
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

// Color writes a colour inside a style attribute: "#rrggbb", which
// html/template's CSS filter keeps as it is; anything else is written as
// "ZgotmplZ", which is never less safe than what the filter would have
// let through.
func Color(w Writer, s string) {
	if !isHexColor(s) {
		s = FilterFailsafe
	}
	w.WriteString(s)
}

func isHexColor(s string) bool {
	if len(s) != 7 || s[0] != '#' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}
