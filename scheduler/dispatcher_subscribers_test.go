package scheduler

import (
	"context"
	"fmt"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// queuedPrompts subscribes n people due at 20:30, sends their
// confirmations, and queues their first prompts for 2026-01-10 20:30 UTC.
func queuedPrompts(t *testing.T, b *bundle, n int) []steady.Subscriber {
	t.Helper()
	start := at("2026-01-10 12:00")
	var subs []steady.Subscriber
	for i := range n {
		subs = append(subs, b.subscribe(t, fmt.Sprintf("p%d@example.com", i), "UTC", "daily 20:30", start))
	}
	if got := b.runDispatcher(t, start); got != n {
		t.Fatalf("confirmations: sent %d, want %d", got, n)
	}
	if got := b.runScheduler(t, at("2026-01-10 20:30")); got != n {
		t.Fatalf("queued %d prompts, want %d", got, n)
	}
	return subs
}

// One worker checks the subscribers of the deliveries it claimed together
// with one read, not one read before each send.
func TestDispatcherReadsSubscribersAhead(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, at("2026-01-10 12:00"))
		queuedPrompts(t, b, claimAhead)
		counted := &countingOutbox{DB: db}
		b.disp.store = counted
		if n := b.runDispatcher(t, at("2026-01-10 20:30")); n != claimAhead {
			t.Fatalf("sent %d, want %d", n, claimAhead)
		}
		if got := counted.reads.Load(); got != 1 {
			t.Errorf("%d subscriber reads for %d sends claimed together, want 1", got, claimAhead)
		}
	})
}

// A subscriber read ahead more than subscriberFresh before their turn
// (slow sends before it) is read again just before the send, so an
// unsubscribe that came meanwhile stops it.
func TestDispatcherReadsAStaleSubscriberAgain(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, at("2026-01-10 12:00"))
		subs := queuedPrompts(t, b, 3)
		b.clock.Set(at("2026-01-10 20:30"))
		counted := &countingOutbox{DB: db}
		b.disp.store = counted
		// The first send takes subscriberFresh, and meanwhile the last
		// subscriber leaves.
		last := subs[len(subs)-1]
		first := true
		b.sender.fail = func(m steady.Message) error {
			if first {
				first = false
				b.unsubscribe(t, last.ID, b.clock.Now())
				b.clock.Advance(subscriberFresh)
			}
			return nil
		}
		n, err := b.disp.RunOnce(context.Background())
		if err != nil || n != len(subs)-1 {
			t.Fatalf("sent %d, %v; want %d", n, err, len(subs)-1)
		}
		ds := b.deliveries(t, last.ID, steady.KindPrompt)
		if len(ds) != 1 || ds[0].Status != steady.DeliveryCancelled || b.sendsOf(ds[0].ID) != 0 {
			t.Errorf("the prompt of the subscriber who left: %+v, %d sends; want cancelled, none", ds, b.sendsOf(ds[0].ID))
		}
		// One read ahead, then each of the two left read alone.
		if got := counted.reads.Load(); got != 3 {
			t.Errorf("%d subscriber reads, want 3", got)
		}
	})
}

// A subscriber the read ahead did not find is read alone, which finds
// them (a row deleted meanwhile would be cancelled, as before): a missing
// row in the batch is not taken for a deleted subscriber.
func TestDispatcherSubscriberDeletedAfterReadAhead(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, at("2026-01-10 12:00"))
		subs := queuedPrompts(t, b, 2)
		b.disp.store = missingAhead{DB: db, missing: subs[1].ID}
		if n := b.runDispatcher(t, at("2026-01-10 20:30")); n != 2 {
			t.Fatalf("sent %d, want 2", n)
		}
	})
}

// missingAhead is the real store whose Subscribers leaves one subscriber
// out, as if they were deleted between the two reads.
type missingAhead struct {
	*store.DB
	missing int64
}

func (m missingAhead) Subscribers(ctx context.Context, ids []int64) ([]steady.Subscriber, error) {
	subs, err := m.DB.Subscribers(ctx, ids)
	out := subs[:0]
	for _, s := range subs {
		if s.ID != m.missing {
			out = append(out, s)
		}
	}
	return out, err
}
