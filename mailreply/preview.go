package mailreply

import (
	"html"
	"regexp"
	"strings"
)

// hiddenPreviewRE finds the hidden preview line ("preheader") an email's
// HTML carries first for inbox previews: an element styled display:none.
var hiddenPreviewRE = regexp.MustCompile(`(?is)<(div|span)[^>]*style\s*=\s*"[^"]*display\s*:\s*none[^"]*"[^>]*>(.*?)</(div|span)>`)

// tagRE is an HTML tag inside the preview line.
var tagRE = regexp.MustCompile(`<[^>]*>`)

// HiddenPreview returns the text of the hidden preview line at the top of
// an email's HTML, without the invisible filler that pads it, or "". A
// mail program that quotes the HTML as text shows this line above the
// body, so it belongs to what Steady knows it sent (WithHTML).
func HiddenPreview(htmlBody string) string {
	m := hiddenPreviewRE.FindStringSubmatch(htmlBody)
	if m == nil {
		return ""
	}
	text := html.UnescapeString(tagRE.ReplaceAllString(m[2], ""))
	text = strings.Map(func(r rune) rune {
		switch r {
		case '\u034f', '\u2007', '\u200b', '\u200c', '\u200d', '\u00ad', '\ufeff', '\u2060':
			return -1
		}
		return r
	}, text)
	return strings.Join(strings.Fields(text), " ")
}

// WithHTML is k knowing also the hidden preview line of the HTML body
// Steady sent, placed before the text as mail programs quote it.
func (k Known) WithHTML(htmlBody string) Known {
	if p := HiddenPreview(htmlBody); p != "" && !strings.HasPrefix(k.Text, p) {
		k.Text = p + "\n\n" + k.Text
	}
	return k
}
