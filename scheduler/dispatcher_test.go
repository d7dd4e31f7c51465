package scheduler

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// queuedPrompt subscribes ann@example.com and queues her first prompt for
// 2026-01-10 20:30 UTC, which it returns.
func queuedPrompt(t *testing.T, b *bundle) steady.Delivery {
	t.Helper()
	start := at("2026-01-10 12:00")
	sub := b.subscribe(t, "ann@example.com", "UTC", "daily 20:30", start)
	// The confirmation goes out first, so only the prompt is left.
	if n := b.runDispatcher(t, start); n != 1 {
		t.Fatalf("confirmation: sent %d, want 1", n)
	}
	if n := b.runScheduler(t, at("2026-01-10 20:30")); n != 1 {
		t.Fatalf("queued %d prompts, want 1", n)
	}
	ds := b.deliveries(t, sub.ID, steady.KindPrompt)
	if len(ds) != 1 {
		t.Fatalf("got %d prompts, want 1", len(ds))
	}
	return ds[0]
}

// sendsOf counts the messages sent for delivery id.
func (b *bundle) sendsOf(id int64) int {
	n := 0
	for _, m := range b.sender.messages() {
		if m.DeliveryID == id {
			n++
		}
	}
	return n
}

func TestDispatcherSends(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, at("2026-01-10 12:00"))
		d := queuedPrompt(t, b)
		now := at("2026-01-10 20:30")
		if n := b.runDispatcher(t, now); n != 1 {
			t.Fatalf("sent %d, want 1", n)
		}
		if n := b.runDispatcher(t, now.Add(time.Minute)); n != 0 {
			t.Errorf("second run sent %d, want 0", n)
		}
		got := b.delivery(t, d.ID)
		if got.Status != steady.DeliverySent || got.ProviderID != fmt.Sprintf("provider-%d", d.ID) ||
			!got.SentAt.Equal(now) || got.Attempts != 1 {
			t.Errorf("delivery = %s, provider %q, sent at %s, attempts %d; want sent once at %s",
				got.Status, got.ProviderID, got.SentAt, got.Attempts, now)
		}
		if b.sendsOf(d.ID) != 1 {
			t.Errorf("sent %d messages for the prompt, want 1", b.sendsOf(d.ID))
		}
		msgs := b.sender.messages()
		if m := msgs[len(msgs)-1]; m.To != "ann@example.com" || m.Text != d.PromptText || m.DeliveryID != d.ID {
			t.Errorf("message = %+v, want the prompt to ann", m)
		}
	})
}

func TestDispatcherRetries(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, at("2026-01-10 12:00"))
		d := queuedPrompt(t, b)
		var down atomic.Bool
		down.Store(true)
		b.sender.fail = func(steady.Message) error {
			if down.Load() {
				return errors.New("dial tcp 192.0.2.25:587: connection refused")
			}
			return nil
		}
		now := at("2026-01-10 20:30")
		if n := b.runDispatcher(t, now); n != 0 {
			t.Fatalf("sent %d while the server is down", n)
		}
		got := b.delivery(t, d.ID)
		if got.Status != steady.DeliveryQueued || got.Attempts != 1 || !got.NextAttemptAt.Equal(now.Add(time.Minute)) ||
			got.LastError == "" {
			t.Fatalf("after a failure: %s, attempts %d, next %s, error %q; want queued for a minute later",
				got.Status, got.Attempts, got.NextAttemptAt, got.LastError)
		}
		// Second failure: the backoff doubles.
		if n := b.runDispatcher(t, now.Add(30*time.Second)); n != 0 {
			t.Errorf("retried before the backoff: sent %d", n)
		}
		b.runDispatcher(t, now.Add(time.Minute))
		if got := b.delivery(t, d.ID); got.Attempts != 2 || !got.NextAttemptAt.Equal(now.Add(3*time.Minute)) {
			t.Errorf("after two failures: attempts %d, next %s; want 2, +3m", got.Attempts, got.NextAttemptAt)
		}
		down.Store(false)
		if n := b.runDispatcher(t, now.Add(3*time.Minute)); n != 1 {
			t.Fatalf("once the server is back: sent %d, want 1", n)
		}
		if got := b.delivery(t, d.ID); got.Status != steady.DeliverySent || got.Attempts != 3 {
			t.Errorf("delivery = %s after %d attempts, want sent after 3", got.Status, got.Attempts)
		}
	})
}

func TestDispatcherGivesUpAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, at("2026-01-10 12:00"))
		d := queuedPrompt(t, b)
		b.sender.fail = func(steady.Message) error { return errors.New("421 try again later") }
		now := at("2026-01-10 20:30")
		for range 10 {
			b.runDispatcher(t, now)
			now = now.Add(2 * time.Hour)
		}
		got := b.delivery(t, d.ID)
		if got.Status != steady.DeliveryFailed || got.Attempts != 5 {
			t.Errorf("delivery = %s after %d attempts, want failed after 5 (%s)", got.Status, got.Attempts, got.LastError)
		}
	})
}

