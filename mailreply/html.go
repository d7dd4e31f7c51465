package mailreply

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// hrLine is what a horizontal rule becomes: the separator Outlook writes
// above a quoted "From:" block in its plain-text parts, which Strip knows.
const hrLine = "________________________________"

// htmlText renders an HTML body as plain text: blocks and <br> become line
// breaks, entities are decoded, scripts and styles dropped. Quoted history
// that clients mark in their HTML (Gmail's gmail_quote, Apple Mail's and
// Thunderbird's <blockquote type="cite">, Outlook on the web's
// divRplyFwdMsg) and marked signatures are left out; everything after an
// Outlook reply header is cut.
func htmlText(s string) string {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return ""
	}
	var w htmlWriter
	w.first, w.last = textBounds(doc)
	w.node(doc)
	lines := strings.Split(strings.ReplaceAll(w.b.String(), "\u00a0", " "), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.Join(lines, "\n")
}

type htmlWriter struct {
	b       strings.Builder
	stopped bool // a reply header was met: nothing after it is the sender's
	pre     int
	// first and last are the first and last text nodes that are shown.
	first, last *html.Node
}

// textBounds returns the first and last text nodes holding more than
// spaces that htmlText would show.
func textBounds(doc *html.Node) (first, last *html.Node) {
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (skipped(n) || cutsHere(n)) {
			return
		}
		if n.Type == html.TextNode && strings.TrimSpace(strings.ReplaceAll(n.Data, "\u00a0", " ")) != "" {
			if first == nil {
				first = n
			}
			last = n
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return first, last
}

// trailingQuote says whether n is a blockquote holding the last text shown
// but not the first: a quote at the end, below the sender's own text.
func (w *htmlWriter) trailingQuote(n *html.Node) bool {
	return n.DataAtom == atom.Blockquote && w.last != nil && contains(n, w.last) && !contains(n, w.first)
}

// contains says whether d is n or inside it.
func contains(n, d *html.Node) bool {
	for ; d != nil; d = d.Parent {
		if d == n {
			return true
		}
	}
	return false
}

func (w *htmlWriter) node(n *html.Node) {
	if w.stopped {
		return
	}
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.CommentNode, html.DoctypeNode:
		return
	case html.ElementNode:
		if cutsHere(n) {
			w.stopped = true
			return
		}
		if skipped(n) || w.trailingQuote(n) {
			return
		}
	}
	block := n.Type == html.ElementNode && isBlock(n.DataAtom)
	if block {
		w.newline()
		if n.DataAtom == atom.P {
			w.blankLine()
		}
	}
	switch n.DataAtom {
	case atom.Br:
		w.b.WriteString("\n")
	case atom.Hr:
		w.b.WriteString(hrLine + "\n")
	case atom.Pre:
		w.pre++
		defer func() { w.pre-- }()
	case atom.Li:
		w.b.WriteString("- ")
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
	if block {
		w.newline()
		if n.DataAtom == atom.P {
			w.b.WriteString("\n")
		}
	}
}

// newline ends the current line unless it is already ended.
func (w *htmlWriter) newline() {
	s := w.b.String()
	if s != "" && !strings.HasSuffix(s, "\n") {
		w.b.WriteString("\n")
	}
}

// blankLine ends the current paragraph with an empty line, unless at the start.
func (w *htmlWriter) blankLine() {
	s := w.b.String()
	if s != "" && !strings.HasSuffix(s, "\n\n") {
		w.b.WriteString("\n")
	}
}

func (w *htmlWriter) text(s string) {
	if w.pre > 0 {
		w.b.WriteString(s)
		return
	}
	f := strings.Fields(s) // splits on ASCII and Unicode spaces except U+00A0
	if len(f) == 0 {
		if s != "" && !w.atLineStart() {
			w.b.WriteString(" ")
		}
		return
	}
	if startsWithSpace(s) && !w.atLineStart() && !strings.HasSuffix(w.b.String(), " ") {
		w.b.WriteString(" ")
	}
	w.b.WriteString(strings.Join(f, " "))
	if endsWithSpace(s) {
		w.b.WriteString(" ")
	}
}

func (w *htmlWriter) atLineStart() bool {
	s := w.b.String()
	return s == "" || strings.HasSuffix(s, "\n")
}

func startsWithSpace(s string) bool { return s != "" && strings.TrimLeft(s, " \t\r\n") != s }
func endsWithSpace(s string) bool   { return s != "" && strings.TrimRight(s, " \t\r\n") != s }

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// cutsHere says whether n starts the quoted history of a reply, after which
// nothing is the sender's own text.
func cutsHere(n *html.Node) bool {
	switch attr(n, "id") {
	case "divRplyFwdMsg", "appendonsend", "mail-editor-reference-message-container", "OLK_SRC_BODY_SECTION":
		return true
	}
	return hasClass(n, "gmail_quote") || hasClass(n, "gmail_quote_container") || hasClass(n, "moz-cite-prefix") ||
		hasClass(n, "yahoo_quoted") || hasClass(n, "protonmail_quote")
}

// skipped says whether n is left out: non-content elements, cited
// blockquotes and marked signatures.
func skipped(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Head, atom.Script, atom.Style, atom.Title, atom.Template, atom.Noscript, atom.Img:
		return true
	case atom.Blockquote:
		if strings.EqualFold(attr(n, "type"), "cite") || strings.Contains(attr(n, "class"), "quote") {
			return true
		}
	}
	return hasClass(n, "gmail_signature") || hasClass(n, "moz-signature") || attr(n, "id") == "Signature" ||
		attr(n, "data-smartmail") == "gmail_signature"
}

func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Li, atom.Ul, atom.Ol, atom.Tr, atom.Table, atom.Blockquote, atom.Pre,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Hr, atom.Section, atom.Article,
		atom.Header, atom.Footer, atom.Dl, atom.Dt, atom.Dd, atom.Body:
		return true
	}
	return false
}
