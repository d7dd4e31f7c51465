package sealed

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of every key: AES-256.
const KeySize = 32

// Key is one key and the id that sealed values name it by.
type Key struct {
	ID     string
	Secret []byte
}

// Line is the key as one line of a key file: "id hex".
func (k Key) Line() string { return k.ID + " " + hex.EncodeToString(k.Secret) }

// ValidID accepts ids of 1 to 40 letters, digits and '-' (no ':', which
// separates the parts of a sealed value, and nothing LIKE or a shell
// treats specially).
func ValidID(id string) error {
	if id == "" || len(id) > 40 {
		return fmt.Errorf("sealed: key id %q: want 1 to 40 letters, digits or '-'", id)
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return fmt.Errorf("sealed: key id %q: want 1 to 40 letters, digits or '-'", id)
		}
	}
	return nil
}

// DerivedID is the id of a key given without one: "k" and 8 hex digits of
// a hash of the key, the same every time for the same key.
func DerivedID(secret []byte) string {
	sum := sha256.Sum256(append([]byte("steady sealed key id\x00"), secret...))
	return "k" + hex.EncodeToString(sum[:4])
}

// Generate makes a new random key, with its DerivedID.
func Generate() Key {
	secret := make([]byte, KeySize)
	_, _ = rand.Read(secret) // crypto/rand.Read never fails (Go 1.24+)
	return Key{ID: DerivedID(secret), Secret: secret}
}

// ParseSecret reads 32 bytes written as 64 hex digits or as base64
// (standard or URL alphabet, padded or not). Errors never repeat it.
//
// A key that is plainly not random (64 zeros, a few bytes repeated: fewer
// than minDistinct different bytes, where 32 random bytes have about 28)
// is refused too.
func ParseSecret(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if len(s) == 2*KeySize {
		if b, err := hex.DecodeString(s); err == nil {
			return random(b)
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && len(b) == KeySize {
			return random(b)
		}
	}
	return nil, fmt.Errorf("a key must be %d random bytes as %d hex digits or base64 (the %d characters given are neither); make one with: openssl rand -hex 32",
		KeySize, 2*KeySize, len(s))
}

// ParseKeys reads STEADY_ENCRYPTION_KEY: one key ("hex or base64", its id
// derived), or a comma-separated list "id:key,id:key", the first current.
func ParseKeys(s string) ([]Key, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("no key given")
	}
	if !strings.ContainsAny(s, ":,") {
		secret, err := ParseSecret(s)
		if err != nil {
			return nil, err
		}
		return []Key{{ID: DerivedID(secret), Secret: secret}}, nil
	}
	var keys []Key
	for i, item := range strings.Split(s, ",") {
		id, secret, ok := strings.Cut(strings.TrimSpace(item), ":")
		if !ok {
			return nil, fmt.Errorf("key %d of the list: want id:key", i+1)
		}
		k, err := parseKey(strings.TrimSpace(id), secret)
		if err != nil {
			return nil, fmt.Errorf("key %d of the list: %w", i+1, err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// ParseKeyFile reads a key file: one "id key" a line, the first current;
// blank lines and lines starting with '#' are skipped.
func ParseKeyFile(content string) ([]Key, error) {
	var keys []Key
	for n, line := range strings.Split(content, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 {
			return nil, fmt.Errorf("line %d: want \"id key\"", n+1)
		}
		k, err := parseKey(fields[0], fields[1])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New("no keys in it")
	}
	return keys, nil
}

func parseKey(id, secret string) (Key, error) {
	if err := ValidID(id); err != nil {
		return Key{}, err
	}
	b, err := ParseSecret(secret)
	if err != nil {
		return Key{}, fmt.Errorf("key %q: %w", id, err)
	}
	return Key{ID: id, Secret: b}, nil
}

// minDistinct is the fewest different bytes a key may have: the chance
// that 32 random bytes have fewer than 16 different values is below 1e-12.
const minDistinct = 16

// random returns b, or an error if it is plainly not random.
func random(b []byte) ([]byte, error) {
	var seen [256]bool
	n := 0
	for _, c := range b {
		if !seen[c] {
			seen[c], n = true, n+1
		}
	}
	if n < minDistinct {
		return nil, fmt.Errorf("the key has only %d different bytes of %d, so it is not random and easy to guess; make one with: openssl rand -hex 32", n, KeySize)
	}
	return b, nil
}