func TestDispatcherOutcomes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want steady.DeliveryStatus
	}{
		{"rejected", fmt.Errorf("smtp: %w: 550 5.1.1 <ann@example.com>: no such user", steady.ErrRejected), steady.DeliveryFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				b := setup(t, db, at("2026-01-10 12:00"))
				d := queuedPrompt(t, b)
				calls := 0
				b.sender.fail = func(steady.Message) error { calls++; return tt.err }
				now := at("2026-01-10 20:30")
				if n := b.runDispatcher(t, now); n != 0 {
					t.Errorf("sent %d, want 0", n)
				}
				for i := range 3 {
					b.runDispatcher(t, now.Add(time.Duration(i+1)*2*time.Hour))
				}
				got := b.delivery(t, d.ID)
				if got.Status != tt.want {
					t.Errorf("status = %s, want %s", got.Status, tt.want)
				}
				if calls != 1 {
					t.Errorf("Send called %d times, want once, never again", calls)
				}
				if got.LastError == "" || strings.Contains(got.LastError, "ann@example.com") {
					t.Errorf("last error = %q, want the cause without the address", got.LastError)
				}
			})
		})
	}
}

// An email whose outcome is unknown is sent again: the copy carries the same
// Message-ID, so a receiver that has the first drops it.
func TestDispatcherRetriesAnEmailOfUnknownOutcome(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, at("2026-01-10 12:00"))
		d := queuedPrompt(t, b)
		calls := 0
		b.sender.fail = func(steady.Message) error {
			calls++
			if calls == 1 {
				return fmt.Errorf("smtp: %w: connection lost after DATA", steady.ErrOutcomeUnknown)
			}
			return nil
		}
		now := at("2026-01-10 20:30")
		b.runDispatcher(t, now)
		if got := b.delivery(t, d.ID); got.Status != steady.DeliveryQueued || got.Attempts != 1 {
			t.Fatalf("after an unknown outcome: %s, %d attempts; want queued, 1", got.Status, got.Attempts)
		}
		if n := b.runDispatcher(t, now.Add(time.Minute)); n != 1 {
			t.Errorf("retry sent %d, want 1", n)
		}
		if got := b.delivery(t, d.ID); got.Status != steady.DeliverySent || got.Attempts != 2 || calls != 2 {
			t.Errorf("after the retry: %s, %d attempts, %d calls; want sent, 2, 2", got.Status, got.Attempts, calls)
		}
	})
}

func TestDispatcherComposeFailure(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, at("2026-01-10 12:00"))
		d := queuedPrompt(t, b)
		b.disp.composer = testComposer{fail: errors.New(`template: prompt.txt:3: function "oops" not defined`)}
		b.runDispatcher(t, at("2026-01-10 20:30"))
		if got := b.delivery(t, d.ID); got.Status != steady.DeliveryFailed || b.sendsOf(d.ID) != 0 {
			t.Errorf("delivery = %s, %d sends; want failed, none", got.Status, b.sendsOf(d.ID))
		}
	})
}

// A worker that claims an email and dies before recording the outcome (in
// flight or not: email keeps no in-flight marker) leaves it to its lease;
// once the lease has run out the email is sent again by the next run, with
// the same delivery (and so the same Message-ID), and only once.
func TestDispatcherResendsAnEmailWhoseWorkerDied(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, at("2026-01-10 12:00"))
		d := queuedPrompt(t, b)
		crash := at("2026-01-10 20:30")
		claimed, err := db.ClaimNext(context.Background(), crash, crash.Add(b.disp.lease))
		if err != nil || claimed.ID != d.ID {
			t.Fatalf("ClaimNext = %v, %v; want the prompt", claimed, err)
		}
		if n := b.runDispatcher(t, crash.Add(b.disp.lease-time.Second)); n != 0 {
			t.Errorf("while the lease runs: sent %d, want 0", n)
		}
		if got := b.delivery(t, d.ID); got.Status != steady.DeliverySending {
			t.Errorf("while the lease runs: status %s, want sending", got.Status)
		}
		if n := b.runDispatcher(t, crash.Add(b.disp.lease+time.Second)); n != 1 {
			t.Errorf("after the lease: sent %d, want 1", n)
		}
		got := b.delivery(t, d.ID)
		if got.Status != steady.DeliverySent || got.Attempts != 1 || b.sendsOf(d.ID) != 1 {
			t.Errorf("after the lease: status %s, attempts %d, %d sends; want sent, 1, 1", got.Status, got.Attempts, b.sendsOf(d.ID))
		}
		b.runDispatcher(t, crash.Add(24*time.Hour))
		if b.sendsOf(d.ID) != 1 {
			t.Errorf("sent %d times, want once", b.sendsOf(d.ID))
		}
	})
}

