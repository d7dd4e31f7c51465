package mailreply

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // registers ISO-8859-*, Windows-125*, … with go-message
	"github.com/emersion/go-message/mail"
	"golang.org/x/text/encoding/charmap"

	"github.com/steadyapp/steady"
)

// envelope is a parsed message: its top-level header and the parts
// Extract cares about.
type envelope struct {
	h          mail.Header
	mediaType  string
	reportType string
	plain      *textPart
	html       *textPart
	dsn        []string // message/delivery-status bodies
	returned   []string // returned headers of a bounce (text/rfc822-headers, message/rfc822)
	tooLong    bool
	broken     error // the first structural error met while walking the parts
	parts      int
	permanent  bool // a delivery-status part of a top-level report says permanent failure (permanentFailure)
}

type textPart struct {
	text   string
	flowed bool
	delSp  bool
}

func parse(raw []byte) (*envelope, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, fmt.Errorf("%w: the message is empty", ErrMalformed)
	}
	ent, err := message.Read(bytes.NewReader(raw))
	if ent == nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	env := &envelope{h: mail.Header{Header: ent.Header}}
	env.mediaType, _, _ = ent.Header.ContentType()
	if t, params, err := ent.Header.ContentType(); err == nil && t == "multipart/report" {
		env.reportType = strings.ToLower(params["report-type"])
	}
	if env.mediaType == "" {
		env.mediaType = "text/plain"
	}
	env.walk(ent, err, 0)
	return env, nil
}

// walk visits e and its sub-parts. readErr is the (non-fatal) error from
// creating e: an unknown charset or transfer encoding.
func (env *envelope) walk(e *message.Entity, readErr error, depth int) {
	env.parts++
	if env.parts > maxParts || depth > maxDepth {
		env.setBroken(errors.New("too many or too deeply nested parts"))
		return
	}
	t, params, err := e.Header.ContentType()
	if err != nil || t == "" {
		t, params = "text/plain", map[string]string{}
	}
	if mr := e.MultipartReader(); mr != nil {
		if params["boundary"] == "" {
			env.setBroken(errors.New("a multipart without a boundary"))
			return
		}
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				return
			}
			if p == nil {
				env.setBroken(err)
				return
			}
			env.walk(p, err, depth+1)
		}
	}
	disp, _, _ := e.Header.ContentDisposition()
	switch {
	case t == "message/delivery-status" || t == "message/global-delivery-status":
		body := env.read(e, readErr, false)
		env.dsn = append(env.dsn, body)
		if depth == 1 && env.reportType == "delivery-status" && t == "message/delivery-status" && permanentFailure(body) {
			env.permanent = true
		}
	case t == "text/rfc822-headers" || t == "message/rfc822" || t == "message/global-headers":
		if env.reportType != "" {
			env.returned = append(env.returned, env.read(e, readErr, false))
		}
	case disp == "attachment":
	case t == "text/plain" && env.plain == nil:
		env.plain = &textPart{
			text:   env.read(e, readErr, true),
			flowed: strings.EqualFold(params["format"], "flowed"),
			delSp:  strings.EqualFold(params["delsp"], "yes"),
		}
	case t == "text/html" && env.html == nil:
		env.html = &textPart{text: env.read(e, readErr, true)}
	}
}

func (env *envelope) setBroken(err error) {
	if env.broken == nil && err != nil {
		env.broken = err
	}
}

