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
		{"outcome unknown", fmt.Errorf("smtp: %w: connection lost after DATA", steady.ErrOutcomeUnknown), steady.DeliveryUnknown},
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

func TestDispatcherExpiresStuckSends(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, at("2026-01-10 12:00"))
		d := queuedPrompt(t, b)
		// A process claims the prompt and dies before recording the outcome.
		crash := at("2026-01-10 20:30")
		claimed, err := db.ClaimQueued(context.Background(), crash, 10)
		if err != nil || len(claimed) != 1 || claimed[0].ID != d.ID {
			t.Fatalf("ClaimQueued = %v, %v; want the prompt", claimed, err)
		}
		if n := b.runDispatcher(t, crash.Add(5*time.Minute)); n != 0 {
			t.Errorf("while it may still be sending: sent %d, want 0", n)
		}
		if got := b.delivery(t, d.ID); got.Status != steady.DeliverySending {
			t.Errorf("before StuckAfter: status %s, want sending", got.Status)
		}
		b.runDispatcher(t, crash.Add(10*time.Minute+time.Second))
		if got := b.delivery(t, d.ID); got.Status != steady.DeliveryUnknown {
			t.Errorf("after StuckAfter: status %s, want unknown", got.Status)
		}
		b.runDispatcher(t, crash.Add(24*time.Hour))
		if b.sendsOf(d.ID) != 0 {
			t.Errorf("the stuck delivery was sent %d times, want never", b.sendsOf(d.ID))
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
	b.disp.store = unsubscribeAfterClaim{DB: db, unsubscribe: func() {
		b.unsubscribe(t, d.SubscriberID, at("2026-01-10 20:30"))
	}}
	b.runDispatcher(t, at("2026-01-10 20:30"))
	got := b.delivery(t, d.ID)
	if got.Status != steady.DeliveryCancelled || b.sendsOf(d.ID) != 0 {
		t.Errorf("delivery = %s, %d sends; want cancelled, none", got.Status, b.sendsOf(d.ID))
	}
}

// unsubscribeAfterClaim is the real store with a subscriber leaving right
// after each ClaimQueued: a race the tests cannot time otherwise.
type unsubscribeAfterClaim struct {
	*store.DB
	unsubscribe func()
}

func (u unsubscribeAfterClaim) ClaimQueued(ctx context.Context, now time.Time, limit int) ([]steady.Delivery, error) {
	ds, err := u.DB.ClaimQueued(ctx, now, limit)
	if len(ds) > 0 {
		u.unsubscribe()
	}
	return ds, err
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
		other, err := NewDispatcher(DispatcherConfig{Store: db, Sender: b.sender, Composer: testComposer{}, BatchSize: 3})
		if err != nil {
			t.Fatal(err)
		}
		b.disp.batchSize = 3
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
