package scheduler

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// concurrentBundle is setup with a dispatcher of workers workers whose
// sender takes a moment per message and remembers the most it was asked to
// send at once.
func concurrentBundle(t *testing.T, db *store.DB, workers int) (*bundle, *atomic.Int64) {
	t.Helper()
	b := setup(t, db, at("2026-01-10 12:00"))
	var inFlight, most atomic.Int64
	b.sender.fail = func(steady.Message) error {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(2 * time.Millisecond)
		return nil
	}
	var err error
	b.disp, err = NewDispatcher(DispatcherConfig{Store: db, Sender: b.sender, Composer: testComposer{},
		Clock: b.clock, Logger: b.disp.log, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return b, &most
}

func TestDispatcherWorkersSendEachDeliveryOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const workers, subscribers = 4, 30
		b, most := concurrentBundle(t, db, workers)
		start := at("2026-01-10 12:00")
		for i := range subscribers {
			b.subscribe(t, fmt.Sprintf("w%d@example.com", i), "UTC", "daily 20:30", start)
		}
		if n := b.runDispatcher(t, start); n != subscribers {
			t.Fatalf("confirmations: sent %d, want %d", n, subscribers)
		}
		if n := b.runScheduler(t, at("2026-01-10 20:30")); n != subscribers {
			t.Fatalf("queued %d prompts, want %d", n, subscribers)
		}
		if n := b.runDispatcher(t, at("2026-01-10 20:30")); n != subscribers {
			t.Fatalf("prompts: sent %d, want %d", n, subscribers)
		}
		counts := map[int64]int{}
		for _, m := range b.sender.messages() {
			counts[m.DeliveryID]++
		}
		if len(counts) != 2*subscribers {
			t.Errorf("sent %d distinct deliveries, want %d", len(counts), 2*subscribers)
		}
		for id, n := range counts {
			if n != 1 {
				t.Errorf("delivery %d sent %d times", id, n)
			}
			if d := b.delivery(t, id); d.Status != steady.DeliverySent || d.Attempts != 1 || d.ProviderID != fmt.Sprintf("provider-%d", id) {
				t.Errorf("delivery %d: %s, %d attempts, provider id %q; want sent, 1, its own", id, d.Status, d.Attempts, d.ProviderID)
			}
		}
		if m := most.Load(); m < 2 || m > workers {
			t.Errorf("at most %d sends ran at once, want 2 to %d", m, workers)
		}
	})
}

// afterClaimOf is the real store with something happening to each claimed
// delivery right after its claim, before it is sent.
type afterClaimOf struct {
	*store.DB
	then func(c store.Claim)
}

func (a afterClaimOf) FinishAndClaim(ctx context.Context, done []store.Finished, want int, now, leaseUntil time.Time) ([]store.Claim, []error, error) {
	claims, errs, err := a.DB.FinishAndClaim(ctx, done, want, now, leaseUntil)
	for _, c := range claims {
		a.then(c)
	}
	return claims, errs, err
}

// With several workers, a subscriber who unsubscribes after their prompt
// was claimed is still not sent it.
func TestDispatcherWorkersSkipUnsubscribedAfterClaim(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const subscribers = 24
		b, _ := concurrentBundle(t, db, 4)
		start := at("2026-01-10 12:00")
		leaving := map[int64]bool{}
		for i := range subscribers {
			sub := b.subscribe(t, fmt.Sprintf("u%d@example.com", i), "UTC", "daily 20:30", start)
			leaving[sub.ID] = i%2 == 0
		}
		b.runDispatcher(t, start)
		if n := b.runScheduler(t, at("2026-01-10 20:30")); n != subscribers {
			t.Fatalf("queued %d prompts, want %d", n, subscribers)
		}
		b.disp.store = afterClaimOf{DB: db, then: func(c store.Claim) {
			if leaving[c.SubscriberID] {
				b.unsubscribe(t, c.SubscriberID, at("2026-01-10 20:30"))
			}
		}}
		if n := b.runDispatcher(t, at("2026-01-10 20:30")); n != subscribers/2 {
			t.Errorf("sent %d prompts, want %d", n, subscribers/2)
		}
		for id, left := range leaving {
			ds := b.deliveries(t, id, steady.KindPrompt)
			if len(ds) != 1 {
				t.Fatalf("subscriber %d has %d prompts, want 1", id, len(ds))
			}
			want, sends := steady.DeliverySent, 1
			if left {
				want, sends = steady.DeliveryCancelled, 0
			}
			if ds[0].Status != want || b.sendsOf(ds[0].ID) != sends {
				t.Errorf("subscriber %d (unsubscribed after the claim: %v): prompt %s, sent %d times; want %s, %d",
					id, left, ds[0].Status, b.sendsOf(ds[0].ID), want, sends)
			}
		}
	})
}
