package mailhook

import (
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"net/mail"
	"strings"
)

// PostmarkConfig configures the Postmark inbound handler.
type PostmarkConfig struct {
	Receiver Receiver
	Logger   *slog.Logger
	// Auth is what the webhook URL carries (https://user:password@…).
	Auth BasicAuth
	// MaxBytes bounds the request body; default DefaultMaxBytes.
	MaxBytes int64
}

// Postmark receives Postmark's inbound webhook: a JSON document per
// message. With "Include raw email content in JSON payload" on, RawEmail
// is the message as received; otherwise it is put back together from
// FromFull, ToFull, CcFull, Subject, Date, Headers, TextBody and HtmlBody.
type Postmark struct {
	base
	auth BasicAuth
}

// NewPostmark checks cfg.
func NewPostmark(cfg PostmarkConfig) (*Postmark, error) {
	b, err := newBase(SourcePostmark, cfg.Receiver, cfg.Logger, cfg.MaxBytes)
	if err != nil {
		return nil, err
	}
	if cfg.Auth.Password == "" {
		return nil, errors.New("mailhook: postmark needs a password")
	}
	return &Postmark{base: b, auth: cfg.Auth}, nil
}

type postmarkAddress struct {
	Email, Name string
}

type postmarkPayload struct {
	FromFull          *postmarkAddress
	From              string
	ToFull, CcFull    []postmarkAddress
	To, Cc            string
	OriginalRecipient string
	Subject           string
	Date              string
	MessageID         string
	Headers           []struct{ Name, Value string }
	TextBody          string
	HtmlBody          string
	RawEmail          string
}

func (p *Postmark) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !p.auth.check(r) {
		p.fail(ctx, w, refuse(http.StatusUnauthorized, "wrong or missing credentials"))
		return
	}
	body, err := p.read(w, r)
	if err != nil {
		p.fail(ctx, w, err)
		return
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		p.fail(ctx, w, refuse(http.StatusUnsupportedMediaType, "want application/json"))
		return
	}
	var pl postmarkPayload
	if err := json.Unmarshal(body, &pl); err != nil {
		p.fail(ctx, w, refuse(http.StatusBadRequest, "the body is not Postmark's inbound JSON"))
		return
	}
	raw, err := pl.raw()
	if err != nil {
		p.fail(ctx, w, err)
		return
	}
	p.receive(ctx, w, untrusted(raw, []string{pl.OriginalRecipient}))
}

func (pl postmarkPayload) raw() ([]byte, error) {
	if pl.RawEmail != "" {
		return []byte(pl.RawEmail), nil
	}
	from := pl.From
	if pl.FromFull != nil && pl.FromFull.Email != "" {
		from = (&mail.Address{Name: pl.FromFull.Name, Address: pl.FromFull.Email}).String()
	}
	if from == "" && pl.TextBody == "" && pl.HtmlBody == "" {
		return nil, refuse(http.StatusBadRequest, "the payload has no sender and no body")
	}
	p := parsed{text: pl.TextBody, html: pl.HtmlBody}
	add := func(name, value string) {
		if value != "" {
			p.headers = append(p.headers, header{name, value})
		}
	}
	add("From", from)
	add("To", postmarkList(pl.ToFull, pl.To))
	add("Cc", postmarkList(pl.CcFull, pl.Cc))
	add("Subject", pl.Subject)
	add("Date", pl.Date)
	own := map[string]bool{"from": true, "to": true, "cc": true, "subject": true, "date": true}
	for _, h := range pl.Headers {
		if !own[strings.ToLower(strings.TrimSpace(h.Name))] {
			add(h.Name, h.Value)
		}
	}
	return p.build(), nil
}

// postmarkList formats ToFull or CcFull, or falls back on the plain field.
func postmarkList(full []postmarkAddress, plain string) string {
	if len(full) == 0 {
		return plain
	}
	out := make([]string, 0, len(full))
	for _, a := range full {
		if a.Email != "" {
			out = append(out, (&mail.Address{Name: a.Name, Address: a.Email}).String())
		}
	}
	return strings.Join(out, ", ")
}
