package scheduler

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/themes"
)

func TestRunOnceQueuesADueSlotOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		start := at("2026-01-10 12:00")
		b := setup(t, db, start)
		sub := b.subscribe(t, "ann@example.com", "Europe/London", "daily 20:30", start)
		if want := at("2026-01-10 20:30"); !sub.NextSlot.Equal(want) {
			t.Fatalf("first slot = %s, want %s", sub.NextSlot, want)
		}

		if n := b.runScheduler(t, at("2026-01-10 20:29")); n != 0 {
			t.Errorf("a minute early: queued %d, want 0", n)
		}
		if n := b.runScheduler(t, at("2026-01-10 20:30")); n != 1 {
			t.Errorf("at the slot: queued %d, want 1", n)
		}
		if n := b.runScheduler(t, at("2026-01-10 20:30")); n != 0 {
			t.Errorf("again at the same time: queued %d, want 0", n)
		}
		if n := b.runScheduler(t, at("2026-01-10 20:31")); n != 0 {
			t.Errorf("a minute later: queued %d, want 0", n)
		}

		ds := b.deliveries(t, sub.ID, steady.KindPrompt)
		if len(ds) != 1 {
			t.Fatalf("got %d prompt deliveries, want 1", len(ds))
		}
		d := ds[0]
		if !d.Slot.Equal(at("2026-01-10 20:30")) || d.Status != steady.DeliveryQueued || d.Channel != steady.ChannelEmail {
			t.Errorf("delivery = slot %s, status %s, channel %s; want 20:30, queued, email", d.Slot, d.Status, d.Channel)
		}
		p, ok := themes.Default().Prompt(d.PromptID)
		if !ok || p.Theme != d.Theme || p.Text != d.PromptText {
			t.Errorf("delivery prompt = %q/%q/%q, want a catalog prompt", d.PromptID, d.Theme, d.PromptText)
		}
		if next := b.subscriber(t, sub.ID).NextSlot; !next.Equal(at("2026-01-11 20:30")) {
			t.Errorf("next slot = %s, want 2026-01-11 20:30", next)
		}
	})
}

func TestRunOnceAdvancesFromTheSlot(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		start := at("2026-01-05 07:00")
		b := setup(t, db, start)
		sub := b.subscribe(t, "ann@example.com", "UTC", "weekly mon,thu 08:00", start)
		// The tick runs 40 minutes late: the schedule does not move.
		if n := b.runScheduler(t, at("2026-01-05 08:40")); n != 1 {
			t.Fatalf("queued %d, want 1", n)
		}
		if next := b.subscriber(t, sub.ID).NextSlot; !next.Equal(at("2026-01-08 08:00")) {
			t.Errorf("next slot = %s, want Thursday 08:00", next)
		}
		if got := slots(b.deliveries(t, sub.ID, steady.KindPrompt)); !slices.Equal(got, []time.Time{at("2026-01-05 08:00")}) {
			t.Errorf("slots = %v, want the scheduled slot, not the tick", got)
		}
	})
}

func TestRunOnceCollapsesAnOutage(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		start := at("2026-01-10 12:00")
		b := setup(t, db, start)
		sub := b.subscribe(t, "ann@example.com", "Europe/London", "daily 20:30", start)
		// Down from before the first slot until three days later.
		back := at("2026-01-13 09:00")
		if n := b.runScheduler(t, back); n != 1 {
			t.Errorf("after the outage: queued %d, want 1", n)
		}
		if n := b.runScheduler(t, back.Add(time.Minute)); n != 0 {
			t.Errorf("a minute later: queued %d, want 0", n)
		}
		if got := slots(b.deliveries(t, sub.ID, steady.KindPrompt)); !slices.Equal(got, []time.Time{at("2026-01-10 20:30")}) {
			t.Errorf("slots = %v, want only the first missed slot", got)
		}
		// Not 20:30 today, hours after the catch-up: the first slot a day after it.
		if next := b.subscriber(t, sub.ID).NextSlot; !next.Equal(at("2026-01-14 20:30")) {
			t.Errorf("next slot = %s, want the first a day after now, 2026-01-14 20:30", next)
		}
		if n := b.runScheduler(t, at("2026-01-13 20:30")); n != 0 {
			t.Errorf("at today's slot: queued %d, want 0", n)
		}
		if n := b.runScheduler(t, at("2026-01-14 20:30")); n != 1 {
			t.Errorf("at the next slot: queued %d, want 1", n)
		}
	})
}

