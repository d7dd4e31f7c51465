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
		ds, err := db.ClaimQueued(ctx, now, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ds) != 2 || ds[0].ID != ids[0] || ds[1].ID != ids[1] {
			t.Fatalf("claimed %+v, want the two due, oldest first", ds)
		}
		for _, d := range ds {
			if d.Status != steady.DeliverySending || d.Attempts != 1 || !d.UpdatedAt.Equal(now.Truncate(time.Microsecond)) {
				t.Errorf("claimed delivery = %+v", d)
			}
		}
		if again, err := db.ClaimQueued(ctx, now, 10); err != nil || len(again) != 0 {
			t.Errorf("claimed again: %+v, %v", again, err)
		}

		// Sent.
		sentAt := now.Add(time.Second)
		if err := db.FinishDelivery(ctx, ids[0], store.Outcome{Status: steady.DeliverySent, ProviderID: "smtp-1", Now: sentAt}); err != nil {
			t.Fatal(err)
		}
		d, _ := db.Delivery(ctx, ids[0])
		if d.Status != steady.DeliverySent || d.ProviderID != "smtp-1" || !d.SentAt.Equal(sentAt.Truncate(time.Microsecond)) {
			t.Errorf("after sent: %+v", d)
		}
		// Only from sending.
		err = db.FinishDelivery(ctx, ids[0], store.Outcome{Status: steady.DeliveryFailed, Now: sentAt})
		if !errors.Is(err, steady.ErrConflict) {
			t.Errorf("finish a sent delivery: err = %v, want ErrConflict", err)
		}
		if err := db.FinishDelivery(ctx, ids[2], store.Outcome{Status: steady.DeliverySent, Now: sentAt}); !errors.Is(err, steady.ErrConflict) {
			t.Errorf("finish a queued delivery: err = %v, want ErrConflict", err)
		}
		if err := db.FinishDelivery(ctx, 9999, store.Outcome{Status: steady.DeliverySent, Now: sentAt}); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("finish a missing delivery: err = %v, want ErrNotFound", err)
		}
		if err := db.FinishDelivery(ctx, ids[1], store.Outcome{Status: "sending", Now: sentAt}); !steady.IsInvalid(err) {
			t.Errorf("finish as sending: err = %v, want invalid", err)
		}

		// Retry later: back to queued, claimable only from NextAttemptAt.
		retry := now.Add(5 * time.Minute)
		if err := db.FinishDelivery(ctx, ids[1], store.Outcome{Status: steady.DeliveryQueued, Error: "421 try later",
			NextAttemptAt: retry, Now: sentAt}); err != nil {
			t.Fatal(err)
		}
		if ds, _ := db.ClaimQueued(ctx, retry.Add(-time.Microsecond), 10); len(ds) != 1 || ds[0].ID != ids[2] {
			t.Errorf("before retry time claimed %+v, want only %d", ds, ids[2])
		}
		ds, _ = db.ClaimQueued(ctx, retry, 10)
		if len(ds) != 1 || ds[0].ID != ids[1] || ds[0].Attempts != 2 || ds[0].LastError != "421 try later" {
			t.Errorf("at retry time claimed %+v", ds)
		}

		// Stuck in sending: ids[1] claimed at retry, ids[2] just before.
		n, err := db.ExpireSending(ctx, retry, retry.Add(time.Hour))
		if err != nil || n != 1 {
			t.Errorf("ExpireSending = %d, %v; want 1", n, err)
		}
		d, _ = db.Delivery(ctx, ids[2])
		if d.Status != steady.DeliveryUnknown || d.LastError != "interrupted while sending; not retried automatically" {
			t.Errorf("expired delivery = %+v", d)
		}
		if d, _ := db.Delivery(ctx, ids[1]); d.Status != steady.DeliverySending {
			t.Errorf("fresh sending delivery became %s", d.Status)
		}
		if err := db.FinishDelivery(ctx, ids[1], store.Outcome{Status: steady.DeliveryFailed, Error: "550 no such user", Now: retry}); err != nil {
			t.Fatal(err)
		}
		if d, _ := db.Delivery(ctx, ids[1]); d.Status != steady.DeliveryFailed || d.LastError != "550 no such user" || !d.SentAt.IsZero() {
			t.Errorf("failed delivery = %+v", d)
		}
		if _, err := db.Delivery(ctx, 9999); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("missing delivery: err = %v", err)
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
		ds, err := db.ClaimQueued(ctx, t0.Add(48*time.Hour), 10)
		if err != nil {
			t.Fatal(err)
		}
		var first steady.Delivery
		for _, d := range ds {
			status := steady.DeliveryFailed
			if d.Kind == steady.KindPrompt && d.Slot.Equal(sub.NextSlot) {
				status, first = steady.DeliverySent, d
			}
			if err := db.FinishDelivery(ctx, d.ID, store.Outcome{Status: status, Now: t0}); err != nil {
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
func TestClaimQueuedConcurrent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i := range 12 {
			if _, err := db.RequestSubscription(ctx, request(string(rune('a'+i))+"@q.example.com", t0)); err != nil {
				t.Fatal(err)
			}
		}
		results := make(chan []steady.Delivery, 4)
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				ds, err := db.ClaimQueued(ctx, t0, 5)
				results <- ds
				errs <- err
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
