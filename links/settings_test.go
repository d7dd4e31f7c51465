package links

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
)

// A settings link names its subscriber and when it was made, lasts
// SettingsTTL, and is good for nothing else.
func TestSettingsLink(t *testing.T) {
	t.Parallel()
	made := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	clock := steady.NewManualClock(made)
	l, err := New("https://steady.example.org", "Steady <steady@example.org>", key, clock)
	if err != nil {
		t.Fatal(err)
	}
	u := l.SettingsURL(steady.Subscriber{ID: 7})
	token, ok := strings.CutPrefix(u, "https://steady.example.org/settings?t=")
	if !ok {
		t.Fatalf("SettingsURL = %q", u)
	}
	id, issued, err := l.VerifySettings(token)
	if err != nil || id != 7 || !issued.Equal(made) {
		t.Fatalf("VerifySettings = %d, %v, %v; want 7, %v", id, issued, err, made)
	}
	if _, err := l.Verify(PurposeUnsubscribe, token); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("a settings token as an unsubscribe token: %v", err)
	}
	// A settings token without its making time is refused.
	if _, _, err := l.VerifySettings(l.Token(PurposeSettings, 7)); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("an unbound settings token: %v, want invalid", err)
	}
	clock.Set(made.Add(SettingsTTL + 2*time.Hour))
	if _, _, err := l.VerifySettings(token); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("after %s: %v, want expired", SettingsTTL, err)
	}
}
