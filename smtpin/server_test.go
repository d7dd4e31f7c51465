package smtpin

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/steadyapp/steady/inbox"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestReplyToTokenAddressIsStoredOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, nil)
		alex, prompt := subscriber(t, db, "alex@example.com")
		to := b.links.ReplyAddress(prompt)
		raw := message{from: "alex@example.com", to: to, messageID: "r1@mail.example.com", body: "Yes, mostly. " + secretWords}.raw()
		for i := range 2 { // the second is a sending server's retry
			if err := b.deliver(t, "alex@example.com", []string{to}, raw); err != nil {
				t.Fatalf("delivery %d: %v", i+1, err)
			}
		}
		rs := b.replies(t, alex.ID)
		if len(rs) != 1 || rs[0].Body != "Yes, mostly. "+secretWords || rs[0].DeliveryID != prompt.ID {
			t.Fatalf("replies = %+v, want one", rs)
		}
		if hs := b.held(t); len(hs) != 0 {
			t.Fatalf("%d held, want none", len(hs))
		}
	})
}

func TestRecipientsThatAreNotSteadysAreRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, func(c *Config) { c.MaxRecipients = 2 })
		_, prompt := subscriber(t, db, "alex@example.com")
		raw := message{from: "alex@example.com", to: "x", messageID: "x@x", body: "Hi"}.raw()
		forged := strings.Replace(b.links.ReplyAddress(prompt), "+r-", "+r-a", 1)
		for _, rcpt := range []string{
			"postmaster@elsewhere.example", // relaying
			"someone@example.org",          // Steady's domain, not its address
			"steady+anything@example.org",  // not a token form
			forged,                         // a token with a bad signature
			"steady+r-" + strings.Split(b.links.ReplyAddress(prompt), "+r-")[1] + ".example.net", // another domain
		} {
			if err := b.deliver(t, "alex@example.com", []string{rcpt}, raw); code(err) != 550 {
				t.Errorf("RCPT %q: %v, want 550", rcpt, err)
			}
		}
		// Steady's own: the From address, and each plus-address form.
		ok := []string{"Steady@Example.org", b.links.ReplyAddress(prompt)}
		if err := b.deliver(t, "alex@example.com", ok, raw); err != nil {
			t.Fatalf("Steady's own addresses: %v", err)
		}
		// More recipients than allowed.
		if err := b.deliver(t, "alex@example.com", append(ok, b.links.BounceAddress(prompt)), raw); code(err) != 452 {
			t.Fatalf("three recipients: %v, want 452", err)
		}
	})
}

func TestOversizeMessageIsRefused(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, func(c *Config) { c.MaxBytes = 4096 })
		alex, prompt := subscriber(t, db, "alex@example.com")
		to := b.links.ReplyAddress(prompt)
		raw := message{from: "alex@example.com", to: to, messageID: "big@x", body: strings.Repeat("words words words\n", 400)}.raw()
		if err := b.deliver(t, "alex@example.com", []string{to}, raw); code(err) != 552 {
			t.Fatalf("oversize: %v, want 552", err)
		}
		if len(b.replies(t, alex.ID)) != 0 || len(b.held(t)) != 0 {
			t.Fatal("an oversize message was kept")
		}
	})
}

// Mail From: a subscriber, sent by someone else (SPF fails, no DKIM), to
// the bare From address with the subscriber's prompt in In-Reply-To: held
// aside, not filed, answered 250 so nothing bounces to the victim.
func TestForgedSenderIsHeldAside(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, nil)
		b.dns.set("example.com", "v=spf1 ip4:192.0.2.10 -all") // alex's mail never comes from here
		alex, prompt := subscriber(t, db, "alex@example.com")
		before, err := db.Deliveries(context.Background(), alex.ID)
		if err != nil {
			t.Fatal(err)
		}
		raw := message{from: "alex@example.com", to: "steady@example.org", messageID: "forged@mallory.example",
			inReplyTo: b.links.MessageID(prompt), body: "I take it all back. " + secretWords}.raw()
		if err := b.deliver(t, "alex@example.com", []string{"steady@example.org"}, raw); err != nil {
			t.Fatalf("forged: %v, want 250", err)
		}
		if rs := b.replies(t, alex.ID); len(rs) != 0 {
			t.Fatalf("forged reply stored: %+v", rs)
		}
		hs := b.held(t)
		if len(hs) != 1 || hs[0].Reason != inbox.HeldUnauthenticated || hs[0].Source != Source {
			t.Fatalf("held = %+v", hs)
		}
		top, _, _ := bytes.Cut(hs[0].Raw, []byte("\r\n"))
		if !strings.HasPrefix(string(top), "Authentication-Results: example.org; spf=fail") || !strings.Contains(string(top), "dmarc=fail") {
			t.Fatalf("held message starts %q", top)
		}
		// Nothing was queued to anyone: no bounce, no answer.
		after, err := db.Deliveries(context.Background(), alex.ID)
		if err != nil || len(after) != len(before) {
			t.Fatalf("deliveries %d -> %d, %v", len(before), len(after), err)
		}
	})
}

