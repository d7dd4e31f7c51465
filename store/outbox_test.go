package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestOutboxStateMachine(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Three queued confirmations, due at t0, t0+1m, t0+2m.
		var ids []int64
		for i, addr := range []string{"o1@example.com", "o2@example.com", "o3@example.com"} {
			res, err := db.RequestSubscription(ctx, request(addr, t0.Add(time.Duration(i)*time.Minute)))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, mustDeliveries(t, db, res.Subscriber.ID)[0].ID)
		}

		now := t0.Add(90 * time.Second)
		lease := now.Add(time.Minute)
		if _, err := db.ClaimNext(ctx, now, now); !steady.IsInvalid(err) {
			t.Errorf("a lease ending now: err = %v, want invalid", err)
		}
		ds := storetest.Claim(t, db, now)
		if len(ds) != 2 || ds[0].ID != ids[0] || ds[1].ID != ids[1] {
			t.Fatalf("claimed %+v, want the two due, oldest first", ds)
		}
		for _, d := range ds {
			// Claiming is not trying: attempts stay 0 and nothing is marked in flight.
			if d.Status != steady.DeliverySending || d.Attempts != 0 || !d.AttemptedAt.IsZero() || d.Token == "" ||
				!d.LeaseUntil.Equal(lease.Truncate(time.Microsecond)) || !d.UpdatedAt.Equal(now.Truncate(time.Microsecond)) {
				t.Errorf("claimed delivery = %+v", d)
			}
		}
		if ds[0].Token == ds[1].Token {
			t.Error("two claims share a token")
		}
		if _, err := db.ClaimNext(ctx, now, lease); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("claimed again: err = %v, want ErrNotFound", err)
		}

		// Sent.
		sentAt := now.Add(time.Second)
		if err := db.FinishDelivery(ctx, ds[0], store.Outcome{Status: steady.DeliverySent, ProviderID: "smtp-1", Attempts: 1, Now: sentAt}); err != nil {
			t.Fatal(err)
		}
		d, _ := db.Delivery(ctx, ids[0])
		if d.Status != steady.DeliverySent || d.ProviderID != "smtp-1" || d.Attempts != 1 || !d.SentAt.Equal(sentAt.Truncate(time.Microsecond)) || !d.LeaseUntil.IsZero() {
			t.Errorf("after sent: %+v", d)
		}
		// Only by the claim that holds it.
		err := db.FinishDelivery(ctx, ds[0], store.Outcome{Status: steady.DeliveryFailed, Now: sentAt})
		if !errors.Is(err, steady.ErrConflict) {
			t.Errorf("finish a sent delivery: err = %v, want ErrConflict", err)
		}
		forged := ds[1]
		forged.Token = "not-the-token"
		if err := db.FinishDelivery(ctx, forged, store.Outcome{Status: steady.DeliverySent, Now: sentAt}); !errors.Is(err, steady.ErrConflict) {
			t.Errorf("finish with another token: err = %v, want ErrConflict", err)
		}
		queued := store.Claim{Delivery: steady.Delivery{ID: ids[2]}}
		if err := db.FinishDelivery(ctx, queued, store.Outcome{Status: steady.DeliverySent, Now: sentAt}); !errors.Is(err, steady.ErrConflict) {
			t.Errorf("finish a queued delivery: err = %v, want ErrConflict", err)
		}
		if err := db.FinishDelivery(ctx, store.Claim{Delivery: steady.Delivery{ID: 9999}}, store.Outcome{Status: steady.DeliverySent, Now: sentAt}); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("finish a missing delivery: err = %v, want ErrNotFound", err)
		}
		if err := db.FinishDelivery(ctx, ds[1], store.Outcome{Status: "sending", Now: sentAt}); !steady.IsInvalid(err) {
			t.Errorf("finish as sending: err = %v, want invalid", err)
		}

		// Retry later: back to queued, claimable only from NextAttemptAt.
		retry := now.Add(5 * time.Minute)
		if err := db.FinishDelivery(ctx, ds[1], store.Outcome{Status: steady.DeliveryQueued, Error: "421 try later",
			NextAttemptAt: retry, Attempts: 1, Now: sentAt}); err != nil {
			t.Fatal(err)
		}
		before := storetest.Claim(t, db, retry.Add(-time.Microsecond))
		if len(before) != 1 || before[0].ID != ids[2] {
			t.Errorf("before retry time claimed %+v, want only %d", before, ids[2])
		}
		at := storetest.Claim(t, db, retry)
		if len(at) != 1 || at[0].ID != ids[1] || at[0].Attempts != 1 || at[0].LastError != "421 try later" {
			t.Errorf("at retry time claimed %+v", at)
		}
		if err := db.FinishDelivery(ctx, at[0], store.Outcome{Status: steady.DeliveryFailed, Error: "550 no such user", Attempts: 2, Now: retry}); err != nil {
			t.Fatal(err)
		}
		if d, _ := db.Delivery(ctx, ids[1]); d.Status != steady.DeliveryFailed || d.LastError != "550 no such user" || d.Attempts != 2 || !d.SentAt.IsZero() {
			t.Errorf("failed delivery = %+v", d)
		}
		if _, err := db.Delivery(ctx, 9999); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("missing delivery: err = %v", err)
		}
	})
}

