// Package links signs the tokens Steady puts in links and reply addresses,
// and builds the public URLs and addresses that carry them.
//
// A token is short, case-insensitive (it survives mail servers that lower-case
// the local part of an address) and says what it is for, which record it
// names and until when it is valid:
//
//	base32(purpose | uvarint id | uvarint expiry-hours [| uvarint bound] | HMAC-SHA256[:10])
//
// bound, when present, ties the token to one version of the record it
// names (a confirm token carries the time its sign-up request was made, so
// a newer request makes it stale). Each purpose has a longest lifetime
// (MaxTTL): a token whose expiry lies further ahead than that is refused
// even with a valid MAC, so a token signed with a longer lifetime, by an
// older Steady or by whoever held the key, opens nothing.
package links

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"hash"
	"strings"
	"sync"
	"time"
)

// Purpose says what a token may be used for; a token for one purpose is
// never accepted for another.
type Purpose byte

// Token purposes.
const (
	PurposeConfirm     Purpose = 'c' // names a subscriber; confirms a sign-up
	PurposeUnsubscribe Purpose = 'u' // names a subscriber; ends prompts
	PurposeReply       Purpose = 'r' // names a delivery; answers that prompt
	PurposeSummary     Purpose = 's' // names a monthly summary; shows it as a web page
	PurposeBounce      Purpose = 'b' // names a delivery; its bounce address (VERP envelope sender)
	PurposeThread      Purpose = 'm' // names a delivery; its Message-ID, which grants nothing
	PurposeSession     Purpose = 'k' // wraps another link's token in a short-lived cookie (session.go)
	PurposeSettings    Purpose = 'a' // names a subscriber; opens their settings page (bound to when it was made)
	// PurposeResurfaceOff names a subscriber; its page's button stops
	// prompts showing their past words (resurfacing).
	PurposeResurfaceOff Purpose = 'p'
	// PurposeMove names a subscriber; confirms their move to a new email
	// address or phone number (bound to when the move was asked for).
	PurposeMove Purpose = 'v'
)

// How long each kind of token is valid.
const (
	ConfirmTTL = 7 * 24 * time.Hour
	// Unsubscribe links stay valid for a long time: people find old
	// emails, and leaving must always be easy.
	UnsubscribeTTL = 400 * 24 * time.Hour
	// ResurfaceOffTTL: like leaving, saying "stop showing me my past
	// words" must work from an old email.
	ResurfaceOffTTL = 400 * 24 * time.Hour
	ReplyTTL        = 60 * 24 * time.Hour
	// SummaryTTL is how long a summary link lasts by default (see
	// Links.WithSummaryTTL, --summary-link-days): a summary quotes a
	// person's red flags, so its link should not outlive its month by much.
	SummaryTTL = 30 * 24 * time.Hour
	// MaxSummaryTTL is the longest summary link lifetime that may be set.
	MaxSummaryTTL = 400 * 24 * time.Hour
	// BounceTTL bounds how long after a delivery was created a bounce of
	// it is counted. Delivery status notifications come within days
	// (mail servers give up retrying after about five); one naming an
	// older delivery is a replay, not news.
	BounceTTL = 30 * 24 * time.Hour
	// SettingsTTL is how long a settings link lasts. It is revoked sooner
	// by an unsubscribe or erasure (store.LinksRevokedAt).
	SettingsTTL = 60 * 24 * time.Hour
)

// clockSlack is how far beyond its purpose's lifetime a token's expiry may
// lie: Sign rounds the expiry up to a whole hour, and another process's
// clock may run a little ahead.
const clockSlack = 2 * time.Hour

// MaxTTL is the longest lifetime a token for p may have; Verify refuses a
// token whose expiry is further ahead than this (plus a little slack).
// Summary tokens use the default SummaryTTL here; Links.Verify uses the
// lifetime it was configured with.
func MaxTTL(p Purpose) time.Duration {
	switch p {
	case PurposeConfirm, PurposeMove:
		return ConfirmTTL
	case PurposeUnsubscribe:
		return UnsubscribeTTL
	case PurposeResurfaceOff:
		return ResurfaceOffTTL
	case PurposeReply, PurposeThread:
		return ReplyTTL
	case PurposeSummary:
		return SummaryTTL
	case PurposeBounce:
		return BounceTTL
	case PurposeSession:
		return SessionTTL
	case PurposeSettings:
		return SettingsTTL
	}
	return 0
}

