package messages_test

import (
	"bytes"
	"context"
	"errors"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/templates"
)

// A composed email goes out with its delivery's VERP bounce address as
// MAIL FROM, while the From header stays the plain From address; a retry
// of the same delivery hours later, across an hour boundary, has the same
// envelope sender, so a bounce of either copy names the delivery.
func TestSMTPEnvelopeSenderIsTheDeliverysBounceAddress(t *testing.T) {
	t.Parallel()
	clock := steady.NewManualClock(time.Date(2026, 3, 14, 19, 59, 0, 0, time.UTC))
	srv := smtptest.Start(t)
	cfg, err := messages.ParseSMTPURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	sender, err := messages.NewSMTPSender(cfg, testFrom, messages.WithSMTPTimeout(5*time.Second), messages.WithSMTPClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	lk, err := links.New("https://steady.example.org", testFrom, []byte("0123456789abcdef0123456789abcdef"), clock)
	if err != nil {
		t.Fatal(err)
	}
	set, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	composer := &templates.Composer{Set: set, Links: lk, EmailReplies: true}
	sub := steady.Subscriber{ID: 5, Channel: steady.ChannelEmail, Address: testTo, TimeZone: "UTC", Status: steady.StatusActive,
		Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 20}}
	d := steady.Delivery{ID: 42, SubscriberID: 5, Kind: steady.KindPrompt, Channel: steady.ChannelEmail, PromptID: "p1",
		PromptText: "Did you feel heard?", Slot: clock.Now(), CreatedAt: clock.Now()}
	want := lk.BounceAddress(d)
	if !strings.HasPrefix(want, "steady+b-") {
		t.Fatalf("BounceAddress = %q", want)
	}

	for i, later := range []time.Duration{0, 3*time.Hour + 7*time.Minute} {
		clock.Set(d.CreatedAt.Add(later))
		m, err := composer.Compose(d, sub)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sender.Send(context.Background(), m); err != nil {
			t.Fatalf("send %d: %v", i+1, err)
		}
		r := srv.WaitMessages(t, i+1, 5*time.Second)[i]
		if r.From != want {
			t.Errorf("send %d (%s later): MAIL FROM = %q, want the bounce address %q", i+1, later, r.From, want)
		}
		msg, err := mail.ReadMessage(bytes.NewReader(r.Data))
		if err != nil {
			t.Fatal(err)
		}
		if from, err := mail.ParseAddress(msg.Header.Get("From")); err != nil || from.Address != "steady@example.org" || from.Name != "Steady" {
			t.Errorf("send %d: From = %q (%v), want the plain From address", i+1, msg.Header.Get("From"), err)
		}
		if bytes.Contains(bytes.ToLower(r.Data), []byte("+b-")) {
			t.Errorf("send %d: the bounce address appears in the message itself:\n%s", i+1, r.Data)
		}
	}
}

func TestSMTPBadEnvelopeSenderIsRejected(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, ef := range []string{"not an address", "Steady <steady+b-x@example.org>", "a@b\r\nRCPT TO:<victim@example.com>"} {
		m := testMessage()
		m.EnvelopeFrom = ef
		if _, err := b.sender.Send(context.Background(), m); !errors.Is(err, steady.ErrRejected) {
			t.Errorf("EnvelopeFrom %q: Send error = %v, want ErrRejected", ef, err)
		}
	}
	if n := len(b.srv.Messages()); n != 0 {
		t.Errorf("server received %d messages", n)
	}
}