// A worker that dies leaves its claim to the lease: never tried, it goes
// back to the queue with its attempts untouched; in flight (attempt
// recorded), it becomes unknown. Leases still running are left alone, and a
// late outcome from the dead claim changes nothing.
func TestRecoverLeases(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i, addr := range []string{"r1@example.com", "r2@example.com", "r3@example.com"} {
			if _, err := db.RequestSubscription(ctx, request(addr, t0.Add(time.Duration(i)*time.Second))); err != nil {
				t.Fatal(err)
			}
		}
		now := t0.Add(time.Minute)
		untried, err := db.ClaimNext(ctx, now, now.Add(30*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		inFlight, err := db.ClaimNext(ctx, now, now.Add(30*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		started, err := db.StartAttempt(ctx, inFlight, now.Add(time.Second), now.Add(40*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if started.Attempts != 1 || !started.AttemptedAt.Equal(now.Add(time.Second).Truncate(time.Microsecond)) {
			t.Errorf("after StartAttempt: %+v", started)
		}
		live, err := db.ClaimNext(ctx, now.Add(35*time.Second), now.Add(2*time.Minute))
		if err != nil {
			t.Fatal(err)
		}

		// Before any lease ends: nothing recovered.
		if r, err := db.RecoverLeases(ctx, now.Add(29*time.Second)); err != nil || r.Requeued+r.Unknown != 0 {
			t.Errorf("early RecoverLeases = %+v, %v", r, err)
		}
		// The untried claim's lease has ended, the in-flight one (extended
		// by StartAttempt) not yet.
		if r, err := db.RecoverLeases(ctx, now.Add(31*time.Second)); err != nil || r.Requeued != 1 || r.Unknown != 0 {
			t.Errorf("RecoverLeases = %+v, %v; want 1 requeued", r, err)
		}
		if r, err := db.RecoverLeases(ctx, now.Add(41*time.Second)); err != nil || r.Unknown != 1 || r.Requeued != 0 ||
			len(r.UnknownIDs) != 1 || r.UnknownIDs[0] != inFlight.ID {
			t.Errorf("RecoverLeases = %+v, %v; want 1 unknown, delivery %d", r, err, inFlight.ID)
		}
		back, _ := db.Delivery(ctx, untried.ID)
		if back.Status != steady.DeliveryQueued || back.Attempts != 0 || !back.NextAttemptAt.Equal(now.Add(31*time.Second).Truncate(time.Microsecond)) || !back.LeaseUntil.IsZero() {
			t.Errorf("untried after recovery = %+v", back)
		}
		gone, _ := db.Delivery(ctx, inFlight.ID)
		if gone.Status != steady.DeliveryUnknown || gone.Attempts != 1 {
			t.Errorf("in flight after recovery = %+v", gone)
		}
		if d, _ := db.Delivery(ctx, live.ID); d.Status != steady.DeliverySending {
			t.Errorf("a live claim became %s", d.Status)
		}
		// The dead claims can no longer record anything.
		if err := db.FinishDelivery(ctx, untried, store.Outcome{Status: steady.DeliverySent, Now: now}); !errors.Is(err, steady.ErrConflict) {
			t.Errorf("late finish of a recovered claim: err = %v, want ErrConflict", err)
		}
		if _, err := db.StartAttempt(ctx, untried, now, now.Add(time.Minute)); !errors.Is(err, steady.ErrConflict) {
			t.Errorf("late StartAttempt of a recovered claim: err = %v, want ErrConflict", err)
		}
		// Reclaimed, it carries a new token and starts afresh.
		again, err := db.ClaimNext(ctx, now.Add(time.Minute), now.Add(2*time.Minute))
		if err != nil || again.ID != untried.ID || again.Token == untried.Token || again.Attempts != 0 {
			t.Errorf("reclaim = %+v, %v", again, err)
		}
	})
}

func TestLatestPrompt(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "lp@example.com", t0)
		if _, err := db.LatestPrompt(ctx, sub.ID); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("no prompt yet: err = %v", err)
		}
		// Two slots queued; only the first is sent.
		for _, now := range []time.Time{t0, t0.Add(24 * time.Hour)} {
			if _, err := db.ClaimDue(ctx, now, 10, planDaily); err != nil {
				t.Fatal(err)
			}
		}
		var first steady.Delivery
		for _, d := range storetest.Claim(t, db, t0.Add(48*time.Hour)) {
			status := steady.DeliveryFailed
			if d.Kind == steady.KindPrompt && d.Slot.Equal(sub.NextSlot) {
				status, first = steady.DeliverySent, d.Delivery
			}
			if err := db.FinishDelivery(ctx, d, store.Outcome{Status: status, Now: t0}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.LatestPrompt(ctx, sub.ID)
		if err != nil || got.ID != first.ID {
			t.Errorf("LatestPrompt = %+v, %v; want %d", got, err, first.ID)
		}
	})
}

// Concurrent senders never claim the same delivery.
func TestClaimNextConcurrent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i := range 12 {
			if _, err := db.RequestSubscription(ctx, request(string(rune('a'+i))+"@q.example.com", t0)); err != nil {
				t.Fatal(err)
			}
		}
		results := make(chan []store.Claim, 4)
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				var ds []store.Claim
				for {
					c, err := db.ClaimNext(ctx, t0, t0.Add(time.Minute))
					if errors.Is(err, steady.ErrNotFound) {
						err = nil
					}
					if err != nil || c.ID == 0 {
						results <- ds
						errs <- err
						return
					}
					ds = append(ds, c)
				}
			}()
		}
		seen := map[int64]bool{}
		for range 4 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
			for _, d := range <-results {
				if seen[d.ID] {
					t.Errorf("delivery %d claimed twice", d.ID)
				}
				seen[d.ID] = true
			}
		}
		if len(seen) != 12 {
			t.Errorf("claimed %d, want 12", len(seen))
		}
	})
}

