package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestQueueDepth(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		check := func(now time.Time, wantQueued, wantSending int, wantOldest time.Time) {
			t.Helper()
			q, s, oldest, err := db.QueueDepth(ctx, now)
			if err != nil {
				t.Fatal(err)
			}
			if q != wantQueued || s != wantSending || !oldest.Equal(wantOldest) {
				t.Errorf("QueueDepth(%s) = %d queued, %d sending, oldest %s; want %d, %d, %s",
					now.Format(time.TimeOnly), q, s, oldest, wantQueued, wantSending, wantOldest)
			}
		}
		check(t0, 0, 0, time.Time{})
		// Three confirmations, due at t0, t0+1m, t0+2m.
		for i, addr := range []string{"q1@example.com", "q2@example.com", "q3@example.com"} {
			if _, err := db.RequestSubscription(ctx, request(addr, t0.Add(time.Duration(i)*time.Minute))); err != nil {
				t.Fatal(err)
			}
		}
		due0 := t0.Truncate(time.Microsecond)
		// Before any is due: all queued, none overdue.
		check(t0.Add(-time.Second), 3, 0, time.Time{})
		check(t0.Add(90*time.Second), 3, 0, due0)
		// Claiming the oldest moves it to sending; the next one is the oldest due.
		now := t0.Add(90 * time.Second)
		if _, err := db.ClaimNext(ctx, now, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		check(now, 2, 1, t0.Add(time.Minute).Truncate(time.Microsecond))
		if err := db.Ping(ctx); err != nil {
			t.Errorf("Ping: %v", err)
		}
	})
}

func TestPingClosed(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		if err := db.Ping(context.Background()); err == nil {
			t.Error("Ping on a closed database: nil error")
		}
		if _, _, _, err := db.QueueDepth(context.Background(), t0); err == nil {
			t.Error("QueueDepth on a closed database: nil error")
		}
	})
}