// Errors from Verify. Both mean the link must not be acted on.
var (
	ErrTokenInvalid = errors.New("link is not valid")
	ErrTokenExpired = errors.New("link has expired")
)

const macLen = 10

var encoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Signer makes and checks tokens with one secret key. It is safe for
// concurrent use.
type Signer struct {
	key []byte
	// macs holds keyed HMAC-SHA256 hashes for reuse: hmac.New hashes the
	// key's two pads and allocates both digests, about as much work as
	// the MAC itself, and a message carries five to seven tokens.
	macs sync.Pool
}

// NewSigner returns a Signer; the key must be at least 16 bytes.
func NewSigner(key []byte) (*Signer, error) {
	if len(key) < 16 {
		return nil, errors.New("links: the signing secret must be at least 16 bytes")
	}
	return &Signer{key: append([]byte(nil), key...)}, nil
}

// Sign returns a token for purpose and id that expires at expires.
func (s *Signer) Sign(p Purpose, id int64, expires time.Time) string {
	return s.SignBound(p, id, 0, expires)
}

// SignBound is Sign with a bound (see the package comment); 0 means none,
// and gives the same token as Sign.
func (s *Signer) SignBound(p Purpose, id int64, bound uint64, expires time.Time) string {
	buf := make([]byte, 0, 1+3*binary.MaxVarintLen64+macLen)
	buf = append(buf, byte(p))
	buf = binary.AppendUvarint(buf, uint64(id))
	hours := expires.Unix() / 3600
	if expires.Unix()%3600 != 0 {
		hours++
	}
	buf = binary.AppendUvarint(buf, uint64(hours))
	if bound != 0 {
		buf = binary.AppendUvarint(buf, bound)
	}
	buf = append(buf, s.mac(buf)...)
	return encoding.EncodeToString(buf)
}

// Claims is what a genuine token says.
type Claims struct {
	ID    int64
	Bound uint64 // 0: the token carries none
}

// Verify checks token for purpose at now and returns the id it names. An
// expired but genuine token returns the id together with ErrTokenExpired, so
// a caller may still recognise the record (e.g. to match an old reply). A
// token that would stay valid for longer than MaxTTL(p) is invalid.
func (s *Signer) Verify(p Purpose, token string, now time.Time) (int64, error) {
	c, err := s.Check(p, token, now, MaxTTL(p))
	return c.ID, err
}

// Check is Verify with the longest lifetime given, returning the claims.
func (s *Signer) Check(p Purpose, token string, now time.Time, maxTTL time.Duration) (Claims, error) {
	raw, err := encoding.DecodeString(strings.ToLower(strings.TrimSpace(token)))
	if err != nil || len(raw) < 1+2+macLen {
		return Claims{}, ErrTokenInvalid
	}
	body, mac := raw[:len(raw)-macLen], raw[len(raw)-macLen:]
	if !hmac.Equal(mac, s.mac(body)) || Purpose(body[0]) != p {
		return Claims{}, ErrTokenInvalid
	}
	id, n := binary.Uvarint(body[1:])
	if n <= 0 || id == 0 || id > 1<<62 {
		return Claims{}, ErrTokenInvalid
	}
	hours, m := binary.Uvarint(body[1+n:])
	if m <= 0 || hours > 1<<40 {
		return Claims{}, ErrTokenInvalid
	}
	var bound uint64
	if rest := body[1+n+m:]; len(rest) > 0 {
		b, k := binary.Uvarint(rest)
		if k != len(rest) || b == 0 {
			return Claims{}, ErrTokenInvalid
		}
		bound = b
	}
	expires := int64(hours) * 3600
	if expires > now.Add(maxTTL+clockSlack).Unix() {
		return Claims{}, ErrTokenInvalid
	}
	c := Claims{ID: int64(id), Bound: bound}
	if now.Unix() > expires {
		return c, ErrTokenExpired
	}
	return c, nil
}

// macPrefix starts every MAC's input.
const macPrefix = "steady-link-v1\x00"

func (s *Signer) mac(body []byte) []byte {
	h, ok := s.macs.Get().(hash.Hash)
	if ok {
		h.Reset() // back to the keyed state, kept by hmac after its first Reset
	} else {
		h = hmac.New(sha256.New, s.key)
	}
	h.Write([]byte(macPrefix))
	h.Write(body)
	sum := h.Sum(make([]byte, 0, sha256.Size))
	s.macs.Put(h)
	return sum[:macLen]
}