// TestRunOnceDST drives the scheduler minute by minute through the night of
// each clock change (and hourly the rest of the day) and checks that exactly
// one prompt is queued per day, at the right instant.
func TestRunOnceDST(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		zone     string
		schedule string
		from, to time.Time // local midnights
		want     []time.Time
	}{
		{
			name: "New York spring forward", zone: "America/New_York", schedule: "daily 02:30",
			from: at("2026-03-07 05:00"), to: at("2026-03-11 04:00"),
			want: []time.Time{at("2026-03-07 07:30"), at("2026-03-08 07:00"), at("2026-03-09 06:30"), at("2026-03-10 06:30")},
		},
		{
			name: "New York fall back", zone: "America/New_York", schedule: "daily 01:30",
			from: at("2026-10-31 04:00"), to: at("2026-11-04 05:00"),
			want: []time.Time{at("2026-10-31 05:30"), at("2026-11-01 05:30"), at("2026-11-02 06:30"), at("2026-11-03 06:30")},
		},
		{
			name: "London spring forward", zone: "Europe/London", schedule: "daily 01:30",
			from: at("2026-03-28 00:00"), to: at("2026-03-30 23:00"),
			want: []time.Time{at("2026-03-28 01:30"), at("2026-03-29 01:00"), at("2026-03-30 00:30")},
		},
		{
			name: "London fall back", zone: "Europe/London", schedule: "daily 01:30",
			from: at("2026-10-24 23:00"), to: at("2026-10-27 00:00"),
			want: []time.Time{at("2026-10-25 00:30"), at("2026-10-26 01:30")},
		},
		{
			name: "Santiago midnight gap", zone: "America/Santiago", schedule: "daily 00:30",
			from: at("2026-09-05 04:00"), to: at("2026-09-08 03:00"),
			want: []time.Time{at("2026-09-05 04:30"), at("2026-09-06 04:00"), at("2026-09-07 03:30")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				subscribed := tt.from.Add(-time.Minute)
				b := setup(t, db, subscribed)
				sub := b.subscribe(t, "ann@example.com", tt.zone, tt.schedule, subscribed)
				loc := mustLoc(t, tt.zone)
				var queuedAt []time.Time
				for now := tt.from; !now.After(tt.to); {
					if b.runScheduler(t, now) > 0 {
						queuedAt = append(queuedAt, now)
					}
					// Every minute from local 23:00 to 05:00, else every hour.
					if h := now.In(loc).Hour(); h >= 23 || h < 5 {
						now = now.Add(time.Minute)
					} else {
						now = now.Add(time.Hour)
					}
				}
				got := slots(b.deliveries(t, sub.ID, steady.KindPrompt))
				if !slices.Equal(got, tt.want) {
					t.Errorf("slots = %v\nwant    %v", got, tt.want)
				}
				if !slices.Equal(queuedAt, tt.want) {
					t.Errorf("queued at %v\nwant      %v", queuedAt, tt.want)
				}
			})
		})
	}
}

func TestRunOncePromptsRotate(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		start := at("2026-01-01 00:00")
		b := setup(t, db, start)
		sub := b.subscribe(t, "ann@example.com", "UTC", "daily 08:00", start)
		catalog := themes.Default()
		n := len(catalog.Prompts())
		for day := range n + 3 {
			if got := b.runScheduler(t, at("2026-01-01 08:00").AddDate(0, 0, day)); got != 1 {
				t.Fatalf("day %d: queued %d, want 1", day, got)
			}
		}
		ds := b.deliveries(t, sub.ID, steady.KindPrompt)
		if len(ds) != n+3 {
			t.Fatalf("got %d prompts, want %d", len(ds), n+3)
		}
		for i := range ds {
			if i > 0 && ds[i].Theme == ds[i-1].Theme {
				t.Errorf("prompts %d and %d share the theme %s", i-1, i, ds[i].Theme)
			}
			if i >= n && ds[i].PromptID != ds[i-n].PromptID {
				t.Errorf("prompt %d = %s, want the rotation to repeat %s", i, ds[i].PromptID, ds[i-n].PromptID)
			}
		}
		seen := map[string]bool{}
		for _, d := range ds[:n] {
			if seen[d.PromptID] {
				t.Errorf("prompt %s repeated within %d prompts", d.PromptID, n)
			}
			seen[d.PromptID] = true
		}
	})
}

func TestRunOnceSkipsInactiveSubscribers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		start := at("2026-01-10 12:00")
		b := setup(t, db, start)
		active := b.subscribe(t, "ann@example.com", "UTC", "daily 20:30", start)
		gone := b.subscribe(t, "bob@example.com", "UTC", "daily 20:30", start)
		b.unsubscribe(t, gone.ID, start.Add(time.Hour))
		pending, err := db.RequestSubscription(context.Background(), store.SubscriptionRequest{
			Channel: steady.ChannelEmail, Address: "cat@example.com", TimeZone: "UTC",
			Schedule: mustSchedule(t, "daily 20:30"), Consent: steady.Consent{Method: "web"}, Now: start,
		})
		if err != nil {
			t.Fatal(err)
		}

		if n := b.runScheduler(t, at("2026-01-10 20:30")); n != 1 {
			t.Errorf("queued %d, want 1", n)
		}
		for _, id := range []int64{gone.ID, pending.Subscriber.ID} {
			if ds := b.deliveries(t, id, steady.KindPrompt); len(ds) != 0 {
				t.Errorf("subscriber %d (%s) got %d prompts", id, b.subscriber(t, id).Status, len(ds))
			}
		}
		if ds := b.deliveries(t, active.ID, steady.KindPrompt); len(ds) != 1 {
			t.Errorf("the active subscriber got %d prompts, want 1", len(ds))
		}
	})
}

