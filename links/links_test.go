package links

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
)

var key = []byte("0123456789abcdef0123456789abcdef")

func TestSignVerify(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	s, err := NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := NewSigner([]byte("another-secret-that-is-long-enough"))
	good := s.Sign(PurposeConfirm, 42, now.Add(time.Hour))
	flipped := []byte(good)
	if flipped[5] == 'a' {
		flipped[5] = 'b'
	} else {
		flipped[5] = 'a'
	}

	tests := []struct {
		name    string
		signer  *Signer
		purpose Purpose
		token   string
		at      time.Time
		wantID  int64
		wantErr error
	}{
		{"valid", s, PurposeConfirm, good, now, 42, nil},
		{"upper case survives a mail server", s, PurposeConfirm, strings.ToUpper(good), now, 42, nil},
		{"wrong purpose", s, PurposeUnsubscribe, good, now, 0, ErrTokenInvalid},
		{"tampered", s, PurposeConfirm, string(flipped), now, 0, ErrTokenInvalid},
		{"truncated", s, PurposeConfirm, good[:len(good)-2], now, 0, ErrTokenInvalid},
		{"other key", other, PurposeConfirm, good, now, 0, ErrTokenInvalid},
		{"garbage", s, PurposeConfirm, "not a token!", now, 0, ErrTokenInvalid},
		{"empty", s, PurposeConfirm, "", now, 0, ErrTokenInvalid},
		{"expired keeps the id", s, PurposeConfirm, good, now.Add(2 * time.Hour), 42, ErrTokenExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := tt.signer.Verify(tt.purpose, tt.token, tt.at)
			if !errors.Is(err, tt.wantErr) || id != tt.wantID {
				t.Fatalf("Verify = %d, %v; want %d, %v", id, err, tt.wantID, tt.wantErr)
			}
		})
	}
}

func TestShortKeyRefused(t *testing.T) {
	t.Parallel()
	if _, err := NewSigner([]byte("short")); err == nil {
		t.Fatal("a 5-byte key was accepted")
	}
}

