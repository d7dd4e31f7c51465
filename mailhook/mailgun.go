package mailhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/inbox"
)

// DefaultMailgunMaxAge is how old a Mailgun timestamp may be: Mailgun
// retries a failed POST for 8 hours with its first signature.
const DefaultMailgunMaxAge = 9 * time.Hour

// mailgunSkew is how far in the future a timestamp may be (clock skew).
const mailgunSkew = 5 * time.Minute

// MailgunConfig configures the Mailgun routes handler.
type MailgunConfig struct {
	Receiver Receiver
	Ledger   Ledger
	Clock    steady.Clock
	Logger   *slog.Logger
	// SigningKey is the domain's HTTP webhook signing key.
	SigningKey string
	// MaxAge bounds how old a signed timestamp may be; default
	// DefaultMailgunMaxAge.
	MaxAge time.Duration
	// MaxBytes bounds the request body; default DefaultMaxBytes.
	MaxBytes int64
}

// Mailgun receives Mailgun route POSTs: forward("https://…/inbound/mailgun")
// or store(notify="…"). With a URL ending in "mime" Mailgun posts the raw
// message as body-mime; otherwise the parsed fields, which are put back
// together (message-headers, body-plain, body-html).
type Mailgun struct {
	base
	ledger Ledger
	clock  steady.Clock
	key    []byte
	maxAge time.Duration
}

// NewMailgun checks cfg.
func NewMailgun(cfg MailgunConfig) (*Mailgun, error) {
	b, err := newBase(SourceMailgun, cfg.Receiver, cfg.Logger, cfg.MaxBytes)
	if err != nil {
		return nil, err
	}
	if cfg.Ledger == nil || cfg.Clock == nil || cfg.SigningKey == "" {
		return nil, errors.New("mailhook: mailgun needs a Ledger, a Clock and a signing key")
	}
	if cfg.MaxAge < 0 {
		return nil, errors.New("mailhook: mailgun: MaxAge must not be negative")
	}
	if cfg.MaxAge == 0 {
		cfg.MaxAge = DefaultMailgunMaxAge
	}
	return &Mailgun{base: b, ledger: cfg.Ledger, clock: cfg.Clock, key: []byte(cfg.SigningKey), maxAge: cfg.MaxAge}, nil
}

func (m *Mailgun) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	body, err := m.read(w, r)
	if err != nil {
		m.fail(ctx, w, err)
		return
	}
	v, f, err := m.form(r, body)
	if err != nil {
		m.fail(ctx, w, err)
		return
	}
	token, err := m.verify(v)
	if err != nil {
		m.fail(ctx, w, err)
		return
	}
	raw, err := mailgunRaw(v, f)
	if err != nil {
		m.fail(ctx, w, err)
		return
	}
	raw = untrusted(raw, strings.Split(v.Get("recipient"), ","))
	var res inbox.Result
	err = m.ledger.Atomically(ctx, func(ctx context.Context) error {
		created, err := m.ledger.RecordInboundEvent(ctx, "mailgun:"+token, m.clock.Now())
		if err != nil {
			return err
		}
		if !created {
			return refuse(http.StatusNotAcceptable, "this request was received before (its token is spent)")
		}
		res, err = m.recv.Receive(ctx, raw, m.provider)
		return err
	})
	if err != nil {
		m.fail(ctx, w, err)
		return
	}
	m.ok(ctx, w, res)
}

// verify checks the signature and the timestamp and returns the token.
func (m *Mailgun) verify(v url.Values) (string, error) {
	ts, token, sig := v.Get("timestamp"), v.Get("token"), v.Get("signature")
	if ts == "" || token == "" || sig == "" {
		return "", refuse(http.StatusForbidden, "the request is not signed (timestamp, token and signature are required)")
	}
	want := hmac.New(sha256.New, m.key)
	want.Write([]byte(ts + token))
	got, err := hex.DecodeString(sig)
	if err != nil || !hmac.Equal(got, want.Sum(nil)) {
		return "", refuse(http.StatusForbidden, "the signature does not match the signing key")
	}
	secs, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "", refuse(http.StatusBadRequest, "the timestamp is not a number of seconds")
	}
	at, now := time.Unix(secs, 0), m.clock.Now()
	if now.Sub(at) > m.maxAge || at.Sub(now) > mailgunSkew {
		return "", refuse(http.StatusNotAcceptable, "the timestamp is too far from the current time")
	}
	if len(token) > 200 {
		return "", refuse(http.StatusBadRequest, "the token is too long")
	}
	return token, nil
}

// mailgunRaw is the raw message Mailgun posted (body-mime) or one rebuilt
// from the parsed fields.
func mailgunRaw(v url.Values, f *multipart.Form) ([]byte, error) {
	mimeBody, err := fileOrValue(v, f, "body-mime")
	if err != nil {
		return nil, err
	}
	if mimeBody != "" {
		return []byte(mimeBody), nil
	}
	if _, ok := v["body-plain"]; !ok && v.Get("body-html") == "" {
		return nil, refuse(http.StatusBadRequest, "neither body-mime nor body-plain was posted")
	}
	p := parsed{text: v.Get("body-plain"), html: v.Get("body-html")}
	if mh := v.Get("message-headers"); mh != "" {
		var pairs [][]string
		if err := json.Unmarshal([]byte(mh), &pairs); err != nil {
			return nil, refuse(http.StatusBadRequest, "message-headers is not a JSON list of [name, value] pairs")
		}
		for _, pr := range pairs {
			if len(pr) == 2 {
				p.headers = append(p.headers, header{pr[0], pr[1]})
			}
		}
	} else {
		// Without message-headers, the headers Mailgun posts as fields.
		for _, k := range []string{"From", "To", "Cc", "Subject", "Date", "Message-Id", "In-Reply-To", "References"} {
			val := v.Get(k)
			if val == "" {
				val = v.Get(strings.ToLower(k))
			}
			if val != "" {
				p.headers = append(p.headers, header{k, val})
			}
		}
	}
	if len(p.headers) == 0 {
		return nil, refuse(http.StatusBadRequest, "the message has no headers")
	}
	return p.build(), nil
}
