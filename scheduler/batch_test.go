package scheduler

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/themes"
)

// faultStore is a Store whose ClaimDue is a function, for faults.
type faultStore struct {
	claimDue func(ctx context.Context, now time.Time, limit int, plan store.PlanFunc) (int, error)
}

func (f faultStore) ClaimDue(ctx context.Context, now time.Time, limit int, plan store.PlanFunc) (int, error) {
	return f.claimDue(ctx, now, limit, plan)
}

// batchScheduler is a Scheduler on st taking batches of size.
func batchScheduler(t *testing.T, st Store, size int) *Scheduler {
	t.Helper()
	s, err := New(Config{Store: st, Catalog: themes.Default(), BatchSize: size, Clock: steady.NewManualClock(time.Time{})})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkOnePromptEach fails unless every subscriber has exactly days
// prompts, one per daily slot from first, each the catalog's next after
// the one before (the first starting at the subscriber's own position).
func checkOnePromptEach(t *testing.T, db *store.DB, n int, first time.Time, days int) {
	t.Helper()
	catalog := themes.Default()
	for id := int64(1); id <= int64(n); id++ {
		ds, err := db.Deliveries(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != days {
			t.Fatalf("subscriber %d has %d deliveries, want %d", id, len(ds), days)
		}
		last := ""
		for day, d := range ds {
			loc := mustLoc(t, "America/New_York")
			slot := first.In(loc).AddDate(0, 0, day)
			want := catalog.Next(last, id)
			if d.Kind != steady.KindPrompt || !d.Slot.Equal(slot) || d.PromptID != want.ID {
				t.Fatalf("subscriber %d day %d: %s %s at %s; want prompt %s at %s", id, day, d.Kind, d.PromptID, d.Slot, want.ID, slot)
			}
			last = d.PromptID
		}
	}
}

// A tick of many batches (each its own transaction) plans every due
// subscriber once, and the next day's batches see each one's latest prompt.
func TestRunOnceBatchesPlanEachOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const n = 23
		start := at("2026-11-26 12:00")
		first := seedDaily(t, db, n, start)
		calls := 0
		s := batchScheduler(t, faultStore{func(ctx context.Context, now time.Time, limit int, plan store.PlanFunc) (int, error) {
			calls++
			return db.ClaimDue(ctx, now, limit, plan)
		}}, 4)
		for day := range 3 {
			got, err := s.runOnce(context.Background(), first.AddDate(0, 0, day).Add(time.Minute))
			if err != nil || got != n {
				t.Fatalf("day %d: queued %d, %v; want %d", day, got, err, n)
			}
		}
		if calls != 3*(n/4+1) {
			t.Errorf("%d batches, want %d a day", calls, n/4+1)
		}
		checkOnePromptEach(t, db, n, first, 3)
	})
}

// Claimers side by side plan every due subscriber once, whatever order
// their batches take: on PostgreSQL each skips the rows another holds, on
// SQLite they take the writer in turn. The calls are counted to see that
// the tick did go on after its first batch, in more than one loop.
func TestRunOnceClaimersPlanEachOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const n, size = 47, 4
		start := at("2026-11-26 12:00")
		first := seedDaily(t, db, n, start)
		var calls atomic.Int64
		st := faultStore{func(ctx context.Context, now time.Time, limit int, plan store.PlanFunc) (int, error) {
			calls.Add(1)
			return db.ClaimDue(ctx, now, limit, plan)
		}}
		s, err := New(Config{Store: st, Catalog: themes.Default(), BatchSize: size, Claimers: 3,
			Clock: steady.NewManualClock(time.Time{})})
		if err != nil {
			t.Fatal(err)
		}
		for day := range 3 {
			got, err := s.runOnce(context.Background(), first.AddDate(0, 0, day).Add(time.Minute))
			if err != nil || got != n {
				t.Fatalf("day %d: queued %d, %v; want %d", day, got, err, n)
			}
		}
		// Each day: n/size+1 batches if one loop took them all, and one
		// short batch more for each other loop.
		if c := calls.Load(); c < 3*(n/size+1)+3 {
			t.Errorf("%d batches in 3 days; want at least %d: the other claimers never ran", c, 3*(n/size+1)+3)
		}
		checkOnePromptEach(t, db, n, first, 3)
	})
}

// A tick cut short mid-batch (its context cancelled, as a stopping worker's
// is) commits the batches before, rolls the cut one back whole, and the
// next tick queues the rest: nothing lost, nothing doubled.
func TestRunOnceCutMidBatchLosesAndDoublesNothing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const n, size = 23, 5
		start := at("2026-11-26 12:00")
		first := seedDaily(t, db, n, start)
		now := first.Add(time.Minute)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		calls := 0
		s := batchScheduler(t, faultStore{func(ctx context.Context, now time.Time, limit int, plan store.PlanFunc) (int, error) {
			calls++
			if calls != 3 {
				return db.ClaimDue(ctx, now, limit, plan)
			}
			planned := 0
			return db.ClaimDue(ctx, now, limit, func(sub steady.Subscriber, last string) (steady.Delivery, time.Time, error) {
				if planned++; planned == 2 {
					cancel() // the third batch stops after planning its second subscriber
				}
				return plan(sub, last)
			})
		}}, size)
		got, err := s.runOnce(ctx, now)
		if got != 2*size || !errors.Is(err, context.Canceled) {
			t.Fatalf("cut tick queued %d, %v; want %d and context.Canceled", got, err, 2*size)
		}
		got, err = s.runOnce(context.Background(), now)
		if err != nil || got != n-2*size {
			t.Fatalf("next tick queued %d, %v; want %d", got, err, n-2*size)
		}
		checkOnePromptEach(t, db, n, first, 1)
		// And the day after goes on from there.
		if got, err := s.runOnce(context.Background(), now.AddDate(0, 0, 1)); err != nil || got != n {
			t.Fatalf("next day queued %d, %v; want %d", got, err, n)
		}
		checkOnePromptEach(t, db, n, first, 2)
	})
}
