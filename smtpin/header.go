package smtpin

import (
	"bytes"
	"strings"

	"github.com/emersion/go-msgauth/authres"
)

// stamp returns raw with every Authentication-Results header that claims
// this server's authserv-id removed (anyone can write one; only this
// server's own counts), and this server's findings and the envelope
// recipients (Delivered-To, which the processor reads for the reply
// token) added on top.
func (s *Server) stamp(raw []byte, rcpts []string, results []authres.Result) []byte {
	eol := "\r\n"
	if i := bytes.IndexByte(raw, '\n'); i > 0 && raw[i-1] != '\r' {
		eol = "\n"
	}
	var b bytes.Buffer
	b.WriteString("Authentication-Results: " + authres.Format(s.cfg.Hostname, results) + eol)
	for _, r := range rcpts {
		b.WriteString("Delivered-To: " + r + eol)
	}
	b.Write(stripAuthResults(raw, s.cfg.Hostname))
	return b.Bytes()
}

// stripAuthResults removes from raw's header every Authentication-Results
// field whose authserv-id is id (ignoring case), however it is folded.
func stripAuthResults(raw []byte, id string) []byte {
	var out bytes.Buffer
	out.Grow(len(raw))
	i := 0
	for i < len(raw) {
		end := lineEnd(raw, i)
		if len(bytes.TrimRight(raw[i:end], "\r\n")) == 0 {
			break // the blank line: the body follows
		}
		j := end
		for j < len(raw) && (raw[j] == ' ' || raw[j] == '\t') {
			j = lineEnd(raw, j)
		}
		if !claims(raw[i:j], id) {
			out.Write(raw[i:j])
		}
		i = j
	}
	out.Write(raw[i:])
	return out.Bytes()
}

// lineEnd is the index just after the line starting at i.
func lineEnd(raw []byte, i int) int {
	if n := bytes.IndexByte(raw[i:], '\n'); n >= 0 {
		return i + n + 1
	}
	return len(raw)
}

// claims says whether one header field is an Authentication-Results
// whose authserv-id is id: as authres parses it, or as its first word
// (so a field authres cannot parse is no way around the check).
func claims(field []byte, id string) bool {
	name, value, ok := strings.Cut(string(field), ":")
	if !ok || !strings.EqualFold(strings.TrimSpace(name), "Authentication-Results") {
		return false
	}
	value = strings.Join(strings.Fields(value), " ") // unfold
	if got, _, err := authres.Parse(value); err == nil && strings.EqualFold(got, id) {
		return true
	}
	first, _, _ := strings.Cut(value, ";")
	for _, w := range strings.Fields(strings.NewReplacer("(", " ", ")", " ").Replace(first)) {
		if strings.EqualFold(w, id) {
			return true
		}
	}
	return false
}
