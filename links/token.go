// Package links signs the tokens Steady puts in links and reply addresses,
// and builds the public URLs and addresses that carry them.
//
// A token is short, case-insensitive (it survives mail servers that lower-case
// the local part of an address) and says what it is for, which record it
// names and until when it is valid:
//
//	base32(purpose | uvarint id | uvarint expiry-hours | HMAC-SHA256[:10])
package links

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"strings"
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
)

// How long each kind of token is valid.
const (
	ConfirmTTL = 7 * 24 * time.Hour
	// Unsubscribe links stay valid for a long time: people find old
	// emails, and leaving must always be easy.
	UnsubscribeTTL = 400 * 24 * time.Hour
	ReplyTTL       = 60 * 24 * time.Hour
	// Summary links last as long as unsubscribe links: a summary is worth
	// rereading months later.
	SummaryTTL = 400 * 24 * time.Hour
	// BounceTTL bounds how long after a delivery was created a bounce of
	// it is counted. Delivery status notifications come within days
	// (mail servers give up retrying after about five); one naming an
	// older delivery is a replay, not news.
	BounceTTL = 30 * 24 * time.Hour
)

// Errors from Verify. Both mean the link must not be acted on.
var (
	ErrTokenInvalid = errors.New("link is not valid")
	ErrTokenExpired = errors.New("link has expired")
)

const macLen = 10

var encoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Signer makes and checks tokens with one secret key.
type Signer struct {
	key []byte
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
	buf := make([]byte, 0, 1+2*binary.MaxVarintLen64+macLen)
	buf = append(buf, byte(p))
	buf = binary.AppendUvarint(buf, uint64(id))
	hours := expires.Unix() / 3600
	if expires.Unix()%3600 != 0 {
		hours++
	}
	buf = binary.AppendUvarint(buf, uint64(hours))
	buf = append(buf, s.mac(buf)...)
	return encoding.EncodeToString(buf)
}

// Verify checks token for purpose at now and returns the id it names. An
// expired but genuine token returns the id together with ErrTokenExpired, so
// a caller may still recognise the record (e.g. to match an old reply).
func (s *Signer) Verify(p Purpose, token string, now time.Time) (int64, error) {
	raw, err := encoding.DecodeString(strings.ToLower(strings.TrimSpace(token)))
	if err != nil || len(raw) < 1+2+macLen {
		return 0, ErrTokenInvalid
	}
	body, mac := raw[:len(raw)-macLen], raw[len(raw)-macLen:]
	if !hmac.Equal(mac, s.mac(body)) || Purpose(body[0]) != p {
		return 0, ErrTokenInvalid
	}
	id, n := binary.Uvarint(body[1:])
	if n <= 0 || id == 0 || id > 1<<62 {
		return 0, ErrTokenInvalid
	}
	hours, m := binary.Uvarint(body[1+n:])
	if m <= 0 || 1+n+m != len(body) || hours > 1<<40 {
		return 0, ErrTokenInvalid
	}
	if now.Unix() > int64(hours)*3600 {
		return int64(id), ErrTokenExpired
	}
	return int64(id), nil
}

func (s *Signer) mac(body []byte) []byte {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte("steady-link-v1\x00"))
	h.Write(body)
	return h.Sum(nil)[:macLen]
}