// FinishAndClaimNext records an outcome and takes the next claim together:
// with a claim no longer held, neither happens.
func TestFinishAndClaimNext(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i, addr := range []string{"n1@example.com", "n2@example.com"} {
			if _, err := db.RequestSubscription(ctx, request(addr, t0.Add(time.Duration(i)*time.Second))); err != nil {
				t.Fatal(err)
			}
		}
		now := t0.Add(time.Minute)
		first, err := db.ClaimNext(ctx, now, now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		forged := first
		forged.Token = "stale"
		if _, _, err := db.FinishAndClaimNext(ctx, forged, store.Outcome{Status: steady.DeliverySent, Attempts: 1, Now: now}, now, now.Add(time.Minute)); !errors.Is(err, steady.ErrConflict) {
			t.Fatalf("with a stale token: err = %v, want ErrConflict", err)
		}
		if d, _ := db.Delivery(ctx, first.ID+1); d.Status != steady.DeliveryQueued {
			t.Errorf("a failed FinishAndClaimNext claimed the next: %s", d.Status)
		}
		second, found, err := db.FinishAndClaimNext(ctx, first, store.Outcome{Status: steady.DeliverySent, Attempts: 1, Now: now}, now, now.Add(time.Minute))
		if err != nil || !found || second.ID == first.ID || second.Status != steady.DeliverySending {
			t.Fatalf("FinishAndClaimNext = %+v, %v, %v", second, found, err)
		}
		if d, _ := db.Delivery(ctx, first.ID); d.Status != steady.DeliverySent || d.Attempts != 1 {
			t.Errorf("first after FinishAndClaimNext: %s, %d attempts", d.Status, d.Attempts)
		}
		_, found, err = db.FinishAndClaimNext(ctx, second, store.Outcome{Status: steady.DeliverySent, Attempts: 1, Now: now}, now, now.Add(time.Minute))
		if err != nil || found {
			t.Fatalf("with nothing left: found %v, err %v", found, err)
		}
		if d, _ := db.Delivery(ctx, second.ID); d.Status != steady.DeliverySent {
			t.Errorf("the last outcome was not recorded: %s", d.Status)
		}
	})
}
