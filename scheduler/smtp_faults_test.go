package scheduler

import (
	"bytes"
	"fmt"
	"net/mail"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/templates"
)

// TestSMTPFaultsDrain sends prompts through the real go-mail sender to a
// real SMTP server that fails 30% of messages (every message whose number
// ends in 0, 3 or 6): with the connection dropped after DATA (the server
// took the message but never said so) or with a 451 after DATA. Every
// prompt must end up sent in the database, at most 5 attempts each, and
// received by the server; every copy of a prompt carries the same
// Message-ID.
func TestSMTPFaultsDrain(t *testing.T) {
	t.Parallel()
	for _, fault := range []struct {
		name string
		f    smtptest.Fault
	}{
		{"dropped after DATA", smtptest.DropAfterData},
		{"451 after DATA", smtptest.TempFailData},
	} {
		t.Run(fault.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				testSMTPFaultsDrain(t, db, fault.f)
			})
		})
	}
}

func testSMTPFaultsDrain(t *testing.T, db *store.DB, fault smtptest.Fault) {
	const subscribers = 200
	start := at("2026-01-10 12:00")
	b := setup(t, db, start)
	srv := smtptest.Start(t)
	cfg, err := messages.ParseSMTPURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	sender, err := messages.NewSMTPSender(cfg, "Steady <steady@steady.example>", messages.WithSMTPTimeout(5*time.Second), messages.WithSMTPClock(b.clock))
	if err != nil {
		t.Fatal(err)
	}
	set, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	lk, err := links.New("https://steady.example", "Steady <steady@steady.example>", []byte("a-test-secret-of-enough-length"), b.clock)
	if err != nil {
		t.Fatal(err)
	}
	b.disp.sender = sender
	b.disp.composer = &templates.Composer{Set: set, Links: lk, ProgramName: "Steady"}

	subs := make(map[int64]steady.Subscriber, subscribers)
	for i := range subscribers {
		s := b.subscribe(t, fmt.Sprintf("f%03d@example.net", i), "UTC", "daily 20:50", start)
		subs[s.ID] = s
	}
	if n := b.runDispatcher(t, start); n != subscribers {
		t.Fatalf("sent %d confirmations, want %d", n, subscribers)
	}
	confirmations := len(srv.Messages())
	srv.SetFaultPattern(func(n int) smtptest.Fault {
		if n%10 == 0 || n%10 == 3 || n%10 == 6 {
			return fault
		}
		return smtptest.NoFault
	})

	// At 20:50, so the retries cross the hour: a token rendered at send
	// time would change the Message-ID of the later copies.
	due := at("2026-01-10 20:50")
	if n := b.runScheduler(t, due); n != subscribers {
		t.Fatalf("queued %d prompts, want %d", n, subscribers)
	}
	// Retries come after the backoff (1, 2, 4, 8 minutes): run the
	// dispatcher every minute for an hour.
	for now := due; now.Before(due.Add(time.Hour)); now = now.Add(time.Minute) {
		b.clock.Set(now)
		b.runDispatcher(t, now)
	}

	maxAttempts, retried := 0, 0
	wantIDs := make(map[string]bool, subscribers)
	for id := range subs {
		ps := b.deliveries(t, id, steady.KindPrompt)
		if len(ps) != 1 {
			t.Fatalf("subscriber %d has %d prompts, want 1", id, len(ps))
		}
		p := ps[0]
		if p.Status != steady.DeliverySent || p.Attempts > 5 {
			t.Errorf("prompt %d: %s after %d attempts (%s); want sent within 5", p.ID, p.Status, p.Attempts, p.LastError)
		}
		maxAttempts = max(maxAttempts, p.Attempts)
		if p.Attempts > 1 {
			retried++
		}
		wantIDs[p.ProviderID] = true
	}
	// What the server holds: every prompt, by Message-ID; a copy dropped
	// after DATA is a second copy of the same Message-ID, never another.
	copies := map[string]int{}
	for _, m := range srv.Messages()[confirmations:] {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		id := msg.Header.Get("Message-Id")
		id = id[1 : len(id)-1]
		if !wantIDs[id] {
			t.Errorf("the server got Message-ID %q, which is no prompt's", id)
		}
		copies[id]++
	}
	if len(copies) != subscribers {
		t.Errorf("the server holds %d distinct prompts, want %d", len(copies), subscribers)
	}
	t.Logf("%d prompts: all sent; %d needed a retry; at most %d attempts; %d copies at the server",
		subscribers, retried, maxAttempts, len(srv.Messages())-confirmations)
	if retried < subscribers/4 {
		t.Errorf("only %d prompts were retried: the fault was not injected", retried)
	}
}