func TestLinks(t *testing.T) {
	t.Parallel()
	clock := steady.NewManualClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	l, err := New("https://steady.example.org/", "Steady <hello@Example.org>", key, clock)
	if err != nil {
		t.Fatal(err)
	}
	sub := steady.Subscriber{ID: 7}
	d := steady.Delivery{ID: 99}

	u, err := url.Parse(l.ConfirmURL(sub))
	if err != nil || u.Host != "steady.example.org" || u.Path != "/confirm" {
		t.Fatalf("ConfirmURL = %q", l.ConfirmURL(sub))
	}
	if id, err := l.Verify(PurposeConfirm, u.Query().Get("t")); err != nil || id != 7 {
		t.Fatalf("confirm token: %d, %v", id, err)
	}

	reply := l.ReplyAddress(d)
	local, domain, _ := strings.Cut(reply, "@")
	if domain != "example.org" || !strings.HasPrefix(local, "hello+r-") || len(local) > 64 {
		t.Fatalf("ReplyAddress = %q", reply)
	}
	if id, err := l.Verify(PurposeReply, strings.TrimPrefix(local, "hello+r-")); err != nil || id != 99 {
		t.Fatalf("reply address token: %d, %v", id, err)
	}
	if m := l.UnsubscribeMailto(sub); !strings.HasPrefix(m, "mailto:hello+u-") || !strings.HasSuffix(m, "@example.org?subject=unsubscribe") {
		t.Fatalf("UnsubscribeMailto = %q", m)
	}

	// A confirmation link dies after a week; an unsubscribe link does not.
	confirm := l.Token(PurposeConfirm, 7)
	unsub := l.Token(PurposeUnsubscribe, 7)
	clock.Advance(8 * 24 * time.Hour)
	if _, err := l.Verify(PurposeConfirm, confirm); !errors.Is(err, ErrTokenExpired) {
		t.Fatalf("8-day-old confirm token: %v", err)
	}
	if _, err := l.Verify(PurposeUnsubscribe, unsub); err != nil {
		t.Fatalf("8-day-old unsubscribe token: %v", err)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	t.Parallel()
	clock := steady.SystemClock{}
	for _, tc := range []struct{ base, from string }{
		{"steady.example.org", "a@example.org"},
		{"ftp://steady.example.org", "a@example.org"},
		{"https://steady.example.org", "not an address"},
	} {
		if _, err := New(tc.base, tc.from, key, clock); err == nil {
			t.Errorf("New(%q, %q) accepted", tc.base, tc.from)
		}
	}
}

func TestAddressAndMessageIDTokens(t *testing.T) {
	t.Parallel()
	clock := steady.NewManualClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	l, err := New("https://steady.example.org", "Steady <Steady@Example.org>", []byte("0123456789abcdef0123456789abcdef"), clock)
	if err != nil {
		t.Fatal(err)
	}
	d := steady.Delivery{ID: 42}
	sub := steady.Subscriber{ID: 7}

	p, tok, ok := l.AddressToken(strings.ToUpper(l.ReplyAddress(d)))
	if !ok || p != PurposeReply {
		t.Fatalf("AddressToken(reply address) = %c, %q, %v", p, tok, ok)
	}
	if id, err := l.Verify(p, tok); err != nil || id != 42 {
		t.Errorf("Verify(reply token) = %d, %v", id, err)
	}
	mailto := strings.TrimSuffix(strings.TrimPrefix(l.UnsubscribeMailto(sub), "mailto:"), "?subject=unsubscribe")
	p, tok, ok = l.AddressToken(mailto)
	if !ok || p != PurposeUnsubscribe {
		t.Fatalf("AddressToken(unsubscribe address) = %c, %q, %v", p, tok, ok)
	}
	if id, err := l.Verify(p, tok); err != nil || id != 7 {
		t.Errorf("Verify(unsubscribe token) = %d, %v", id, err)
	}
	mp, tok, ok := l.MessageIDToken("<" + l.MessageID(d) + ">")
	if id, err := l.Verify(mp, tok); !ok || mp != PurposeThread || err != nil || id != 42 {
		t.Errorf("MessageIDToken = %c, %q, %v; Verify = %d, %v", mp, tok, ok, id, err)
	}
	// The Message-ID is no reply token: it opens no reply page and files
	// no reply by itself.
	if _, err := l.Verify(PurposeReply, tok); err == nil {
		t.Error("a Message-ID's token passes as a reply token")
	}
	if strings.Contains(l.MessageID(d), strings.TrimPrefix(strings.Split(l.ReplyAddress(d), "@")[0], "steady+r-")) {
		t.Error("the Message-ID carries the reply token")
	}
	// One made before Message-IDs had a purpose of their own still reads.
	if p, tok, ok := l.MessageIDToken("<r-" + l.Token(PurposeReply, 42) + "@example.org>"); !ok || p != PurposeReply {
		t.Errorf("an old Message-ID = %c, %q, %v", p, tok, ok)
	}
	for _, addr := range []string{"steady@example.org", "steady+r-abc@elsewhere.org", "other+r-abc@example.org", "steady+x-abc@example.org", "steady+r-@example.org", "nonsense"} {
		if p, tok, ok := l.AddressToken(addr); ok {
			t.Errorf("AddressToken(%q) = %c, %q, true", addr, p, tok)
		}
	}
	for _, id := range []string{"abc@example.org", "r-abc@elsewhere.org", "r-@example.org", "u-abc@example.org", "m-@example.org", ""} {
		if p, tok, ok := l.MessageIDToken(id); ok {
			t.Errorf("MessageIDToken(%q) = %c, %q, true", id, p, tok)
		}
	}
}

// Every send of a delivery renders the same Message-ID and Reply-To, however
// much later it is retried, so a receiver can drop a copy it already has.
func TestMessageIDIsStableAcrossRetries(t *testing.T) {
	t.Parallel()
	clock := steady.NewManualClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	l, err := New("https://steady.example.org", "Steady <steady@example.org>", key, clock)
	if err != nil {
		t.Fatal(err)
	}
	d := steady.Delivery{ID: 42, CreatedAt: clock.Now()}
	id, reply, page := l.MessageID(d), l.ReplyAddress(d), l.ReplyURL(d)
	for _, later := range []time.Duration{time.Minute, 59 * time.Minute, 3 * time.Hour, 26 * time.Hour} {
		clock.Set(d.CreatedAt.Add(later))
		if got := l.MessageID(d); got != id {
			t.Errorf("%s later: Message-ID %q, first %q", later, got, id)
		}
		if got := l.ReplyAddress(d); got != reply {
			t.Errorf("%s later: Reply-To %q, first %q", later, got, reply)
		}
		if got := l.ReplyURL(d); got != page {
			t.Errorf("%s later: reply URL %q, first %q", later, got, page)
		}
	}
	// The token still lasts ReplyTTL from the delivery.
	p, tok, _ := l.MessageIDToken(id)
	clock.Set(d.CreatedAt.Add(ReplyTTL - time.Hour))
	if got, err := l.Verify(p, tok); err != nil || got != 42 {
		t.Errorf("Verify just before ReplyTTL = %d, %v", got, err)
	}
}

// A delivery's bounce address names it with a bounce token: the same on
// every retry, readable back by AddressToken, never a reply token, and
// valid BounceTTL from the delivery's creation.
func TestBounceAddress(t *testing.T) {
	t.Parallel()
	clock := steady.NewManualClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	l, err := New("https://steady.example.org", "Steady <steady@example.org>", key, clock)
	if err != nil {
		t.Fatal(err)
	}
	d := steady.Delivery{ID: 42, CreatedAt: clock.Now()}
	addr := l.BounceAddress(d)
	if !strings.HasPrefix(addr, "steady+b-") || !strings.HasSuffix(addr, "@example.org") {
		t.Fatalf("BounceAddress = %q, want steady+b-TOKEN@example.org", addr)
	}
	if local, _, _ := strings.Cut(addr, "@"); len(local) > 64 {
		t.Errorf("local part %q is longer than 64 octets", local)
	}
	clock.Set(d.CreatedAt.Add(26 * time.Hour))
	if again := l.BounceAddress(d); again != addr {
		t.Errorf("a day later: %q, first %q", again, addr)
	}
	if other := l.BounceAddress(steady.Delivery{ID: 43, CreatedAt: d.CreatedAt}); other == addr {
		t.Error("two deliveries have one bounce address")
	}
	p, tok, ok := l.AddressToken(strings.ToUpper(addr))
	if !ok || p != PurposeBounce {
		t.Fatalf("AddressToken(bounce address) = %c, %q, %v", p, tok, ok)
	}
	if id, err := l.Verify(PurposeBounce, tok); err != nil || id != 42 {
		t.Errorf("Verify(bounce token) = %d, %v", id, err)
	}
	if _, err := l.Verify(PurposeReply, tok); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("a bounce token passed as a reply token: %v", err)
	}
	clock.Set(d.CreatedAt.Add(BounceTTL + time.Hour))
	if _, err := l.Verify(PurposeBounce, tok); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("Verify after BounceTTL: %v, want expired", err)
	}
}

// Where nothing reads the mailbox, no mailto unsubscribe is offered (it
// would be lost); the rest is unchanged.
func TestWithoutMailbox(t *testing.T) {
	t.Parallel()
	l, err := New("https://steady.example.org", "Steady <steady@example.org>", key, steady.NewManualClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	sub := steady.Subscriber{ID: 7}
	if l.UnsubscribeMailto(sub) == "" {
		t.Fatal("no mailto with a mailbox")
	}
	u := l.WithoutMailbox()
	if got := u.UnsubscribeMailto(sub); got != "" {
		t.Errorf("UnsubscribeMailto without a mailbox = %q, want none", got)
	}
	if u.UnsubscribeURL(sub) != l.UnsubscribeURL(sub) || l.UnsubscribeMailto(sub) == "" {
		t.Error("WithoutMailbox changed the original or the one-click link")
	}
}
