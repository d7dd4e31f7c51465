package compliance_test

import (
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/compliance"
)

func TestHashAddress(t *testing.T) {
	t.Parallel()
	h, err := compliance.NewHasher([]byte("a-secret-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	other, _ := compliance.NewHasher([]byte("b-secret-0123456789abcdef"))
	hash := func(h *compliance.Hasher, ch steady.Channel, a string) string {
		t.Helper()
		s, err := h.HashAddress(ch, a)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	e := hash(h, steady.ChannelEmail, "ana@example.org")
	if len(e) != 64 || strings.Contains(e, "ana") {
		t.Fatalf("hash %q", e)
	}
	for _, same := range []string{" Ana@Example.ORG ", "ANA@EXAMPLE.ORG"} {
		if hash(h, steady.ChannelEmail, same) != e {
			t.Errorf("%q hashes differently", same)
		}
	}
	if hash(other, steady.ChannelEmail, "ana@example.org") == e {
		t.Error("another secret gives the same hash")
	}
	p := hash(h, steady.ChannelSMS, "+447400123456")
	if hash(h, steady.ChannelSMS, "+44 7400-123 456") != p || hash(h, steady.ChannelEmail, "+447400123456") == p {
		t.Error("phone normalisation or channel separation")
	}
	if _, err := h.HashAddress(steady.ChannelSMS, "  "); err == nil {
		t.Error("an empty address was hashed")
	}
	if _, err := compliance.NewHasher(nil); err == nil {
		t.Error("no secret accepted")
	}
}
