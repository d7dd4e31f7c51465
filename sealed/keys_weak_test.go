package sealed

import (
	"encoding/hex"
	"strings"
	"testing"
)

// A key that is plainly not random is refused (a black-box pass found 64
// zeros accepted); generated keys never are.
func TestWeakKeysAreRefused(t *testing.T) {
	for _, weak := range []string{strings.Repeat("0", 64), strings.Repeat("ab", 32), strings.Repeat("0123456789abcdef", 4)} {
		if _, err := ParseSecret(weak); err == nil || strings.Contains(err.Error(), weak) {
			t.Errorf("ParseSecret(%.16s…) = %v, want a refusal that does not repeat the key", weak, err)
		}
	}
	for range 1000 {
		k := Generate()
		if _, err := ParseSecret(hex.EncodeToString(k.Secret)); err != nil {
			t.Fatalf("a generated key is refused: %v", err)
		}
	}
}
