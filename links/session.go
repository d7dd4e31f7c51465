package links

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"strings"
	"time"
)

// SessionTTL is how long a page opened from a link keeps working from its
// cookie (or, with cookies refused, from the value its forms carry).
const SessionTTL = time.Hour

// ErrSessionExpired: the page was opened from its link longer than
// SessionTTL ago. The link itself may still be good.
var ErrSessionExpired = errors.New("this page was open too long")

// A session value wraps one link token for a short while, so the token
// need not stay in the address bar:
//
//	base32('k' | link purpose | uvarint expiry-seconds | link token | HMAC-SHA256[:10])
//
// under a MAC of its own ("steady-session-v1"), so no session value is a
// link token or the other way round. It is bound to the link's purpose and
// carries the link's token, id and bound with it; the link token is still
// checked as usual whenever the session is used.

// Session exchanges a genuine, unexpired link token for p for a session
// value that expires SessionTTL from now.
func (l *Links) Session(p Purpose, token string) (value string, expires time.Time, err error) {
	now := l.clock.Now()
	if _, err := l.signer.Check(p, token, now, l.ttl(p)); err != nil {
		return "", time.Time{}, err
	}
	raw, _ := encoding.DecodeString(strings.ToLower(strings.TrimSpace(token)))
	expires = now.Add(SessionTTL).Truncate(time.Second)
	buf := []byte{byte(PurposeSession), byte(p)}
	buf = binary.AppendUvarint(buf, uint64(expires.Unix()))
	buf = append(buf, raw...)
	buf = append(buf, l.signer.sessionMAC(buf)...)
	return encoding.EncodeToString(buf), expires, nil
}

// OpenSession checks a session value for p and returns the link token it
// carries, which the caller verifies as it would the link's.
func (l *Links) OpenSession(p Purpose, value string) (string, error) {
	raw, err := encoding.DecodeString(strings.ToLower(strings.TrimSpace(value)))
	if err != nil || len(raw) < 3+macLen {
		return "", ErrTokenInvalid
	}
	body, mac := raw[:len(raw)-macLen], raw[len(raw)-macLen:]
	if !hmac.Equal(mac, l.signer.sessionMAC(body)) || Purpose(body[0]) != PurposeSession || Purpose(body[1]) != p {
		return "", ErrTokenInvalid
	}
	exp, n := binary.Uvarint(body[2:])
	if n <= 0 || len(body) == 2+n || exp > 1<<40 {
		return "", ErrTokenInvalid
	}
	now := l.clock.Now()
	if int64(exp) > now.Add(SessionTTL+clockSlack).Unix() {
		return "", ErrTokenInvalid
	}
	if now.Unix() > int64(exp) {
		return "", ErrSessionExpired
	}
	return encoding.EncodeToString(body[2+n:]), nil
}

func (s *Signer) sessionMAC(body []byte) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte("steady-session-v1\x00"))
	h.Write(body)
	return h.Sum(nil)[:macLen]
}

// Opened is the link a page request was opened with, once the web layer
// has taken it from the request's session (see web/session.go).
type Opened struct {
	Token   string // the link's token
	Session string // the session value carrying it
	// Cookie: the session came from its cookie, so URLs on the page need
	// not carry it; otherwise they must ("?s=" + Session).
	Cookie bool
}

type openedKey struct{}

// WithOpened returns ctx carrying o.
func WithOpened(ctx context.Context, o Opened) context.Context {
	return context.WithValue(ctx, openedKey{}, o)
}

// OpenedFrom returns the link a request was opened with, if the web layer
// resolved one.
func OpenedFrom(ctx context.Context) (Opened, bool) {
	o, ok := ctx.Value(openedKey{}).(Opened)
	return o, ok
}
