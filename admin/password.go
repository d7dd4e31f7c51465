package admin

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// The argon2id parameters of HashPassword: OWASP's first choice (19 MiB,
// 2 passes, 1 lane), about 30 ms on one core, so a login is quick for a
// person and slow for a guesser.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonSaltLen = 16
	argonKeyLen  = 32
)

// Bounds on a configured argon2id hash's parameters, so a mistyped one
// cannot make every login take minutes or a gigabyte.
const (
	maxArgonMemory = 1 << 20 // KiB: 1 GiB
	maxArgonTime   = 20
	maxArgonLanes  = 16
)

// MinPasswordLength is the shortest password hash-password accepts.
const MinPasswordLength = 10

// HashPassword returns password's argon2id hash as a PHC string,
// $argon2id$v=19$m=19456,t=2,p=1$salt$hash, with a random salt.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("admin: hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// verifier checks a password against one parsed hash.
type verifier func(password string) bool

// parseHash reads an argon2id PHC string or a bcrypt hash ($2a$, $2b$,
// $2y$). Its errors never contain the hash.
func parseHash(hash string) (verifier, error) {
	switch {
	case strings.HasPrefix(hash, "$argon2id$"):
		return parseArgon2id(hash)
	case strings.HasPrefix(hash, "$2a$"), strings.HasPrefix(hash, "$2b$"), strings.HasPrefix(hash, "$2y$"):
		if _, err := bcrypt.Cost([]byte(hash)); err != nil {
			return nil, errors.New("the bcrypt hash is malformed")
		}
		return func(password string) bool {
			return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
		}, nil
	case strings.HasPrefix(hash, "$argon2i$"), strings.HasPrefix(hash, "$argon2d$"):
		return nil, errors.New("the hash is argon2i or argon2d; use argon2id (steady admin hash-password makes one)")
	}
	return nil, errors.New("the hash is neither argon2id ($argon2id$…) nor bcrypt ($2a$, $2b$, $2y$); steady admin hash-password makes one")
}

func parseArgon2id(hash string) (verifier, error) {
	parts := strings.Split(hash, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	if len(parts) != 6 {
		return nil, errors.New("the argon2id hash is malformed: want $argon2id$v=19$m=…,t=…,p=…$salt$hash")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return nil, fmt.Errorf("the argon2id hash has version %q; want v=%d", strings.TrimPrefix(parts[2], "v="), argon2.Version)
	}
	var m, t, p uint64
	for _, kv := range strings.Split(parts[3], ",") {
		k, v, _ := strings.Cut(kv, "=")
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || n == 0 {
			return nil, fmt.Errorf("the argon2id hash's parameter %q is not a positive number", k)
		}
		switch k {
		case "m":
			m = n
		case "t":
			t = n
		case "p":
			p = n
		default:
			return nil, fmt.Errorf("the argon2id hash has an unknown parameter %q", k)
		}
	}
	switch {
	case m == 0 || t == 0 || p == 0:
		return nil, errors.New("the argon2id hash needs m, t and p")
	case m > maxArgonMemory || t > maxArgonTime || p > maxArgonLanes:
		return nil, fmt.Errorf("the argon2id hash's parameters are too large (at most m=%d, t=%d, p=%d)", maxArgonMemory, maxArgonTime, maxArgonLanes)
	case m < 8*p:
		return nil, errors.New("the argon2id hash's memory is below 8 KiB per lane")
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return nil, errors.New("the argon2id hash's salt is not unpadded base64 of at least 8 bytes")
	}
	key, err := enc.DecodeString(parts[5])
	if err != nil || len(key) < 16 {
		return nil, errors.New("the argon2id hash's key is not unpadded base64 of at least 16 bytes")
	}
	return func(password string) bool {
		got := argon2.IDKey([]byte(password), salt, uint32(t), uint32(m), uint8(p), uint32(len(key)))
		return subtle.ConstantTimeCompare(got, key) == 1
	}, nil
}