// read returns a part's decoded text, at most MaxTextBytes of it. A part
// whose charset is unknown is read as UTF-8 when it is valid UTF-8 and as
// Windows-1252 (a superset of ISO-8859-1) otherwise, so nothing is lost.
// The text is cleaned as the store would clean it (steady.CleanText:
// invalid UTF-8 replaced, NUL bytes removed) before quotes are looked for,
// so a stray NUL hides no quote and a part of only NULs is empty.
func (env *envelope) read(e *message.Entity, readErr error, text bool) string {
	b, err := io.ReadAll(io.LimitReader(e.Body, MaxTextBytes+1))
	if err != nil {
		env.setBroken(err)
	}
	if len(b) > MaxTextBytes {
		b = b[:MaxTextBytes]
		if text {
			env.tooLong = true
		}
	}
	if readErr != nil && message.IsUnknownCharset(readErr) && !utf8.Valid(b) {
		if d, err := charmap.Windows1252.NewDecoder().Bytes(b); err == nil {
			b = d
		}
	}
	return c1ToWindows1252(steady.CleanText(string(b)))
}

// c1ToWindows1252 reads C1 control characters (U+0080 to U+009F) as the
// Windows-1252 characters with those byte values. Mail programs (Outlook
// above all) often label Windows-1252 text "iso-8859-1", which turns its
// curly quotes and dashes into these controls; real text never holds them,
// so the mapping loses nothing.
func c1ToWindows1252(s string) string {
	if !strings.ContainsFunc(s, isC1) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isC1(r) {
			if w := charmap.Windows1252.DecodeByte(byte(r)); w != utf8.RuneError {
				return w
			}
		}
		return r
	}, s)
}

func isC1(r rune) bool { return r >= 0x80 && r <= 0x9f }

// headers returns the message's identifying headers. Unparseable header
// fields are left empty.
func (env *envelope) headers() Message {
	var m Message
	if id, err := env.h.MessageID(); err == nil {
		m.MessageID = id
	} else {
		m.MessageID = strings.Trim(strings.TrimSpace(env.h.Get("Message-Id")), "<>")
	}
	m.Subject, _ = env.h.Subject()
	if from, err := env.h.AddressList("From"); err == nil && len(from) > 0 {
		m.From = from[0].Address
	}
	seen := map[string]bool{}
	for _, key := range []string{"To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To"} {
		for _, a := range addresses(env.h, key) {
			if k := strings.ToLower(a); !seen[k] {
				seen[k] = true
				m.Recipients = append(m.Recipients, a)
			}
		}
	}
	m.InReplyTo = msgIDs(env.h, "In-Reply-To")
	m.References = msgIDs(env.h, "References")
	return m
}

// addresses reads an address header; a field net/mail cannot parse is read
// as bare addresses between angle brackets or separated by commas.
func addresses(h mail.Header, key string) []string {
	var out []string
	if list, err := h.AddressList(key); err == nil {
		for _, a := range list {
			out = append(out, a.Address)
		}
		return out
	}
	for _, v := range h.Values(key) {
		for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '<' || r == '>' }) {
			if strings.Count(f, "@") == 1 {
				out = append(out, f)
			}
		}
	}
	return out
}

// msgIDs reads a message-id list; a malformed one is read leniently as the
// words between angle brackets.
func msgIDs(h mail.Header, key string) []string {
	if ids, err := h.MsgIDList(key); err == nil {
		return ids
	}
	var out []string
	for _, v := range h.Values(key) {
		for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == '<' || r == '>' || r == ' ' || r == ',' }) {
			if strings.Contains(f, "@") {
				out = append(out, f)
			}
		}
	}
	return out
}

// text returns the body text to strip: the text/plain part, or the HTML
// part rendered as text when there is no plain text (or it is blank).
func (env *envelope) text() (string, error) {
	if env.tooLong {
		return "", fmt.Errorf("%w: more than %d bytes of text", ErrTooLong, MaxTextBytes)
	}
	var text string
	if env.plain != nil {
		text = env.plain.text
		if env.plain.flowed {
			text = unflow(text, env.plain.delSp)
		}
	}
	if strings.TrimSpace(text) == "" && env.html != nil {
		text = htmlText(env.html.text)
	}
	if strings.TrimSpace(text) == "" && env.broken != nil {
		return "", fmt.Errorf("%w: %v", ErrMalformed, env.broken)
	}
	return text, nil
}
