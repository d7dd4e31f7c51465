package scheduler

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/themes"
)

// BenchmarkRunOnce measures one minute's tick when every subscriber is due
// at once (the worst minute: everyone chose 20:30 in the same zone). Each
// iteration is the next day's tick, which claims every subscriber, writes
// one delivery each and advances their slot. The scheduler holds no
// per-subscriber state, so its memory does not grow with the list.
//
//	go test -run '^$' -bench RunOnce -benchtime 5x ./scheduler
func BenchmarkRunOnce(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		for name, open := range map[string]func(testing.TB) *store.DB{"sqlite": storetest.SQLite, "postgres": storetest.Postgres} {
			b.Run(fmt.Sprintf("%s/subscribers=%d", name, n), func(b *testing.B) {
				db := open(b)
				start := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
				first := seedDaily(b, db, n, start)
				s, err := New(Config{Store: db, Catalog: themes.Default(), Clock: steady.NewManualClock(start),
					Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
				if err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for i := range b.N {
					now := first.AddDate(0, 0, i).Add(time.Minute)
					got, err := s.runOnce(context.Background(), now)
					if err != nil || got != n {
						b.Fatalf("tick %d claimed %d, %v; want %d", i, got, err, n)
					}
				}
				b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "prompts/s")
			})
		}
	}
}

// seedDaily subscribes and confirms n addresses for a daily 20:30 prompt in
// New York and returns their first slot.
func seedDaily(tb testing.TB, db *store.DB, n int, now time.Time) time.Time {
	tb.Helper()
	ctx := context.Background()
	sched, err := steady.NewSchedule("daily", nil, 0, "20:30", now)
	if err != nil {
		tb.Fatal(err)
	}
	loc, err := steady.LoadLocation("America/New_York")
	if err != nil {
		tb.Fatal(err)
	}
	next := func(s steady.Subscriber) (time.Time, error) { return s.Schedule.Next(now, loc), nil }
	var first time.Time
	for i := range n {
		res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{
			Channel: steady.ChannelEmail, Address: fmt.Sprintf("bench%d@example.org", i), TimeZone: "America/New_York",
			Schedule: sched, Consent: steady.Consent{Method: "api", Wording: "benchmark"}, Now: now,
		})
		if err != nil {
			tb.Fatal(err)
		}
		sub, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "web"}, now, next)
		if err != nil {
			tb.Fatal(err)
		}
		first = sub.NextSlot
	}
	return first
}
