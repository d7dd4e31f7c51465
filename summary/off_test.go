package summary

import (
	"context"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// A subscriber who turned the monthly summary off on their settings page
// gets none, neither from the minute pass nor from `steady summaries send`,
// and gets next month's again once they turn it back on.
func TestSummaryTurnedOffIsNotSent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
		b := setup(t, db, now)
		ctx := context.Background()
		off := b.subscribe(t, "off@example.org", "Europe/London", 8, steady.ChannelEmail)
		on := b.subscribe(t, "on@example.org", "Europe/London", 8, steady.ChannelEmail)
		for _, sub := range []steady.Subscriber{off, on} {
			b.reply(t, sub, time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC), "he lied to me again")
		}
		if _, err := db.SetPreferences(ctx, off.ID, steady.Preferences{SummariesOff: true}); err != nil {
			t.Fatal(err)
		}
		svc := b.service(t)
		if err := svc.RunOnce(ctx, now); err != nil {
			t.Fatal(err)
		}
		if n := len(b.previews(t, on.Address)); n != 1 {
			t.Fatalf("the subscriber with summaries on got %d, want 1", n)
		}
		if n := len(b.previews(t, off.Address)); n != 0 {
			t.Fatalf("the subscriber who turned summaries off got %d, want 0", n)
		}
		sub, err := db.Subscriber(ctx, off.ID)
		if err != nil {
			t.Fatal(err)
		}
		res, err := svc.Send(ctx, sub, MonthOf(now, time.UTC).Prev(), false)
		if err != nil {
			t.Fatal(err)
		}
		if res.Outcome != OutcomeOff || len(b.previews(t, off.Address)) != 0 {
			t.Fatalf("summaries send for a subscriber with summaries off: %q, %d sent", res.Outcome, len(b.previews(t, off.Address)))
		}
		if _, err := db.SetPreferences(ctx, off.ID, steady.Preferences{}); err != nil {
			t.Fatal(err)
		}
		b.reply(t, off, time.Date(2026, 12, 10, 12, 0, 0, 0, time.UTC), "she did not keep her word")
		for _, at := range []time.Time{now.Add(24 * time.Hour), time.Date(2027, 1, 1, 12, 0, 0, 0, time.UTC)} {
			if err := svc.RunOnce(ctx, at); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(b.previews(t, off.Address)); n != 1 {
			t.Fatalf("after turning summaries back on: %d sent, want January's 1", n)
		}
	})
}
