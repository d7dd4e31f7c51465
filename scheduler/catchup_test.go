package scheduler

import (
	"fmt"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// simulateDay runs the scheduler from restart for 24 hours: a tick at the
// restart and a minute after it, then one at each moment something can be
// due, the subscriber's stored next slot. It returns the subscriber's prompt
// deliveries (all of which were queued in the window, as the subscriber had
// none before it) and the next slot left at the end.
func simulateDay(t *testing.T, b *bundle, subscriberID int64, restart time.Time) ([]steady.Delivery, time.Time) {
	t.Helper()
	end := restart.Add(24 * time.Hour)
	b.runScheduler(t, restart)
	now := restart.Add(time.Minute)
	b.runScheduler(t, now)
	for {
		next := b.subscriber(t, subscriberID).NextSlot
		if next.IsZero() {
			t.Fatalf("restart %s: the subscriber has no next slot after the tick at %s", restart, now)
		}
		if !next.Before(end) {
			return b.deliveries(t, subscriberID, steady.KindPrompt), next
		}
		if !next.After(now) {
			t.Fatalf("restart %s: next slot %s is not after the tick at %s that should have claimed it", restart, next, now)
		}
		now = next
		b.runScheduler(t, now)
	}
}

// describe lists deliveries by slot and the time they were queued.
func describe(ds []steady.Delivery) string {
	s := ""
	for _, d := range ds {
		s += fmt.Sprintf("\n\tslot %s queued %s", d.Slot.UTC().Format(time.DateTime), d.CreatedAt.UTC().Format(time.DateTime))
	}
	return s
}

// TestRunOnceOutageSendsOnePromptPerDay is issue 8's done-when: a daily
// subscriber back from a 72-hour outage gets exactly one prompt in the 24
// hours after the restart, whatever the time of the restart.
func TestRunOnceOutageSendsOnePromptPerDay(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const zone = "America/New_York"
		loc := mustLoc(t, zone)
		// Restart times every 20 minutes across a local day, and a few
		// around the 20:00 slot.
		var clock []time.Duration
		for m := 0; m < 24*60; m += 20 {
			clock = append(clock, time.Duration(m)*time.Minute)
		}
		for _, m := range []int{19*60 + 55, 19*60 + 59, 20*60 + 1, 20*60 + 5} {
			clock = append(clock, time.Duration(m)*time.Minute)
		}

		b := setup(t, db, at("2026-01-01 00:00"))
		for i, c := range clock {
			// One subscriber per restart, each restart on a date 6 days after
			// the last, so time only moves forward and one run's ticks never
			// reach the next subscriber's outage. The dates cross both 2026
			// clock changes.
			y, m, d := time.Date(2026, 1, 10+6*i, 0, 0, 0, 0, loc).Date()
			restart := time.Date(y, m, d, int(c.Hours()), int(c.Minutes())%60, 0, 0, loc)
			// Steady went down 72 hours before the restart; the subscriber's
			// stored next slot is the first after that.
			down := restart.Add(-72 * time.Hour)
			sub := b.subscribe(t, fmt.Sprintf("p%d@example.com", i), zone, "daily 20:00", down)

			ds, next := simulateDay(t, b, sub.ID, restart)
			local := restart.In(loc).Format("2006-01-02 15:04 MST")
			if len(ds) != 1 {
				t.Errorf("restart at %s: %d prompts in the next 24 hours, want 1:%s", local, len(ds), describe(ds))
			} else if !ds[0].Slot.Equal(sub.NextSlot) || !ds[0].CreatedAt.Equal(restart) {
				t.Errorf("restart at %s: prompt for slot %s queued %s, want the missed slot %s queued at the restart",
					local, ds[0].Slot, ds[0].CreatedAt, sub.NextSlot)
			}
			// The schedule resumes: the next prompt is within two local days.
			if limit := restart.Add(49 * time.Hour); !next.Before(limit) {
				t.Errorf("restart at %s: next slot %s, want before %s", local, next.In(loc), limit.In(loc))
			}
			b.unsubscribe(t, sub.ID, restart.Add(24*time.Hour))
		}
	})
}

// TestRunOnceOneMissedSlotIsNotDoubled: the slot yesterday at 20:00 was
// missed and Steady is back today at 19:55. The catch-up goes out at 19:55;
// today's 20:00, five minutes later, is not sent as well.
func TestRunOnceOneMissedSlotIsNotDoubled(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const zone = "America/New_York"
		loc := mustLoc(t, zone)
		subscribed := time.Date(2026, 1, 19, 19, 0, 0, 0, loc)
		b := setup(t, db, subscribed)
		sub := b.subscribe(t, "ann@example.com", zone, "daily 20:00", subscribed)
		if want := time.Date(2026, 1, 19, 20, 0, 0, 0, loc); !sub.NextSlot.Equal(want) {
			t.Fatalf("first slot = %s, want %s", sub.NextSlot, want)
		}

		restart := time.Date(2026, 1, 20, 19, 55, 0, 0, loc)
		ds, next := simulateDay(t, b, sub.ID, restart)
		if len(ds) != 1 {
			t.Errorf("%d prompts in the 24 hours after the restart, want 1:%s", len(ds), describe(ds))
		}
		if want := time.Date(2026, 1, 21, 20, 0, 0, 0, loc); !next.Equal(want) {
			t.Errorf("next slot = %s, want tomorrow's, %s", next.In(loc), want)
		}
	})
}
