package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
)

// STEADY_SECRET must be at least 16 characters (32 without a warning) and
// not obviously made by hand; the refusal says how to make a good one and
// never repeats it.
func TestSecretStrength(t *testing.T) {
	t.Parallel()
	random := make([]byte, 32)
	rand.Read(random)
	tests := []struct {
		name, secret string
		want         string // in the error; "" means accepted
	}{
		{"unset: generated", "", ""},
		{"openssl rand -hex 32", hex.EncodeToString(random), ""},
		{"openssl rand -base64 32", base64.StdEncoding.EncodeToString(random), ""},
		{"a long passphrase", "plum Tuesday vinegar 48 lantern orbit", ""},
		{"the chaos tests' secret", "chaos-secret-0123456789abcdef012", ""},
		{"sixteen of one letter", "aaaaaaaaaaaaaaaa", "different characters"},
		{"15 hex digits", "f3a9c07e12d4b86", "at least 16"},
		{"16 hex digits: accepted, with a warning", "f3a9c07e12d4b86a", ""},
		{"31 characters: accepted, with a warning", "f3a9c07e12d4b86a5e0b7c19d2a4f68", ""},
		{"32 of one letter", strings.Repeat("a", 32), "different characters"},
		{"nine characters used", strings.Repeat("123456789", 4), "different characters"},
		{"a short piece repeated", strings.Repeat("0123456789abcdef", 2), "repeated"},
		{"a piece repeated, cut short", strings.Repeat("s3cr3t-Pa55w0rd!", 3)[:40], "repeated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := checkSecret(tt.secret)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				w := secretWarning(tt.secret)
				if short := tt.secret != "" && len(tt.secret) < goodSecretLen; short != (w != "") || strings.Contains(w, tt.secret) && tt.secret != "" {
					t.Errorf("warning %q for a %d-character secret", w, len(tt.secret))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "openssl rand -hex 32") {
				t.Fatalf("err = %v, want one mentioning %q and openssl rand -hex 32", err, tt.want)
			}
			if strings.Contains(err.Error(), tt.secret) {
				t.Errorf("the error repeats the secret: %v", err)
			}
		})
	}
}

// serve refuses a weak secret at start-up as a usage error (exit 2). A
// serve that accepted it is stopped after a few seconds.
func TestServeRefusesAWeakSecret(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "steady.db")
	for _, s := range []string{"aaaaaaaaaaaaaaaa", "0123456789abcde", strings.Repeat("ab", 20)} {
		vars := map[string]string{"STEADY_SECRET": s, "STEADY_DATABASE_URL": db}
		e := env{getenv: func(k string) string { return vars[k] }, stdout: io.Discard, stderr: io.Discard, clock: steady.NewManualClock(time.Now())}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		err := run(ctx, e, []string{"serve", "--addr", "127.0.0.1:0"})
		cancel()
		if err == nil || exitCode(err) != 2 || !strings.Contains(err.Error(), "STEADY_SECRET") ||
			!strings.Contains(err.Error(), "openssl rand -hex 32") {
			t.Errorf("STEADY_SECRET=%s: err = %v (exit %d), want a usage error saying how to make one", s, err, exitCode(err))
		}
	}
}
