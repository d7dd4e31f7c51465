package sealed

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Prefix starts every sealed value; Open reads anything else as plaintext.
const Prefix = "enc:"

// version1 is the only format: AES-256-GCM, a 12-byte random nonce.
const version1 = "v1"

// Errors of Open. Each names what to do, never the value.
var (
	// ErrNoKey: the value is sealed and no keys are loaded.
	ErrNoKey = errors.New("sealed: the value is encrypted and no encryption key is loaded (set STEADY_ENCRYPTION_KEY or STEADY_ENCRYPTION_KEY_FILE)")
	// ErrUnknownKey: the value names a key id that is not loaded.
	ErrUnknownKey = errors.New("sealed: the value was encrypted with a key that is not loaded (add it to STEADY_ENCRYPTION_KEY or the key file as an older key)")
	// ErrWrongKey: the key with that id does not open the value, or the
	// value was altered or moved to another column or row.
	ErrWrongKey = errors.New("sealed: the value does not open with the loaded key of its id: a different key under the same id, or the value was altered or moved")
	// ErrMalformed: the value starts with the prefix but is not a sealed value.
	ErrMalformed = errors.New("sealed: malformed encrypted value")
)

// Keyring is a current key that seals and older keys that only open. Safe
// for concurrent use; immutable once made.
type Keyring struct {
	current string
	aeads   map[string]cipher.AEAD
	order   []string // ids, current first
}

// New returns a Keyring of keys; the first is current. Ids must be
// distinct and valid (ValidID), secrets 32 bytes.
func New(keys ...Key) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("sealed: no keys given")
	}
	k := &Keyring{current: keys[0].ID, aeads: make(map[string]cipher.AEAD, len(keys))}
	for _, key := range keys {
		if err := ValidID(key.ID); err != nil {
			return nil, err
		}
		if len(key.Secret) != KeySize {
			return nil, fmt.Errorf("sealed: key %q is %d bytes, want %d", key.ID, len(key.Secret), KeySize)
		}
		if _, dup := k.aeads[key.ID]; dup {
			return nil, fmt.Errorf("sealed: key id %q is given twice", key.ID)
		}
		block, err := aes.NewCipher(key.Secret)
		if err != nil {
			return nil, fmt.Errorf("sealed: key %q: %w", key.ID, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("sealed: key %q: %w", key.ID, err)
		}
		k.aeads[key.ID] = aead
		k.order = append(k.order, key.ID)
	}
	return k, nil
}

// Current is the id of the key that seals; "" for a nil Keyring.
func (k *Keyring) Current() string {
	if k == nil {
		return ""
	}
	return k.current
}

// IDs lists the loaded key ids, current first.
func (k *Keyring) IDs() []string {
	if k == nil {
		return nil
	}
	return append([]string(nil), k.order...)
}

// CurrentPrefix is how every value sealed with the current key starts
// ("enc:v1:<id>:"); "" for a nil Keyring.
func (k *Keyring) CurrentPrefix() string {
	if k == nil {
		return ""
	}
	return Prefix + version1 + ":" + k.current + ":"
}

// Seal encrypts plaintext with the current key, bound to aad. A nil
// Keyring returns plaintext unchanged.
func (k *Keyring) Seal(plaintext, aad string) string {
	if k == nil {
		return plaintext
	}
	aead := k.aeads[k.current]
	buf := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	_, _ = rand.Read(buf) // crypto/rand.Read never fails (Go 1.24+)
	buf = aead.Seal(buf, buf, []byte(plaintext), []byte(aad))
	return k.CurrentPrefix() + base64.RawURLEncoding.EncodeToString(buf)
}

// Open returns the plaintext of value, sealed under aad with any loaded
// key; a value without Prefix is plaintext and returned as it is.
func (k *Keyring) Open(value, aad string) (string, error) {
	if !IsSealed(value) {
		return value, nil
	}
	id, payload, err := split(value)
	if err != nil {
		return "", err
	}
	if k == nil {
		return "", ErrNoKey
	}
	aead, ok := k.aeads[id]
	if !ok {
		return "", fmt.Errorf("%w (key id %q; loaded: %s)", ErrUnknownKey, id, strings.Join(k.order, ", "))
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil || len(raw) < aead.NonceSize()+aead.Overhead() {
		return "", ErrMalformed
	}
	n := aead.NonceSize()
	// Opened in place, over the ciphertext: raw is this call's own.
	plain, err := aead.Open(raw[n:n], raw[:n], raw[n:], []byte(aad))
	if err != nil {
		return "", fmt.Errorf("%w (key id %q)", ErrWrongKey, id)
	}
	return string(plain), nil
}

// IsSealed reports whether value is in the sealed form (starts with Prefix).
func IsSealed(value string) bool { return strings.HasPrefix(value, Prefix) }

// KeyID is the id of the key that sealed value, or "" for plaintext or a
// malformed value.
func KeyID(value string) string {
	if !IsSealed(value) {
		return ""
	}
	id, _, err := split(value)
	if err != nil {
		return ""
	}
	return id
}

// IsCurrent reports whether value is sealed with the current key, so a
// rotation leaves it alone.
func (k *Keyring) IsCurrent(value string) bool {
	return k != nil && strings.HasPrefix(value, k.CurrentPrefix())
}

// split parses "enc:v1:<id>:<payload>".
func split(value string) (id, payload string, err error) {
	parts := strings.SplitN(strings.TrimPrefix(value, Prefix), ":", 3)
	if len(parts) != 3 || parts[0] != version1 || ValidID(parts[1]) != nil {
		return "", "", ErrMalformed
	}
	return parts[1], parts[2], nil
}
