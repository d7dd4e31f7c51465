package mailhook

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/steadyapp/steady/inbox"
)

// Receiver files one raw message that arrived from source ("mailgun",
// "postmark", "sendgrid", "outbox"): it stores it, or holds what it cannot
// file. An error means a failure worth retrying. Its store calls must use
// the context it is given: the Mailgun handler runs it inside the
// transaction that records the request's token.
type Receiver interface {
	Receive(ctx context.Context, raw []byte, source string) (inbox.Result, error)
}

// Ledger remembers handled webhook requests; *store.DB satisfies it.
type Ledger interface {
	Atomically(ctx context.Context, fn func(ctx context.Context) error) error
	RecordInboundEvent(ctx context.Context, sourceID string, now time.Time) (created bool, err error)
}

// DefaultMaxBytes bounds a webhook request body: 10 MB.
const DefaultMaxBytes = 10 << 20

// Sources, passed to the Receiver.
const (
	SourceMailgun  = "mailgun"
	SourcePostmark = "postmark"
	SourceSendGrid = "sendgrid"
	SourceOutbox   = "outbox"
)

// BasicAuth is the user name and password a provider puts in the webhook
// URL. An empty User accepts any user name.
type BasicAuth struct {
	User, Password string
}

// check compares in constant time; both sides are hashed first, so
// neither the comparison nor the lengths give the secret away.
func (a BasicAuth) check(r *http.Request) bool {
	user, password, ok := r.BasicAuth()
	if !ok || a.Password == "" {
		return false
	}
	userOK := a.User == "" || equal(user, a.User)
	return equal(password, a.Password) && userOK
}

func equal(a, b string) bool {
	x, y := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(x[:], y[:]) == 1
}

// Phrase is a fixed sentence saying what became of a message, safe to show
// and to log (it names no address and quotes no text).
func Phrase(res inbox.Result) string {
	switch res.Outcome {
	case inbox.Stored:
		return "Stored as a reply."
	case inbox.Duplicate:
		return "Already stored: this reply was received before, so nothing changed."
	case inbox.AutoReply:
		return "Dropped: it reads as an automatic reply."
	case inbox.Bounced:
		return "Counted as a bounce."
	case inbox.Unsubscribed:
		return "Unsubscribed the subscriber."
	case inbox.Empty:
		return "Nothing stored: there is no new text in it."
	case inbox.Unmatched, inbox.Rejected:
		return "Not filed as a reply: " + cmp.Or(res.Reason, string(res.Outcome)) + "."
	}
	return "Not filed as a reply (" + cmp.Or(string(res.Outcome), "unknown outcome") + ")."
}

// base is what every handler shares.
type base struct {
	provider string
	recv     Receiver
	log      *slog.Logger
	maxBytes int64
}

func newBase(provider string, recv Receiver, log *slog.Logger, maxBytes int64) (base, error) {
	if recv == nil {
		return base{}, errors.New("mailhook: " + provider + " needs a Receiver")
	}
	if maxBytes < 0 {
		return base{}, errors.New("mailhook: " + provider + ": MaxBytes must not be negative")
	}
	return base{
		provider: provider,
		recv:     recv,
		log:      cmp.Or(log, slog.New(slog.DiscardHandler)),
		maxBytes: cmp.Or(maxBytes, DefaultMaxBytes),
	}, nil
}

// refusal is a 4xx answer with a fixed reason.
type refusal struct {
	status int
	reason string
}

func (e *refusal) Error() string { return e.reason }

func refuse(status int, reason string) error { return &refusal{status, reason} }

// read reads the whole body, at most maxBytes.
func (b base) read(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, b.maxBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, refuse(http.StatusRequestEntityTooLarge, "the request is larger than the limit")
	case err != nil:
		return nil, refuse(http.StatusBadRequest, "the request body could not be read")
	}
	return body, nil
}

// form parses a multipart/form-data or urlencoded body read by read. Files
// (attachments) are kept in memory, within the size limit already applied.
func (b base) form(r *http.Request, body []byte) (url.Values, *multipart.Form, error) {
	ct, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, nil, refuse(http.StatusBadRequest, "the Content-Type is missing or malformed")
	}
	switch ct {
	case "application/x-www-form-urlencoded":
		v, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, nil, refuse(http.StatusBadRequest, "the form does not parse")
		}
		return v, nil, nil
	case "multipart/form-data":
		f, err := multipart.NewReader(bytes.NewReader(body), params["boundary"]).ReadForm(b.maxBytes + 1<<20)
		if err != nil {
			return nil, nil, refuse(http.StatusBadRequest, "the multipart form does not parse")
		}
		// A body cut off inside a part's header reads as a shorter, whole
		// form (the reader takes the cut for the end), so a form must end
		// with its closing boundary.
		if !bytes.HasSuffix(bytes.TrimRight(body, "\r\n"), []byte("--"+params["boundary"]+"--")) {
			return nil, nil, refuse(http.StatusBadRequest, "the multipart form is cut short")
		}
		return url.Values(f.Value), f, nil
	}
	return nil, nil, refuse(http.StatusUnsupportedMediaType, "want multipart/form-data or a urlencoded form")
}

// fileOrValue is a form field sent either as a value or as a file part.
func fileOrValue(v url.Values, f *multipart.Form, key string) (string, error) {
	if s := v.Get(key); s != "" {
		return s, nil
	}
	if f == nil || len(f.File[key]) == 0 {
		return "", nil
	}
	fh, err := f.File[key][0].Open()
	if err != nil {
		return "", refuse(http.StatusBadRequest, "a file part could not be read")
	}
	defer fh.Close()
	data, err := io.ReadAll(fh)
	if err != nil {
		return "", refuse(http.StatusBadRequest, "a file part could not be read")
	}
	return string(data), nil
}

// receive hands raw to the receiver and answers.
func (b base) receive(ctx context.Context, w http.ResponseWriter, raw []byte) {
	res, err := b.recv.Receive(ctx, raw, b.provider)
	if err != nil {
		b.fail(ctx, w, err)
		return
	}
	b.ok(ctx, w, res)
}

func (b base) ok(ctx context.Context, w http.ResponseWriter, res inbox.Result) {
	b.log.InfoContext(ctx, "inbound webhook", "provider", b.provider, "status", http.StatusOK,
		"outcome", string(res.Outcome), "subscriber", res.SubscriberID, "delivery", res.DeliveryID)
	answer(w, http.StatusOK, string(res.Outcome))
}

// fail answers a refusal with its status and anything else with 503, so
// the provider tries again later.
func (b base) fail(ctx context.Context, w http.ResponseWriter, err error) {
	var ref *refusal
	if errors.As(err, &ref) {
		b.log.InfoContext(ctx, "inbound webhook refused", "provider", b.provider, "status", ref.status, "reason", ref.reason)
		if ref.status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Basic realm="Steady inbound mail", charset="UTF-8"`)
		}
		answer(w, ref.status, ref.reason)
		return
	}
	// The error comes from the store, never from the message's text.
	b.log.WarnContext(ctx, "inbound webhook failed; the provider will retry", "provider", b.provider, "err", err)
	answer(w, http.StatusServiceUnavailable, "temporary failure; please retry")
}

func answer(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, strings.TrimSpace(text)+"\n")
}
