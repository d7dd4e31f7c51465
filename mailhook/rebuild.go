package mailhook

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"mime"
	"net/mail"
	"strings"
)

// header is one header field as a provider reported it.
type header struct{ name, value string }

// parsed is a message a provider took apart, to be put together again.
type parsed struct {
	headers    []header // in the message's order
	text, html string
	// charset of text and of html, default utf-8 (SendGrid keeps the
	// original's).
	charset, htmlCharset string
}

// replaced are the fields build writes itself: the body is new, so the
// original's MIME structure no longer describes it.
var replaced = map[string]bool{
	"content-type": true, "content-transfer-encoding": true, "mime-version": true, "content-disposition": true,
}

// addressHeaders are re-encoded from their parsed form, so a display name
// in any script becomes RFC 2047 words.
var addressHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "reply-to": true, "sender": true,
	"delivered-to": true, "x-original-to": true, "envelope-to": true,
}

// build writes p as an RFC 5322 message: its headers (one line each,
// non-ASCII display names and subjects encoded), then the text (and HTML,
// as multipart/alternative) in base64.
func (p parsed) build() []byte {
	var b bytes.Buffer
	for _, h := range p.headers {
		name := strings.TrimSpace(h.name)
		if !validName(name) || replaced[strings.ToLower(name)] {
			continue
		}
		b.WriteString(name + ": " + encodeValue(name, h.value) + "\r\n")
	}
	b.WriteString("MIME-Version: 1.0\r\n")
	charset := p.charset
	if !validToken(charset) {
		charset = "utf-8"
	}
	textPart := func() {
		b.WriteString("Content-Type: text/plain; charset=" + charset + "\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		writeBase64(&b, p.text)
	}
	if p.html == "" {
		textPart()
		return b.Bytes()
	}
	sum := sha256.Sum256([]byte(p.text + "\x00" + p.html))
	boundary := "steady-" + hex.EncodeToString(sum[:12])
	b.WriteString("Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n")
	b.WriteString("--" + boundary + "\r\n")
	textPart()
	b.WriteString("--" + boundary + "\r\n")
	htmlCharset := p.htmlCharset
	if !validToken(htmlCharset) {
		htmlCharset = "utf-8"
	}
	b.WriteString("Content-Type: text/html; charset=" + htmlCharset + "\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	writeBase64(&b, p.html)
	b.WriteString("--" + boundary + "--\r\n")
	return b.Bytes()
}

func writeBase64(b *bytes.Buffer, s string) {
	enc := base64.StdEncoding.EncodeToString([]byte(s))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
}

// encodeValue makes one header value safe to write on one line: line
// breaks (which would start a new field) become spaces, addresses are
// formatted by net/mail, and a non-ASCII value of any other field becomes
// RFC 2047 encoded words.
func encodeValue(name, value string) string {
	value = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' || r == 0 {
			return ' '
		}
		return r
	}, value)), " ")
	if addressHeaders[strings.ToLower(name)] {
		if list, err := mail.ParseAddressList(value); err == nil && len(list) > 0 {
			out := make([]string, len(list))
			for i, a := range list {
				out[i] = a.String()
			}
			return strings.Join(out, ", ")
		}
	}
	if isASCII(value) || addressHeaders[strings.ToLower(name)] {
		return value // an address list net/mail cannot read stays as it is (RFC 6532 allows UTF-8)
	}
	return mime.QEncoding.Encode("utf-8", value)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// validName is a header field name: printable ASCII without a colon.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f || s[i] == ':' {
			return false
		}
	}
	return true
}

// validToken is a MIME parameter value that needs no quoting (a charset).
func validToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.:+", c) >= 0) {
			return false
		}
	}
	return s != ""
}

// untrusted renames every Authentication-Results field in the header
// section of raw, so the processor believes none of them (see the package
// doc), and adds the provider's envelope recipients as X-Original-To. The
// rest of the message is left byte for byte.
func untrusted(raw []byte, recipients []string) []byte {
	end := headerEnd(raw)
	var b bytes.Buffer
	b.Grow(len(raw) + 64)
	eol := "\r\n"
	if !bytes.Contains(raw[:end], []byte("\r\n")) && bytes.Contains(raw[:end], []byte("\n")) {
		eol = "\n"
	}
	for _, r := range recipients {
		if a, err := mail.ParseAddress(strings.TrimSpace(r)); err == nil {
			b.WriteString("X-Original-To: <" + a.Address + ">" + eol)
		}
	}
	head := raw[:end]
	for len(head) > 0 {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line = head[:i+1]
		}
		head = head[len(line):]
		if hasFieldName(line, "authentication-results") {
			b.WriteString("X-Untrusted-")
		}
		b.Write(line)
	}
	b.Write(raw[end:])
	return b.Bytes()
}

// headerEnd is the offset of the blank line that ends the header section,
// or len(raw) when there is none.
func headerEnd(raw []byte) int {
	for i := 0; i < len(raw); {
		j := bytes.IndexByte(raw[i:], '\n')
		if j < 0 {
			return len(raw)
		}
		line := raw[i : i+j+1]
		if len(bytes.TrimRight(line, "\r\n")) == 0 {
			return i
		}
		i += j + 1
	}
	return len(raw)
}

func hasFieldName(line []byte, name string) bool {
	colon := bytes.IndexByte(line, ':')
	if colon < 0 || line[0] == ' ' || line[0] == '\t' {
		return false
	}
	return strings.EqualFold(strings.TrimSpace(string(line[:colon])), name)
}

// splitHeaders reads a raw header block (SendGrid's "headers" field) into
// fields in order, unfolding continuation lines.
func splitHeaders(block string) []header {
	var out []header
	for _, line := range strings.Split(strings.ReplaceAll(block, "\r\n", "\n"), "\n") {
		if line == "" {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && len(out) > 0 {
			out[len(out)-1].value += " " + strings.TrimSpace(line)
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		out = append(out, header{strings.TrimSpace(name), strings.TrimSpace(value)})
	}
	return out
}
