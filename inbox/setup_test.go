package inbox

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// bundle is a processor over a real store.
type bundle struct {
	db    *store.DB
	links *links.Links
	clock *steady.ManualClock
	proc  *Processor
	logs  *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// secretWords appear only in reply bodies; no log may contain them.
const secretWords = "moonlit-secret"

func setup(t *testing.T, db *store.DB, threshold int) *bundle {
	t.Helper()
	b := &bundle{db: db, clock: steady.NewManualClock(t0), logs: &syncBuffer{}}
	var err error
	b.links, err = links.New("https://steady.example.org", "Steady <steady@example.org>", []byte("0123456789abcdef0123456789abcdef"), b.clock)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(b.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	b.proc, err = NewProcessor(ProcessorConfig{Store: db, Links: b.links, Clock: b.clock, Logger: logger, BounceThreshold: threshold,
		TrustedAuthServ: []string{trustedAuthServ}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		logs := b.logs.String()
		if strings.Contains(logs, "@example.") || strings.Contains(logs, secretWords) {
			t.Errorf("an address or a body was logged:\n%s", logs)
		}
	})
	return b
}

// subscriber signs address up, confirms it and sends it n prompts, a day
// apart, the last at t0; it returns the subscriber and the prompts.
func (b *bundle) subscriber(t *testing.T, address string, n int) (steady.Subscriber, []steady.Delivery) {
	t.Helper()
	ctx := context.Background()
	first := t0.Add(-time.Duration(n-1) * 24 * time.Hour)
	res, err := b.db.RequestSubscription(ctx, store.SubscriptionRequest{
		Channel: steady.ChannelEmail, Address: address, TimeZone: "Europe/London",
		Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 9},
		Consent:  steady.Consent{Method: "web", IP: "192.0.2.1", Wording: "Send me prompts"},
		Now:      first.Add(-time.Hour), ResendAfter: time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := b.db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "email-link"}, first.Add(-time.Hour),
		func(steady.Subscriber) (time.Time, error) { return first, nil })
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		slot := first.Add(time.Duration(i) * 24 * time.Hour)
		plan := func(s steady.Subscriber, last string) (steady.Delivery, time.Time, error) {
			return steady.Delivery{SubscriberID: s.ID, Kind: steady.KindPrompt, Channel: steady.ChannelEmail, Slot: s.NextSlot,
				PromptID: fmt.Sprintf("p%d", i), Theme: "honesty", PromptText: "Do you feel heard?"}, s.NextSlot.Add(24 * time.Hour), nil
		}
		if _, err := b.db.ClaimDue(ctx, slot, 100, plan); err != nil {
			t.Fatal(err)
		}
		for _, d := range storetest.Claim(t, b.db, slot) {
			if err := b.db.FinishDelivery(ctx, d, store.Outcome{Status: steady.DeliverySent, Now: slot}); err != nil {
				t.Fatal(err)
			}
		}
	}
	ds, err := b.db.Deliveries(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	var prompts []steady.Delivery
	for _, d := range ds {
		if d.Kind == steady.KindPrompt {
			prompts = append(prompts, d)
		}
	}
	if len(prompts) != n {
		t.Fatalf("%d prompts sent, want %d", len(prompts), n)
	}
	return sub, prompts
}

// mail is a reply as a mail program would write it.
// trustedAuthServ is the mailbox provider's server the test processor
// believes.
const trustedAuthServ = "mx.provider.example"

// authPass is the Authentication-Results header the trusted server adds to
// genuine mail from address.
func authPass(address string) string {
	_, domain, _ := strings.Cut(strings.ToLower(address), "@")
	return "Authentication-Results: " + trustedAuthServ + "; spf=pass smtp.mailfrom=" + domain +
		"; dkim=pass header.d=" + domain + "; dmarc=pass header.from=" + domain + "\r\n"
}

type mail struct {
	from, to, messageID, inReplyTo, references, extra, body string
}

func (m mail) raw() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: Someone <%s>\r\nTo: %s\r\nSubject: Re: Today's reflection\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n", m.from, m.to)
	if m.messageID != "" {
		fmt.Fprintf(&b, "Message-ID: <%s>\r\n", m.messageID)
	}
	if m.inReplyTo != "" {
		fmt.Fprintf(&b, "In-Reply-To: <%s>\r\n", m.inReplyTo)
	}
	if m.references != "" {
		fmt.Fprintf(&b, "References: %s\r\n", m.references)
	}
	b.WriteString(m.extra)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	b.WriteString(strings.ReplaceAll(m.body, "\n", "\r\n"))
	return []byte(b.String())
}

func (b *bundle) replies(t *testing.T, subID int64) []steady.Reply {
	t.Helper()
	rs, err := b.db.Replies(context.Background(), subID)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}
