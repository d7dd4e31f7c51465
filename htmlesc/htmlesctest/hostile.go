// Package htmlesctest holds what the tests of the renderers written in Go
// (summary/html.go, templates/prompt_direct.go) feed them to compare their
// output with html/template's.
package htmlesctest

import "strings"

// Hostile returns values a subscriber's replies, an operator's settings or
// a link could bring into a page or an email: markup, every character
// html/template replaces, NUL, invalid UTF-8, non-ASCII, the
// noncharacters, surrounding and inner blank space, long lines, template
// actions, colours that are not colours, and URLs of every kind (unsafe
// schemes, spaces, quotes, bad and good percent escapes, relative and
// scheme-relative, tel: and cid:).
func Hostile() []string {
	return []string{
		"",
		`<script>alert("x")</script>`,
		`a & b ' " + > < = ` + "`",
		"nul\x00byte",
		"bad utf-8 \xff\xfe\xc3 end",
		"Zoë ☃ 日本語 🙂 \u00a0 \u2028 \ufdd0 \uffff",
		strings.Repeat("a very long line without any break ", 400),
		"javascript:alert(1)",
		"JavaScript:alert(document.cookie)",
		"data:text/html,<b>hi</b>",
		"vbscript:x",
		"https://steady.example/summary?t=a b&c=<d>'e'\"f\"%zz%41%4",
		"HTTPS://STEADY.EXAMPLE/A+B,C;D=E@F[G]!$*~",
		"mailto:someone@example.org?subject=hi there",
		"/relative/path?x=1#frag",
		"//evil.example/path",
		"a/b:c",
		"tel:+44 808 2000 247",
		"cid:chart@steady",
		"#fff;background:url(javascript:x)",
		"1\t2\n3\r4",
		"  \n\tleading and trailing blank space \r\n ",
		"https://steady.example/reply?t=a b&c=<d>'e'\"f\"%zz%41%4",
		"{{.Address}} {{template \"answer\" .}}",
	}
}