func TestRunOnceBatches(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		start := at("2026-01-10 12:00")
		b := setup(t, db, start)
		b.sched.batchSize = 2
		for i := range 5 {
			b.subscribe(t, fmt.Sprintf("p%d@example.com", i), "UTC", "daily 20:30", start)
		}
		if n := b.runScheduler(t, at("2026-01-10 20:30")); n != 5 {
			t.Errorf("queued %d, want all 5", n)
		}
	})
}

func TestPlan(t *testing.T) {
	t.Parallel()
	s, err := New(Config{Store: struct{ Store }{}, Catalog: themes.Default()})
	if err != nil {
		t.Fatal(err)
	}
	now := at("2026-01-13 09:00")
	sub := steady.Subscriber{
		ID: 42, Channel: steady.ChannelEmail, Address: "ann@example.com", TimeZone: "Europe/London",
		Schedule: mustSchedule(t, "daily 20:30"), Status: steady.StatusActive, NextSlot: at("2026-01-10 20:30"),
	}
	plan := s.plan(now)

	d, next, err := plan(sub, "")
	if err != nil {
		t.Fatal(err)
	}
	first := themes.Default().Next("", 42)
	want := steady.Delivery{SubscriberID: 42, Kind: steady.KindPrompt, Channel: steady.ChannelEmail,
		Slot: sub.NextSlot, PromptID: first.ID, Theme: first.Theme, PromptText: first.Text}
	if d != want {
		t.Errorf("delivery = %+v\nwant       %+v", d, want)
	}
	if !next.Equal(at("2026-01-14 20:30")) {
		t.Errorf("next = %s, want the first slot a day after the catch-up", next)
	}
	if d, _, _ := plan(sub, first.ID); d.PromptID != themes.Default().Next(first.ID, 42).ID {
		t.Errorf("after %s: prompt %s, want the catalog's next", first.ID, d.PromptID)
	}

	sub.TimeZone = "Mars/Olympus_Mons"
	_, _, err = plan(sub, "")
	if !steady.IsInvalid(err) || !strings.Contains(err.Error(), "subscriber 42") {
		t.Errorf("bad zone: err = %v, want a validation error naming subscriber 42", err)
	}
}

func TestTickUsesTheClockAndWakesTheDispatcher(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	start := at("2026-01-10 12:00")
	b := setup(t, db, start)
	sub := b.subscribe(t, "ann@example.com", "UTC", "daily 20:30", start)
	b.clock.Set(at("2026-01-10 20:30"))
	b.sched.tick(context.Background())
	if ds := b.deliveries(t, sub.ID, steady.KindPrompt); len(ds) != 1 {
		t.Errorf("tick at the clock's time queued %d prompts, want 1", len(ds))
	}
	if len(b.disp.wake) != 1 {
		t.Error("tick did not wake the dispatcher")
	}
}

func TestStartStop(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite(t), at("2026-01-10 12:00"))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := b.sched.Stop(ctx); err != nil {
		t.Errorf("Stop before Start: %v", err)
	}
	if err := b.sched.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.sched.Start(ctx); err == nil {
		t.Error("a second Start succeeded")
	}
	if err := b.sched.Stop(ctx); err != nil {
		t.Errorf("Stop: %v", err)
	}
}

// A started scheduler ticks at once, so a worker restarted after an outage
// queues what came due without waiting for the minute.
func TestStartTicksAtOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		start := at("2026-01-10 12:00")
		b := setup(t, db, start)
		sub := b.subscribe(t, "ann@example.com", "UTC", "daily 20:30", start)
		b.clock.Set(at("2026-01-10 20:30"))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := b.sched.Start(ctx); err != nil {
			t.Fatal(err)
		}
		select {
		case <-b.sched.FirstTick():
		case <-ctx.Done():
			t.Fatal("the first tick did not finish")
		}
		if ps := b.deliveries(t, sub.ID, steady.KindPrompt); len(ps) != 1 {
			t.Errorf("after Start: %d prompts queued, want 1", len(ps))
		}
		if err := b.sched.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
}

// Config.Every is the cron spec Start ticks on; one that does not parse
// stops Start with an error instead of a scheduler that never ticks.
func TestStartRefusesABadSpec(t *testing.T) {
	t.Parallel()
	s, err := New(Config{Store: struct{ Store }{}, Catalog: themes.Default(), Every: "every minute"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); err == nil {
		t.Error("Start accepted the spec \"every minute\"")
		_ = s.Stop(context.Background())
	}
}
