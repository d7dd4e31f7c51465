package mailhook

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
)

// SendGridConfig configures the SendGrid Inbound Parse handler.
type SendGridConfig struct {
	Receiver Receiver
	Logger   *slog.Logger
	// Auth is what the Parse URL carries (https://user:password@…).
	Auth BasicAuth
	// MaxBytes bounds the request body; default DefaultMaxBytes.
	MaxBytes int64
}

// SendGrid receives SendGrid's Inbound Parse webhook (multipart/form-data).
// With "POST the raw, full MIME message" checked, the field email is the
// message as received; otherwise it is put back together from headers (the
// original header block), text and html, in the charsets that charsets
// names.
type SendGrid struct {
	base
	auth BasicAuth
}

// NewSendGrid checks cfg.
func NewSendGrid(cfg SendGridConfig) (*SendGrid, error) {
	b, err := newBase(SourceSendGrid, cfg.Receiver, cfg.Logger, cfg.MaxBytes)
	if err != nil {
		return nil, err
	}
	if cfg.Auth.Password == "" {
		return nil, errors.New("mailhook: sendgrid needs a password")
	}
	return &SendGrid{base: b, auth: cfg.Auth}, nil
}

func (s *SendGrid) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.auth.check(r) {
		s.fail(ctx, w, refuse(http.StatusUnauthorized, "wrong or missing credentials"))
		return
	}
	body, err := s.read(w, r)
	if err != nil {
		s.fail(ctx, w, err)
		return
	}
	v, f, err := s.form(r, body)
	if err != nil {
		s.fail(ctx, w, err)
		return
	}
	var envelope struct{ To []string }
	if e := v.Get("envelope"); e != "" {
		if err := json.Unmarshal([]byte(e), &envelope); err != nil {
			s.fail(ctx, w, refuse(http.StatusBadRequest, "envelope is not JSON"))
			return
		}
	}
	raw, err := fileOrValue(v, f, "email")
	if err != nil {
		s.fail(ctx, w, err)
		return
	}
	if raw == "" {
		if v.Get("headers") == "" {
			s.fail(ctx, w, refuse(http.StatusBadRequest, "neither email nor headers was posted"))
			return
		}
		var charsets map[string]string
		if c := v.Get("charsets"); c != "" {
			if err := json.Unmarshal([]byte(c), &charsets); err != nil {
				s.fail(ctx, w, refuse(http.StatusBadRequest, "charsets is not JSON"))
				return
			}
		}
		p := parsed{headers: splitHeaders(v.Get("headers")), text: v.Get("text"), html: v.Get("html"), charset: charsets["text"], htmlCharset: charsets["html"]}
		if len(p.headers) == 0 {
			s.fail(ctx, w, refuse(http.StatusBadRequest, "headers holds no header field"))
			return
		}
		raw = string(p.build())
	}
	s.receive(ctx, w, untrusted([]byte(raw), envelope.To))
}
