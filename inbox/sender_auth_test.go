package inbox

import (
	"context"
	"testing"
	"time"

	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestSenderAuthenticated(t *testing.T) {
	t.Parallel()
	trusted := []string{trustedAuthServ}
	for _, c := range []struct {
		name, headers, from string
		want                bool
	}{
		{"dmarc and dkim pass", authPass("jo@example.net"), "jo@example.net", true},
		{"dkim pass alone", "Authentication-Results: mx.provider.example; dkim=pass header.d=example.net\r\n", "jo@example.net", true},
		{"dkim by the parent domain", "Authentication-Results: mx.provider.example; dkim=pass header.d=example.net\r\n", "jo@mail.example.net", true},
		{"dkim by a subdomain does not vouch for the parent", "Authentication-Results: mx.provider.example; dkim=pass header.d=evil.example.net\r\n", "jo@example.net", false},
		{"dkim by another domain", "Authentication-Results: mx.provider.example; dkim=pass header.d=attacker.example\r\n", "jo@example.net", false},
		{"spf pass alone is not enough", "Authentication-Results: mx.provider.example; spf=pass smtp.mailfrom=example.net\r\n", "jo@example.net", false},
		{"the issue's forgery", "Authentication-Results: mx.provider.example; spf=fail smtp.mailfrom=example.net; dkim=none; dmarc=fail header.from=example.net\r\n", "jo@example.net", false},
		{"dmarc pass for another From domain", "Authentication-Results: mx.provider.example; dmarc=pass header.from=attacker.example\r\n", "jo@example.net", false},
		{"a pass from a server nobody trusts", "Authentication-Results: mx.attacker.example; dkim=pass header.d=example.net; dmarc=pass header.from=example.net\r\n", "jo@example.net", false},
		{"a forged pass below the trusted server's fail",
			"Authentication-Results: mx.provider.example; dmarc=fail header.from=example.net\r\n" + authPass("jo@example.net"), "jo@example.net", false},
		{"the trusted header on top decides, whatever lies below",
			authPass("jo@example.net") + "Authentication-Results: mx.provider.example; dmarc=fail header.from=example.net\r\n", "jo@example.net", true},
		{"authserv-id in another case", "Authentication-Results: MX.Provider.Example; dmarc=pass header.from=example.net\r\n", "jo@example.net", true},
		{"no header", "", "jo@example.net", false},
		{"garbage", "Authentication-Results: ;;;\r\n", "jo@example.net", false},
	} {
		raw := []byte(c.headers + "From: " + c.from + "\r\nSubject: Re\r\n\r\nHello\r\n")
		if got := senderAuthenticated(raw, c.from, trusted); got != c.want {
			t.Errorf("%s: senderAuthenticated = %v, want %v", c.name, got, c.want)
		}
	}
	if senderAuthenticated([]byte(authPass("jo@example.net")+"From: jo@example.net\r\n\r\nHi\r\n"), "jo@example.net", nil) {
		t.Error("authenticated with no trusted server configured")
	}
}

// Strangers cannot write into a subscriber's record: a message that only
// claims to be from her, or that names her prompt in its thread headers,
// is held aside, not stored, and triggers nothing; only her reply token, or
// authenticated mail from her address, files a reply.
func TestForgedRepliesChangeNothing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b := setup(t, db, 3)
		jo, prompts := b.subscriber(t, "jo@example.net", 1)
		safety := "He hit me last night and I am scared to go home."
		for _, m := range []mail{
			// The forgery: From her, failing every check.
			{from: "jo@example.net", to: "steady@example.org", messageID: "f1@attacker.example",
				extra: "Authentication-Results: mx.provider.example; spf=fail smtp.mailfrom=example.net; dkim=none; dmarc=fail header.from=example.net\r\n",
				body:  safety},
			// Her prompt's Message-ID in In-Reply-To, no authentication.
			{from: "jo@example.net", to: "steady@example.org", messageID: "f2@attacker.example",
				inReplyTo: b.links.MessageID(prompts[0]), body: safety},
			// A pass claimed by a server the operator does not trust.
			{from: "jo@example.net", to: "steady@example.org", messageID: "f3@attacker.example",
				inReplyTo: b.links.MessageID(prompts[0]),
				extra:     "Authentication-Results: mx.attacker.example; dkim=pass header.d=example.net; dmarc=pass header.from=example.net\r\n",
				body:      safety},
		} {
			r, err := b.proc.Process(ctx, m.raw())
			if err != nil {
				t.Fatal(err)
			}
			if r.Outcome != Unmatched || r.Outcome.Done() || r.SubscriberID != 0 {
				t.Errorf("%s: %+v; want unmatched, held for a person", m.messageID, r)
			}
		}
		if rs := b.replies(t, jo.ID); len(rs) != 0 {
			t.Fatalf("forged messages stored %d replies", len(rs))
		}
		// Her own mail, authenticated by her provider, is filed.
		r, err := b.proc.Process(ctx, mail{from: "jo@example.net", to: "steady@example.org", messageID: "real@example.net",
			inReplyTo: b.links.MessageID(prompts[0]), extra: authPass("jo@example.net"), body: "Yes, he listened."}.raw())
		if err != nil || r.Outcome != Stored || r.DeliveryID != prompts[0].ID {
			t.Errorf("authenticated reply = %+v, %v", r, err)
		}
	})
}

// An emailed reply to an expired token is filed for LateReplyWindow more,
// then held aside.
func TestLateRepliesHaveAWindow(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		b := setup(t, db, 3)
		ann, prompts := b.subscriber(t, "ann@example.net", 1)
		to := b.links.ReplyAddress(prompts[0])
		b.clock.Set(prompts[0].CreatedAt.Add(links.ReplyTTL + LateReplyWindow - time.Hour))
		if r, err := b.proc.Process(ctx, mail{from: "ann@example.net", to: to, messageID: "late@example.net", body: "Late, but yes."}.raw()); err != nil || r.Outcome != Stored {
			t.Errorf("within the window: %+v, %v", r, err)
		}
		b.clock.Set(prompts[0].CreatedAt.Add(links.ReplyTTL + LateReplyWindow + time.Hour))
		if r, err := b.proc.Process(ctx, mail{from: "ann@example.net", to: to, messageID: "later@example.net", body: "Much later."}.raw()); err != nil || r.Outcome != Unmatched {
			t.Errorf("after the window: %+v, %v; want unmatched", r, err)
		}
		if n := len(b.replies(t, ann.ID)); n != 1 {
			t.Errorf("%d replies stored, want 1", n)
		}
	})
}
