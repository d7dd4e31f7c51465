// Package compliance names an address after its subscriber is erased: a
// keyed hash (HMAC-SHA256) under which the consent and opt-out records
// that erasure keeps are filed, so a complaint about an address can be
// answered and an opt-out still holds, while the address itself is gone.
//
// The key is derived from the signing secret (STEADY_SECRET, or the one
// generated into the database): HMAC-SHA256(secret, "steady compliance
// v1"). Changing the secret therefore breaks the match with every record
// kept before: they stay, but no address finds them any more.
package compliance

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/steadyapp/steady"
)

// keyLabel separates this key from every other use of the secret (links
// sign with the secret itself).
const keyLabel = "steady compliance v1"

// Hasher computes the keyed hash of an address.
type Hasher struct{ key []byte }

// NewHasher derives the hashing key from the signing secret.
func NewHasher(secret []byte) (*Hasher, error) {
	if len(secret) == 0 {
		return nil, errors.New("compliance: no signing secret")
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(keyLabel))
	return &Hasher{key: mac.Sum(nil)}, nil
}

// HashAddress is the hex HMAC-SHA256 of the channel and the normalised
// address (Normalize). A phone number as typed ("(415) 555-0177") must be
// put in E.164 with package phones first, as sign-up does.
func (h *Hasher) HashAddress(ch steady.Channel, address string) (string, error) {
	norm, err := Normalize(ch, address)
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, h.key)
	mac.Write([]byte(string(ch) + ":" + norm))
	return hex.EncodeToString(mac.Sum(nil)), nil
}

// Normalize is the form of an address that is hashed: an email address
// trimmed and lower-cased; a phone number without spaces, dashes, dots or
// brackets (E.164 as sign-up stores it). An address that no longer passes
// today's sign-up rules is still hashed, so erasing it keeps its records.
func Normalize(ch steady.Channel, address string) (string, error) {
	address = strings.TrimSpace(address)
	if address == "" {
		return "", errors.New("compliance: no address given")
	}
	switch ch {
	case steady.ChannelEmail:
		if norm, err := steady.NormalizeEmail(address); err == nil {
			return norm, nil
		}
		return strings.ToLower(address), nil
	case steady.ChannelSMS:
		return strings.Map(func(r rune) rune {
			if strings.ContainsRune(" -.()\t", r) {
				return -1
			}
			return r
		}, address), nil
	}
	return "", fmt.Errorf("compliance: no addresses on channel %q", ch)
}
