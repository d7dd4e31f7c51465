package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestTimeRoundTrip(t *testing.T) {
	t.Parallel()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	times := []time.Time{
		time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 999999999, time.UTC), // truncated, not rounded
		time.Date(2026, 7, 1, 9, 0, 0, 1000, tokyo),         // a non-UTC zone comes back as UTC
		time.Date(1999, 12, 31, 23, 59, 59, 500000000, time.UTC),
		time.Now(), // with a monotonic reading
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for i, in := range times {
			sub := active(t, db, fmt.Sprintf("t%d@example.com", i), in)
			want := in.UTC().Truncate(time.Microsecond)
			got := mustSubscriber(t, db, sub.ID).NextSlot
			if !got.Equal(want) || got.Location() != time.UTC {
				t.Errorf("stored %v, read %v (%v); want %v", in, got, got.Location(), want)
			}
			if !sub.CreatedAt.Equal(t0.Truncate(time.Microsecond)) || sub.CreatedAt.Location() != time.UTC {
				t.Errorf("CreatedAt = %v", sub.CreatedAt)
			}
			if !sub.PausedUntil.IsZero() || !sub.UnsubscribedAt.IsZero() {
				t.Errorf("NULL times read as %v, %v", sub.PausedUntil, sub.UnsubscribedAt)
			}
		}
	})
}

// next_slot <= now must compare instants, whatever zone or precision the
// times were given in.
func TestTimeOrdering(t *testing.T) {
	t.Parallel()
	nyc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	slots := []struct {
		at  time.Time
		due bool
	}{
		{now.Add(-time.Microsecond), true},
		{now, true},
		{now.Add(time.Microsecond), false},
		{now.Add(-9 * time.Hour), true},                    // an earlier hour, a shorter string in some layouts
		{time.Date(2026, 3, 1, 4, 59, 0, 0, nyc), true},    // 09:59 UTC
		{time.Date(2026, 3, 1, 5, 0, 0, 1000, nyc), false}, // 10:00:00.000001 UTC
		{time.Date(2026, 2, 28, 23, 0, 0, 0, nyc), true},   // 1 March 04:00 UTC; a later date in its own zone text
		{now.Add(100 * 24 * time.Hour), false},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		wantDue := map[int64]bool{}
		for i, s := range slots {
			sub := active(t, db, fmt.Sprintf("o%d@example.com", i), s.at)
			wantDue[sub.ID] = s.due
		}
		var claimed []steady.Subscriber
		plan := func(sub steady.Subscriber, last string) (steady.Delivery, time.Time, error) {
			claimed = append(claimed, sub)
			return planDaily(sub, last)
		}
		if _, err := db.ClaimDue(ctx, now, 100, plan); err != nil {
			t.Fatal(err)
		}
		got := map[int64]bool{}
		for i, s := range claimed {
			got[s.ID] = true
			if i > 0 && s.NextSlot.Before(claimed[i-1].NextSlot) {
				t.Errorf("claimed out of order: %v before %v", claimed[i-1].NextSlot, s.NextSlot)
			}
		}
		for id, due := range wantDue {
			if got[id] != due {
				t.Errorf("subscriber %d (slot %v): claimed %v, want %v", id, mustSubscriber(t, db, id).NextSlot, got[id], due)
			}
		}
	})
}