// A delivery put back untried (the run was stopped before it was sent)
// keeps its attempts and is sent by the next run.
func TestDispatcherPutsBackUntriedWork(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, at("2026-01-10 12:00"))
		d := queuedPrompt(t, b)
		ctx, cancel := context.WithCancel(context.Background())
		b.disp.store = afterClaim{DB: db, then: cancel}
		if n, err := b.disp.runOnce(ctx, at("2026-01-10 20:30")); n != 0 || !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled run = %d, %v; want 0, canceled", n, err)
		}
		got := b.delivery(t, d.ID)
		if got.Status != steady.DeliveryQueued || got.Attempts != 0 || b.sendsOf(d.ID) != 0 {
			t.Errorf("after the cancelled run: %s, %d attempts, %d sends; want queued, 0, 0", got.Status, got.Attempts, b.sendsOf(d.ID))
		}
		b.disp.store = db
		if n := b.runDispatcher(t, at("2026-01-10 20:31")); n != 1 {
			t.Errorf("next run sent %d, want 1", n)
		}
		if got := b.delivery(t, d.ID); got.Status != steady.DeliverySent || got.Attempts != 1 {
			t.Errorf("after the next run: %s, %d attempts; want sent, 1", got.Status, got.Attempts)
		}
	})
}

func TestDispatcherCancelsForUnsubscribed(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Run("before the claim", func(t *testing.T) {
			b := setup(t, db, at("2026-01-10 12:00"))
			d := queuedPrompt(t, b)
			b.unsubscribe(t, d.SubscriberID, at("2026-01-10 20:30"))
			b.runDispatcher(t, at("2026-01-10 20:31"))
			if got := b.delivery(t, d.ID); got.Status != steady.DeliveryCancelled || b.sendsOf(d.ID) != 0 {
				t.Errorf("delivery = %s, %d sends; want cancelled, none", got.Status, b.sendsOf(d.ID))
			}
		})
	})
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		t.Run("between the claim and the send", func(t *testing.T) {
			testUnsubscribeAfterClaim(t, db)
		})
	})
}

// testUnsubscribeAfterClaim: the unsubscribe lands between the claim and the send.
func testUnsubscribeAfterClaim(t *testing.T, db *store.DB) {
	t.Helper()
	b := setup(t, db, at("2026-01-10 12:00"))
	d := queuedPrompt(t, b)
	b.disp.store = afterClaim{DB: db, then: func() {
		b.unsubscribe(t, d.SubscriberID, at("2026-01-10 20:30"))
	}}
	b.runDispatcher(t, at("2026-01-10 20:30"))
	got := b.delivery(t, d.ID)
	if got.Status != steady.DeliveryCancelled || b.sendsOf(d.ID) != 0 {
		t.Errorf("delivery = %s, %d sends; want cancelled, none", got.Status, b.sendsOf(d.ID))
	}
}

// afterClaim is the real store with something happening right after each
// claim: a race the tests cannot time otherwise.
type afterClaim struct {
	*store.DB
	then func()
}

func (a afterClaim) FinishAndClaim(ctx context.Context, done []store.Finished, want int, now, leaseUntil time.Time) ([]store.Claim, []error, error) {
	claims, errs, err := a.DB.FinishAndClaim(ctx, done, want, now, leaseUntil)
	for range claims {
		a.then()
	}
	return claims, errs, err
}

func TestDispatchersRunConcurrently(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		start := at("2026-01-10 12:00")
		b := setup(t, db, start)
		const subscribers = 40
		for i := range subscribers {
			b.subscribe(t, fmt.Sprintf("p%d@example.com", i), "UTC", "daily 20:30", start)
		}
		if n := b.runScheduler(t, at("2026-01-10 20:30")); n != subscribers {
			t.Fatalf("queued %d, want %d", n, subscribers)
		}
		// 40 confirmations and 40 prompts, shared by two dispatchers.
		other, err := NewDispatcher(DispatcherConfig{Store: db, Sender: b.sender, Composer: testComposer{}})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var total atomic.Int64
		for _, d := range []*Dispatcher{b.disp, other} {
			wg.Go(func() {
				for range 20 {
					n, err := d.runOnce(context.Background(), at("2026-01-10 20:30"))
					if err != nil {
						t.Errorf("runOnce: %v", err)
						return
					}
					total.Add(int64(n))
				}
			})
		}
		wg.Wait()
		counts := map[int64]int{}
		for _, m := range b.sender.messages() {
			counts[m.DeliveryID]++
		}
		if len(counts) != 2*subscribers || total.Load() != 2*subscribers {
			t.Errorf("sent %d distinct deliveries (runOnce counted %d), want %d", len(counts), total.Load(), 2*subscribers)
		}
		for id, n := range counts {
			if n != 1 {
				t.Errorf("delivery %d sent %d times", id, n)
			}
		}
	})
}