// A reply without the token, DKIM-signed by the sender's own domain, is
// filed by In-Reply-To.
func TestSignedReplyIsFiledByThreadHeaders(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, nil)
		b.dns.set("example.com", "v=spf1 -all") // SPF alone would fail it: DKIM decides
		alex, prompt := subscriber(t, db, "alex@example.com")
		raw := sign(t, message{from: "alex@example.com", to: "steady@example.org", messageID: "signed@mail.example.com",
			inReplyTo: b.links.MessageID(prompt), body: "Signed and sealed."}.raw(), "example.com", b.dkimKey)
		if err := b.deliver(t, "alex@example.com", []string{"steady@example.org"}, raw); err != nil {
			t.Fatal(err)
		}
		rs := b.replies(t, alex.ID)
		if len(rs) != 1 || rs[0].DeliveryID != prompt.ID || rs[0].Body != "Signed and sealed." {
			t.Fatalf("replies = %+v", rs)
		}
		if hs := b.held(t); len(hs) != 0 {
			t.Fatalf("held %+v", hs)
		}

		// Signed by a key the domain did not publish: held.
		_, other, _ := ed25519.GenerateKey(rand.Reader)
		raw = sign(t, message{from: "alex@example.com", to: "steady@example.org", messageID: "badsig@mail.example.com",
			inReplyTo: b.links.MessageID(prompt), body: "Not signed by alex."}.raw(), "example.com", other)
		if err := b.deliver(t, "alex@example.com", []string{"steady@example.org"}, raw); err != nil {
			t.Fatal(err)
		}
		if len(b.replies(t, alex.ID)) != 1 || len(b.held(t)) != 1 {
			t.Fatal("a wrongly signed reply was filed")
		}
	})
}

// A forger writes the receiver's own Authentication-Results header
// (dmarc=pass for the victim): it is removed, and the receiver's own
// findings decide.
func TestForgedAuthenticationResultsDoNotHelp(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, nil)
		b.dns.set("example.com", "v=spf1 ip4:192.0.2.10 -all")
		alex, prompt := subscriber(t, db, "alex@example.com")
		forgedAR := "Authentication-Results: EXAMPLE.ORG;\r\n\tdkim=pass header.d=example.com;\r\n\tdmarc=pass header.from=example.com\r\n" +
			"Authentication-Results: (relayed) example.org; dmarc=pass header.from=example.com\r\n"
		raw := message{from: "alex@example.com", to: "steady@example.org", messageID: "forged-ar@mallory.example",
			inReplyTo: b.links.MessageID(prompt), extra: forgedAR, body: "Forged with headers."}.raw()
		if err := b.deliver(t, "mallory@mallory.example", []string{"steady@example.org"}, raw); err != nil {
			t.Fatal(err)
		}
		if rs := b.replies(t, alex.ID); len(rs) != 0 {
			t.Fatalf("forged reply stored: %+v", rs)
		}
		hs := b.held(t)
		if len(hs) != 1 || hs[0].Reason != inbox.HeldUnauthenticated {
			t.Fatalf("held = %+v", hs)
		}
		if n := strings.Count(strings.ToLower(string(hs[0].Raw)), "authentication-results:"); n != 1 {
			t.Fatalf("%d Authentication-Results headers kept, want only the receiver's:\n%s", n, hs[0].Raw)
		}
	})
}
