package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/twiliotest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/themes"
)

var _ Suppressor = (*store.DB)(nil)

// smsBundle is a scheduler and dispatcher sending SMS through the real
// twilio-go client to a twiliotest server, rate limited by the manual
// clock (a wait moves the clock instead of sleeping).
type smsBundle struct {
	*bundle
	twilio *twiliotest.Server
}

func setupSMS(t *testing.T, db *store.DB, start time.Time, mps float64) *smsBundle {
	t.Helper()
	b := &bundle{db: db, clock: steady.NewManualClock(start), logs: &logBuffer{}}
	logger := slog.New(slog.NewTextHandler(b.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	t.Cleanup(func() {
		if logs := b.logs.String(); strings.Contains(logs, "+4477009") {
			t.Errorf("a phone number was logged:\n%s", logs)
		}
	})
	srv := twiliotest.New(t, b.clock)
	tw, err := messages.NewTwilioSender(messages.TwilioConfig{
		AccountSID: twiliotest.AccountSID, AuthToken: twiliotest.AuthToken, From: "+15005550006",
		APIURL: srv.URL, StatusCallback: "https://steady.example/twilio/status", Timeout: 300 * time.Millisecond,
		Clock: b.clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	limited, err := messages.NewRateLimited(tw, mps, b.clock, func(_ context.Context, d time.Duration) error {
		b.clock.Advance(d)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	b.disp, err = NewDispatcher(DispatcherConfig{
		Store: db, Sender: messages.Router{steady.ChannelSMS: limited}, Composer: testComposer{},
		Suppress: db, Clock: b.clock, Logger: logger,
	})
	if err != nil {
		t.Fatal(err)
	}
	b.sched, err = New(Config{Store: db, Catalog: themes.Default(), Clock: b.clock, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	return &smsBundle{bundle: b, twilio: srv}
}

// subscribeSMS signs a number up for a daily prompt and confirms it; the
// confirmation delivery is cancelled so only prompts are sent.
func (b *smsBundle) subscribeSMS(t *testing.T, number string, now time.Time) steady.Subscriber {
	t.Helper()
	ctx := context.Background()
	res, err := b.db.RequestSubscription(ctx, store.SubscriptionRequest{
		Channel: steady.ChannelSMS, Address: number, TimeZone: "Europe/London",
		Schedule: mustSchedule(t, "daily 20:00"),
		Consent:  steady.Consent{Method: "web", Wording: "Text me prompts."}, Now: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := b.db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "sms", Wording: "YES"}, now,
		func(s steady.Subscriber) (time.Time, error) {
			loc, _ := s.Location()
			return s.Schedule.Next(now, loc), nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// queuePrompts sends what sign-ups queued, then queues the prompts due at
// 20:00 on 2 March 2026 (the slot subscribeSMS gives from that day), with
// the clock there, and returns that time.
func (b *smsBundle) queuePrompts(t *testing.T) time.Time {
	t.Helper()
	b.flush(t)
	due := time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC)
	b.clock.Set(due)
	b.runScheduler(t, due)
	return due
}

// flush sends what sign-ups queued, so tests count prompts only.
func (b *smsBundle) flush(t *testing.T) int {
	t.Helper()
	return b.runDispatcher(t, b.clock.Now())
}

func TestSMSBurstRespectsMPS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		start := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
		b := setupSMS(t, db, start, 1)
		for i := range 50 {
			b.subscribeSMS(t, fmt.Sprintf("+4477009%05d", i), start)
		}
		b.flush(t) // the 50 confirmations
		before := len(b.twilio.Requests())
		due := time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC)
		b.clock.Set(due)
		if n := b.runScheduler(t, due); n != 50 {
			t.Fatalf("queued %d prompts, want 50", n)
		}
		if n := b.runDispatcher(t, due); n != 50 {
			t.Fatalf("sent %d prompts, want 50", n)
		}
		reqs := b.twilio.Requests()[before:]
		if len(reqs) != 50 {
			t.Fatalf("%d requests reached Twilio, want 50", len(reqs))
		}
		for i := 1; i < len(reqs); i++ {
			if gap := reqs[i].At.Sub(reqs[i-1].At); gap < time.Second {
				t.Errorf("prompts %d and %d were %s apart, under 1/MPS", i-1, i, gap)
			}
		}
		if span := reqs[49].At.Sub(reqs[0].At); span < 49*time.Second {
			t.Errorf("50 prompts went out in %s", span)
		}
		for _, r := range reqs {
			if r.Form.Get("StatusCallback") != "https://steady.example/twilio/status" || r.Form.Get("From") != "+15005550006" {
				t.Fatalf("form %v", r.Form)
			}
		}
	})
}

func TestSMSProviderRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		start := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
		b := setupSMS(t, db, start, 10)
		optedOut := b.subscribeSMS(t, "+447700900001", start)
		invalid := b.subscribeSMS(t, "+447700900002", start)
		due := b.queuePrompts(t)
		b.twilio.FailNext(twiliotest.Fault{Status: 400, Code: 21610}, twiliotest.Fault{Status: 400, Code: 21211})
		if n := b.runDispatcher(t, due); n != 0 {
			t.Fatalf("sent %d", n)
		}
		if s := b.subscriber(t, optedOut.ID); s.Status != steady.StatusUnsubscribed {
			t.Errorf("after 21610 the subscriber is %s", s.Status)
		}
		if s := b.subscriber(t, invalid.ID); s.AddressInvalidAt.IsZero() {
			t.Errorf("after 21211 the address is not marked invalid: %+v", s)
		}
		// The next days' slots send nothing to either.
		before := len(b.twilio.Requests())
		for day := 1; day <= 3; day++ {
			at := due.Add(time.Duration(day) * 24 * time.Hour)
			b.clock.Set(at)
			b.runScheduler(t, at)
			b.runDispatcher(t, at)
		}
		if n := len(b.twilio.Requests()) - before; n != 0 {
			t.Errorf("%d more requests after the refusals", n)
		}
	})
}

func TestSMSRetryAfterAndTimeout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		start := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
		b := setupSMS(t, db, start, 10)
		throttled := b.subscribeSMS(t, "+447700900001", start)
		hung := b.subscribeSMS(t, "+447700900002", start)
		due := b.queuePrompts(t)
		b.twilio.FailNext(twiliotest.Fault{Status: 429, Code: 20429, RetryAfter: "600"}, twiliotest.Fault{Hang: true})
		b.runDispatcher(t, due)
		p := b.deliveries(t, throttled.ID, steady.KindPrompt)[0]
		if p.Status != steady.DeliveryQueued || p.NextAttemptAt.Sub(due) < 600*time.Second-time.Second {
			t.Errorf("throttled prompt: %s, next attempt %s after the slot", p.Status, p.NextAttemptAt.Sub(due))
		}
		h := b.deliveries(t, hung.ID, steady.KindPrompt)[0]
		if h.Status != steady.DeliveryUnknown {
			t.Errorf("timed-out prompt is %s, want unknown", h.Status)
		}
		// Before Retry-After nothing is retried; after it, only the throttled one.
		n := len(b.twilio.Requests())
		b.runDispatcher(t, due.Add(5*time.Minute))
		if got := len(b.twilio.Requests()); got != n {
			t.Errorf("retried before Retry-After")
		}
		b.runDispatcher(t, due.Add(11*time.Minute))
		if got := len(b.twilio.Requests()) - n; got != 1 {
			t.Errorf("%d retries after Retry-After, want 1", got)
		}
		if h := b.delivery(t, h.ID); h.Status != steady.DeliveryUnknown || h.Attempts != 1 {
			t.Errorf("unknown delivery was touched: %s, %d attempts", h.Status, h.Attempts)
		}
	})
}

