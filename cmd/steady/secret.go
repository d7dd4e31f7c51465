package main

import (
	"fmt"
	"os"
	"strings"
)

// minSecretLen is the shortest STEADY_SECRET accepted, as before the
// strength checks; goodSecretLen the shortest accepted without a warning:
// 32 characters, what `openssl rand -hex 16` gives, while the suggested
// `openssl rand -hex 32` gives 64. Between the two serve starts and says
// to replace it, rather than refuse: a new secret breaks the links in
// every email already sent, one-click unsubscribes included.
const (
	minSecretLen  = 16
	goodSecretLen = 32
)

// minSecretDistinct is the fewest different characters a secret may use.
// 64 random hex digits use all 16 but for a chance too small to matter.
const minSecretDistinct = 10

// makeSecret is the advice every refusal ends with.
const makeSecret = "make one with: openssl rand -hex 32"

// checkSecret refuses a STEADY_SECRET that is too short or obviously not
// random: too few different characters, or one shorter piece repeated
// ("abcabcabc…", "0123456789abcdef0123456789abcdef"). It cannot measure
// randomness; it catches the mistakes people make by hand. "" is
// accepted: serve then generates a secret and keeps it in the database.
// No error repeats the secret.
// readSecret is the signing secret: STEADY_SECRET (env), or the contents
// of STEADY_SECRET_FILE (file, --secret-file), never both; "" when neither
// is set.
func readSecret(env, file string) (string, error) {
	if file == "" {
		return env, nil
	}
	if env != "" {
		return "", fmt.Errorf("set STEADY_SECRET or STEADY_SECRET_FILE (--secret-file), not both")
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("STEADY_SECRET_FILE: %w", err)
	}
	secret := strings.TrimSpace(string(raw))
	if secret == "" {
		return "", fmt.Errorf("STEADY_SECRET_FILE %s is empty; put a random secret in it, %s", file, makeSecret)
	}
	return secret, nil
}

func checkSecret(s string) error {
	if s == "" {
		return nil
	}
	if len(s) < minSecretLen {
		return fmt.Errorf("STEADY_SECRET is %d characters; it must be at least %d (%d is better), and random: %s", len(s), minSecretLen, goodSecretLen, makeSecret)
	}
	var seen [256]bool
	distinct := 0
	for i := 0; i < len(s); i++ {
		if !seen[s[i]] {
			seen[s[i]] = true
			distinct++
		}
	}
	if distinct < minSecretDistinct {
		return fmt.Errorf("STEADY_SECRET uses too few different characters (%d, at least %d are needed), so it is easy to guess; %s", distinct, minSecretDistinct, makeSecret)
	}
	if p := period(s); p <= len(s)/2 {
		return fmt.Errorf("STEADY_SECRET is a piece of %d characters repeated, so it is easy to guess; %s", p, makeSecret)
	}
	return nil
}

// secretWarning is what serve logs about a secret checkSecret accepts but
// that is shorter than goodSecretLen, or "".
func secretWarning(s string) string {
	if s == "" || len(s) >= goodSecretLen {
		return ""
	}
	return fmt.Sprintf("STEADY_SECRET is %d characters; use at least %d random ones (%s). Replacing it breaks the links in emails already sent, so plan it",
		len(s), goodSecretLen, makeSecret)
}

// period is the length of the shortest p such that s[i] == s[i-p] for
// every i >= p: len(s) for a string that repeats nothing, 1 for "aaaa",
// 3 for "abcabca". It is the Knuth–Morris–Pratt failure function's last
// value taken from len(s).
func period(s string) int {
	fail := make([]int, len(s)) // fail[i]: longest proper border of s[:i+1]
	for i, k := 1, 0; i < len(s); i++ {
		for k > 0 && s[i] != s[k] {
			k = fail[k-1]
		}
		if s[i] == s[k] {
			k++
		}
		fail[i] = k
	}
	return len(s) - fail[len(s)-1]
}