func TestDispatcherStartWakeStop(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	b := setup(t, db, time.Now())
	b.disp.pollInterval = time.Hour // only Start's first run and Wake send
	ctx := context.Background()
	if err := b.disp.Start(ctx); err != nil {
		t.Fatal(err)
	}
	b.subscribe(t, "ann@example.com", "UTC", "daily 20:30", b.clock.Now())
	b.disp.Wake()
	deadline := time.Now().Add(5 * time.Second)
	for len(b.sender.messages()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if len(b.sender.messages()) != 1 {
		t.Errorf("after Wake: %d messages, want the confirmation", len(b.sender.messages()))
	}
	stopCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := b.disp.Stop(stopCtx); err != nil {
		t.Errorf("Stop: %v", err)
	}
	if err := b.disp.Stop(stopCtx); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

// A retry of a confirmation the subscriber has confirmed since (through
// another copy of the link) is cancelled, not sent again.
func TestDispatcherDropsAConfirmationAlreadyUsed(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		start := at("2026-01-10 12:00")
		b := setup(t, db, start)
		b.sender.fail = func(steady.Message) error { return errors.New("421 try again later") }
		ctx := context.Background()
		res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{
			Channel: steady.ChannelEmail, Address: "cy@example.org", TimeZone: "UTC", Schedule: mustSchedule(t, "daily 20:30"),
			Consent: steady.Consent{Method: "web", Wording: "Send me prompts."}, Now: start,
		})
		if err != nil {
			t.Fatal(err)
		}
		b.runDispatcher(t, start) // the first try fails: queued for a retry
		confirm := mustKind(t, b, res.Subscriber.ID, steady.KindConfirm)
		if confirm.Status != steady.DeliveryQueued {
			t.Fatalf("confirmation after a failed try: %s", confirm.Status)
		}
		if _, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "email-link"}, start.Add(30*time.Second),
			func(s steady.Subscriber) (time.Time, error) { return at("2026-01-10 20:30"), nil }); err != nil {
			t.Fatal(err)
		}
		b.sender.fail = nil
		b.runDispatcher(t, start.Add(time.Hour))
		if got := b.delivery(t, confirm.ID); got.Status != steady.DeliveryCancelled || b.sendsOf(confirm.ID) != 0 {
			t.Errorf("used confirmation: %s, %d sends; want cancelled, none", got.Status, b.sendsOf(confirm.ID))
		}
	})
}

func mustKind(t *testing.T, b *bundle, subID int64, kind steady.Kind) steady.Delivery {
	t.Helper()
	ds := b.deliveries(t, subID, kind)
	if len(ds) != 1 {
		t.Fatalf("%d %s deliveries, want 1", len(ds), kind)
	}
	return ds[0]
}

// stopAtNextClaim is the real store with Stop arriving while an outcome
// and the next claim are being committed.
type stopAtNextClaim struct {
	*store.DB
	quit chan struct{}
}

func (s stopAtNextClaim) FinishAndClaim(ctx context.Context, done []store.Finished, want int, now, leaseUntil time.Time) ([]store.Claim, []error, error) {
	claims, errs, err := s.DB.FinishAndClaim(ctx, done, want, now, leaseUntil)
	if len(done) > 0 {
		select {
		case <-s.quit:
		default:
			close(s.quit)
		}
	}
	return claims, errs, err
}

// A delivery claimed together with the last outcome as Stop comes is put
// back untried, not sent: Stop lets the send in flight finish and starts
// no other. With a Window of 1 the next send waits for that commit, so
// Stop is there before it; a wider window would send on meanwhile.
func TestDispatcherStopReleasesTheNextClaim(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		start := at("2026-01-10 12:00")
		b := setup(t, db, start)
		b.disp.window = 1
		for _, a := range []string{"s1@example.com", "s2@example.com"} {
			b.subscribe(t, a, "UTC", "daily 20:30", start)
		}
		quit := make(chan struct{})
		b.disp.quit = quit
		b.disp.store = stopAtNextClaim{DB: db, quit: quit}
		if n := b.runDispatcher(t, start); n != 1 {
			t.Fatalf("sent %d, want 1 (the one in flight)", n)
		}
		b.disp.quit, b.disp.store = nil, db
		if n := b.runDispatcher(t, start.Add(time.Minute)); n != 1 {
			t.Errorf("the next run sent %d, want the one put back", n)
		}
		if got := len(b.sender.messages()); got != 2 {
			t.Errorf("%d messages in all, want 2", got)
		}
	})
}
