// Package apikeys issues and checks the keys that callers of Steady's JSON
// API send as "Authorization: Bearer KEY".
//
// A key is "stdy_" and 32 random bytes in lower-case base32 (52
// characters). Only its SHA-256 is stored. A slow password hash (bcrypt,
// argon2) is for secrets people choose, which can be guessed; 256 random
// bits cannot be, so one SHA-256 is enough, and it lets a key be found by
// its hash with one indexed lookup. Comparing hashes found by lookup
// leaks no timing about the key itself. A key is shown once, when it is
// created, and never again.
package apikeys

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// KeyPrefix starts every key, so a leaked key is easy to recognise (and to
// search for in code).
const KeyPrefix = "stdy_"

// keyBytes is how much randomness a key carries.
const keyBytes = 32

// keyLen is the length of a key: the prefix and 52 base32 characters.
var keyLen = len(KeyPrefix) + base32.StdEncoding.WithPadding(base32.NoPadding).EncodedLen(keyBytes)

// shownPrefix is how many characters of a key `api-keys list` shows.
const shownPrefix = 12

var encoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Store is what the keys need from the database; *store.DB has it.
type Store interface {
	CreateAPIKey(ctx context.Context, name, prefix, hash string, now time.Time) (store.APIKey, error)
	UseAPIKey(ctx context.Context, hash string, now time.Time) (store.APIKey, error)
}

var _ Store = (*store.DB)(nil)

// Keys issues and authenticates API keys.
type Keys struct {
	Store Store
	Clock steady.Clock
}

// Generate makes a new random key.
func Generate() (string, error) {
	b := make([]byte, keyBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("apikeys: %w", err)
	}
	return KeyPrefix + encoding.EncodeToString(b), nil
}

// Hash is the hex SHA-256 of a key, as stored.
func Hash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Prefix is the part of a key that may be shown.
func Prefix(key string) string {
	if len(key) < shownPrefix {
		return key
	}
	return key[:shownPrefix]
}

// WellFormed reports whether s has the shape of a key: the prefix, then
// exactly 52 characters of lower-case base32.
func WellFormed(s string) bool {
	if len(s) != keyLen || !strings.HasPrefix(s, KeyPrefix) {
		return false
	}
	for _, c := range s[len(KeyPrefix):] {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// CheckName refuses a name that would not read well in a consent
// record's method ("api:NAME"): 1 to 64 letters, digits, '.', '_' or '-'.
func CheckName(name string) error {
	if name == "" || len(name) > 64 {
		return steady.Invalid("name", "a key's name is 1 to 64 characters")
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return steady.Invalid("name", "a key's name has only letters, digits, '.', '_' and '-' (it is kept in consent records as api:NAME)")
		}
	}
	return nil
}

// Create issues a key named name. The key is returned once; only its hash
// is stored.
func (k *Keys) Create(ctx context.Context, name string) (string, store.APIKey, error) {
	if err := CheckName(name); err != nil {
		return "", store.APIKey{}, err
	}
	key, err := Generate()
	if err != nil {
		return "", store.APIKey{}, err
	}
	rec, err := k.Store.CreateAPIKey(ctx, name, Prefix(key), Hash(key), k.Clock.Now())
	if err != nil {
		return "", store.APIKey{}, err
	}
	return key, rec, nil
}

// Authenticate checks a bearer token: the name of its key and true when
// it is a working key; false for anything malformed (refused before the
// database is asked), unknown or revoked. err is only for a failure to
// check.
func (k *Keys) Authenticate(ctx context.Context, bearer string) (string, bool, error) {
	if !WellFormed(bearer) {
		return "", false, nil
	}
	rec, err := k.Store.UseAPIKey(ctx, Hash(bearer), k.Clock.Now())
	if errors.Is(err, steady.ErrNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("apikeys: %w", err)
	}
	return rec.Name, true, nil
}
