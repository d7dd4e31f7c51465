package links

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
)

// Verify refuses a token whose lifetime is longer than its purpose
// allows, even with a valid MAC: a forged five-year token, or a summary
// link signed with the old 400-day lifetime.
func TestVerifyRefusesTooLongLifetimes(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	s, err := NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	fiveYears := 5 * 365 * 24 * time.Hour
	for _, p := range []Purpose{PurposeConfirm, PurposeUnsubscribe, PurposeReply, PurposeSummary, PurposeBounce, PurposeThread} {
		if _, err := s.Verify(p, s.Sign(p, 42, now.Add(fiveYears)), now); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("%c: a five-year token: %v, want invalid", p, err)
		}
		if id, err := s.Verify(p, s.Sign(p, 42, now.Add(MaxTTL(p))), now); err != nil || id != 42 {
			t.Errorf("%c: a token of the longest lifetime: %d, %v", p, id, err)
		}
	}
	if _, err := s.Verify(PurposeSummary, s.Sign(PurposeSummary, 42, now.Add(400*24*time.Hour)), now); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("a 400-day summary token: %v, want invalid", err)
	}
	if _, err := s.Verify(PurposeConfirm, s.Sign(PurposeConfirm, 42, now.Add(8*24*time.Hour)), now); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("an 8-day confirm token: %v, want invalid", err)
	}
}

// Summary links last 30 days by default, or what WithSummaryTTL sets.
func TestSummaryLinkLifetime(t *testing.T) {
	t.Parallel()
	clock := steady.NewManualClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	l, err := New("https://steady.example.org", "steady@example.org", key, clock)
	if err != nil {
		t.Fatal(err)
	}
	long, err := l.WithSummaryTTL(90 * 24 * time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.WithSummaryTTL(401 * 24 * time.Hour); err == nil {
		t.Error("a 401-day summary lifetime was accepted")
	}
	tok := func(u string) string { return u[strings.Index(u, "?t=")+3:] }
	short, ninety := tok(l.SummaryURL(5)), tok(long.SummaryURL(5))
	clock.Advance(31 * 24 * time.Hour)
	if _, err := l.Verify(PurposeSummary, short); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("a 31-day-old summary link: %v, want expired", err)
	}
	if _, err := long.Verify(PurposeSummary, ninety); err != nil {
		t.Errorf("a 31-day-old 90-day link with 90 days set: %v", err)
	}
	if _, err := l.Verify(PurposeSummary, ninety); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("a 90-day link where 30 days are set: %v, want invalid", err)
	}
}

// A confirm link carries its request's time; one made without any is
// still genuine but bound to nothing.
func TestConfirmTokenIsBoundToItsRequest(t *testing.T) {
	t.Parallel()
	clock := steady.NewManualClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	l, err := New("https://steady.example.org", "steady@example.org", key, clock)
	if err != nil {
		t.Fatal(err)
	}
	requested := time.Date(2026, 12, 1, 7, 59, 1, 123456000, time.UTC)
	u := l.ConfirmURL(steady.Subscriber{ID: 7, ConfirmSentAt: requested})
	id, got, err := l.VerifyConfirm(u[strings.Index(u, "?t=")+3:])
	if err != nil || id != 7 || !got.Equal(requested) {
		t.Errorf("VerifyConfirm = %d, %v, %v; want 7, %v", id, got, err, requested)
	}
	if _, got, err := l.VerifyConfirm(l.Token(PurposeConfirm, 7)); err != nil || !got.IsZero() {
		t.Errorf("an unbound confirm token: %v, %v", got, err)
	}
	// The bound is signed: another request's time cannot be put in.
	other := l.ConfirmURL(steady.Subscriber{ID: 7, ConfirmSentAt: requested.Add(time.Minute)})
	if other == u {
		t.Error("two requests have one confirm link")
	}
}

// A session value carries its link's token for an hour, for its purpose
// only, and cannot be made from a bad token or passed off as a link.
func TestSession(t *testing.T) {
	t.Parallel()
	clock := steady.NewManualClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	l, err := New("https://steady.example.org", "steady@example.org", key, clock)
	if err != nil {
		t.Fatal(err)
	}
	token := l.Token(PurposeUnsubscribe, 9)
	v, expires, err := l.Session(PurposeUnsubscribe, token)
	if err != nil || !expires.Equal(clock.Now().Add(SessionTTL)) {
		t.Fatalf("Session = %q, %v, %v", v, expires, err)
	}
	if got, err := l.OpenSession(PurposeUnsubscribe, strings.ToUpper(v)); err != nil || got != token {
		t.Errorf("OpenSession = %q, %v; want the token", got, err)
	}
	if _, err := l.OpenSession(PurposeReply, v); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("for another purpose: %v", err)
	}
	if _, err := l.Verify(PurposeUnsubscribe, v); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("a session value passed as a link token: %v", err)
	}
	if _, err := l.OpenSession(PurposeUnsubscribe, token); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("a link token passed as a session value: %v", err)
	}
	b := []byte(v)
	b[len(b)/2] ^= 1
	if _, err := l.OpenSession(PurposeUnsubscribe, string(b)); err == nil {
		t.Error("a tampered session value was accepted")
	}
	if _, _, err := l.Session(PurposeUnsubscribe, token[:len(token)-1]+"x"); err == nil {
		t.Error("a session was made from a bad token")
	}
	clock.Advance(SessionTTL + time.Second)
	if _, err := l.OpenSession(PurposeUnsubscribe, v); !errors.Is(err, ErrSessionExpired) {
		t.Errorf("after an hour: %v, want ErrSessionExpired", err)
	}
}