// A text is at-most-once only for what was in flight: one whose attempt was
// recorded when its worker died is marked unknown once the lease runs out
// and never sent; one claimed but never started is sent, once.
func TestSMSWorkerDied(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		start := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
		b := setupSMS(t, db, start, 10)
		inFlight := b.subscribeSMS(t, "+447700900001", start)
		untried := b.subscribeSMS(t, "+447700900002", start)
		due := b.queuePrompts(t)
		before := len(b.twilio.Requests())

		// The dead worker's two claims: the first had begun its attempt.
		ctx := context.Background()
		lease := due.Add(b.disp.lease)
		var claims []store.Claim
		for range 2 {
			c, err := db.ClaimNext(ctx, due, lease)
			if err != nil {
				t.Fatal(err)
			}
			claims = append(claims, c)
		}
		if claims[0].SubscriberID != inFlight.ID {
			claims[0], claims[1] = claims[1], claims[0]
		}
		if _, err := db.StartAttempt(ctx, claims[0], due, lease); err != nil {
			t.Fatal(err)
		}
		if n := b.runDispatcher(t, due.Add(time.Second)); n != 0 {
			t.Errorf("while the leases run: sent %d, want 0", n)
		}
		if n := b.runDispatcher(t, lease.Add(time.Second)); n != 1 {
			t.Errorf("after the leases: sent %d, want 1 (the untried text)", n)
		}
		if got := b.delivery(t, claims[0].ID); got.Status != steady.DeliveryUnknown || got.Attempts != 1 {
			t.Errorf("text in flight: %s, %d attempts; want unknown, 1", got.Status, got.Attempts)
		}
		if got := b.delivery(t, claims[1].ID); got.Status != steady.DeliverySent || got.Attempts != 1 {
			t.Errorf("untried text: %s, %d attempts; want sent, 1", got.Status, got.Attempts)
		}
		b.runDispatcher(t, lease.Add(24*time.Hour))
		reqs := b.twilio.Requests()[before:]
		if len(reqs) != 1 || reqs[0].Form.Get("To") != untried.Address {
			t.Errorf("%d requests reached Twilio, want 1, to the untried number", len(reqs))
		}
	})
}

// A text whose rate-limit wait is cut short (shutdown) was never started:
// it goes back to the queue with its attempts untouched, not unknown.
func TestSMSCutShortBeforeTheWriteIsRequeued(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		start := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
		b := setupSMS(t, db, start, 1)
		sub := b.subscribeSMS(t, "+447700900003", start)
		due := b.queuePrompts(t)
		before := len(b.twilio.Requests())
		ctx, cancel := context.WithCancel(context.Background())
		b.disp.store = afterClaim{DB: db, then: cancel}
		if _, err := b.disp.runOnce(ctx, due); !errors.Is(err, context.Canceled) {
			t.Errorf("runOnce: %v, want canceled", err)
		}
		p := b.deliveries(t, sub.ID, steady.KindPrompt)[0]
		if p.Status != steady.DeliveryQueued || p.Attempts != 0 || len(b.twilio.Requests()) != before {
			t.Errorf("cut short: %s, %d attempts, %d requests; want queued, 0, none", p.Status, p.Attempts, len(b.twilio.Requests())-before)
		}
		b.disp.store = db
		if n := b.runDispatcher(t, due.Add(time.Minute)); n != 1 {
			t.Errorf("next run sent %d, want 1", n)
		}
	})
}
