package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// A sign-up over a limit is refused with a *LimitError saying when the
// window frees, and stores nothing: no subscriber, consent, delivery or
// count. OnConfirm limits count only sign-ups that queue a confirmation.
func TestRequestSubscriptionLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 3, 1, 12, 45, 0, 0, time.UTC)
		limited := func(addr string) store.SubscriptionRequest {
			req := request(addr, now)
			req.Limits = []store.RateLimit{
				{Scope: "ip", Key: "k-ip", Window: time.Hour, Max: 3},
				{Scope: "mailbox", Key: "k-" + addr, Window: 24 * time.Hour, Max: 1, OnConfirm: true},
				{Scope: "off", Window: time.Hour, Max: 0},
			}
			return req
		}
		for i := range 2 {
			if _, err := db.RequestSubscription(ctx, limited(fmt.Sprintf("p%d@example.org", i))); err != nil {
				t.Fatal(err)
			}
		}
		// A repeat within ResendAfter queues nothing: it takes the IP
		// count, not the mailbox's.
		res, err := db.RequestSubscription(ctx, limited("p0@example.org"))
		if err != nil || res.ConfirmQueued {
			t.Fatalf("repeat: %+v, %v", res, err)
		}
		if n, err := db.RateCount(ctx, "mailbox", "k-p0@example.org", 24*time.Hour, now); err != nil || n != 1 {
			t.Errorf("mailbox count after a repeat = %d, %v; want 1", n, err)
		}
		if n, err := db.RateCount(ctx, "off", "", time.Hour, now); err != nil || n != 0 {
			t.Errorf("a limit of 0 counted %d, %v", n, err)
		}
		subs, _ := db.ListSubscribers(ctx)
		_, err = db.RequestSubscription(ctx, limited("p9@example.org"))
		l, ok := store.IsLimited(err)
		if !ok || l.Scope != "ip" || l.RetryAfter != 15*time.Minute {
			t.Fatalf("4th sign-up from the IP: %v; want the ip limit, free in 15m", err)
		}
		if after, _ := db.ListSubscribers(ctx); len(after) != len(subs) {
			t.Errorf("a refused sign-up stored a subscriber: %d, then %d", len(subs), len(after))
		}
		if n, _ := db.RateCount(ctx, "ip", "k-ip", time.Hour, now); n != 3 {
			t.Errorf("ip count = %d after a refusal, want 3 (the refusal rolled back)", n)
		}

		// The mailbox limit refuses after the subscriber would be written:
		// it is rolled back all the same.
		later := now.Add(time.Hour) // a new IP window, the same day
		req := limited("p1@example.org")
		req.Now = later
		_, err = db.RequestSubscription(ctx, req)
		if l, ok := store.IsLimited(err); !ok || l.Scope != "mailbox" || l.RetryAfter != 24*time.Hour-13*time.Hour-45*time.Minute {
			t.Fatalf("second confirmation for a mailbox: %v", err)
		}
		sub, err := db.SubscriberByAddress(ctx, req.Channel, "p1@example.org")
		if err != nil {
			t.Fatal(err)
		}
		if ds, _ := db.Deliveries(ctx, sub.ID); len(ds) != 1 {
			t.Errorf("%d deliveries after the refusal, want the first confirmation only", len(ds))
		}
		if cs, _ := db.Consents(ctx, sub.ID); len(cs) != 1 {
			t.Errorf("%d consents after the refusal, want 1", len(cs))
		}
		if n, _ := db.RateCount(ctx, "ip", "k-ip", time.Hour, later); n != 0 {
			t.Errorf("ip count of the refused sign-up's window = %d, want 0", n)
		}

		// Refusals are counted on their own; expired windows are pruned.
		for want := 1; want <= 2; want++ {
			if n, err := db.CountRefusal(ctx, "ip", time.Hour, now); err != nil || n != want {
				t.Errorf("CountRefusal = %d, %v; want %d", n, err, want)
			}
		}
		gone, err := db.PruneRateCounters(ctx, now.Add(15*time.Minute)) // 13:00: the 12:00 hour ended
		if err != nil || gone != 2 {
			t.Errorf("pruned %d, %v; want the ip and refusal counters of 12:00", gone, err)
		}
		if n, _ := db.RateCount(ctx, "mailbox", "k-p0@example.org", 24*time.Hour, now); n != 1 {
			t.Errorf("the day's mailbox counter was pruned with the hour's")
		}
	})
}

// Many sign-ups at once against one global counter: exactly Max get
// through, on both databases (an upsert, atomic in the transaction).
func TestRateLimitConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n, max = 30, 7
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, refused := 0, 0
		for i := range n {
			wg.Go(func() {
				req := request(fmt.Sprintf("c%d@example.org", i), t0)
				req.Limits = []store.RateLimit{{Scope: "confirm-hour:email", Window: time.Hour, Max: max, OnConfirm: true}}
				_, err := db.RequestSubscription(ctx, req)
				mu.Lock()
				defer mu.Unlock()
				if _, limited := store.IsLimited(err); limited {
					refused++
				} else if err != nil {
					t.Errorf("sign-up %d: %v", i, err)
				} else {
					ok++
				}
			})
		}
		wg.Wait()
		if ok != max || refused != n-max {
			t.Errorf("%d accepted, %d refused; want %d and %d", ok, refused, max, n-max)
		}
	})
}
