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

// sentConfirm sends the subscriber's queued confirmation as providerID.
func sentConfirm(t *testing.T, db *store.DB, providerID string) steady.Delivery {
	t.Helper()
	ctx := context.Background()
	ds := storetest.Claim(t, db, t0)
	if len(ds) != 1 {
		t.Fatalf("claim: %v", ds)
	}
	if err := db.FinishDelivery(ctx, ds[0], store.Outcome{Status: steady.DeliverySent, ProviderID: providerID, Now: t0}); err != nil {
		t.Fatal(err)
	}
	return ds[0].Delivery
}

func TestMarkAddressInvalid(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "sam@example.org", t0.Add(time.Hour))
		// A queued prompt that must not go out.
		if _, err := db.ClaimDue(ctx, t0.Add(time.Hour), 10, planDaily); err != nil {
			t.Fatal(err)
		}
		got, err := db.MarkAddressInvalid(ctx, sub.ID, t0.Add(2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if got.AddressInvalidAt.IsZero() || !got.NextSlot.IsZero() || got.Status != steady.StatusActive {
			t.Fatalf("after marking: %+v", got)
		}
		for _, d := range mustDeliveries(t, db, sub.ID) {
			if d.Kind == steady.KindPrompt && (d.Status != steady.DeliveryCancelled || d.LastError != "address invalid") {
				t.Errorf("prompt %d is %s (%s)", d.ID, d.Status, d.LastError)
			}
		}
		// Nothing is claimed for it any more.
		if n, err := db.ClaimDue(ctx, t0.Add(48*time.Hour), 10, planDaily); err != nil || n != 0 {
			t.Errorf("claimed %d, err %v", n, err)
		}
		// Idempotent, and a new sign-up clears it.
		if _, err := db.MarkAddressInvalid(ctx, sub.ID, t0.Add(3*time.Hour)); err != nil {
			t.Fatal(err)
		}
		res, err := db.RequestSubscription(ctx, request("sam@example.org", t0.Add(4*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		if !res.Subscriber.AddressInvalidAt.IsZero() {
			t.Errorf("sign-up kept the mark: %+v", res.Subscriber)
		}
		if _, err := db.MarkAddressInvalid(ctx, 9999, t0); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("unknown subscriber: %v", err)
		}
	})
}

func TestPauseAndResume(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "sam@example.org", t0.Add(time.Hour))
		next := func(_ steady.Subscriber, from time.Time) (time.Time, error) { return from.Add(time.Minute), nil }
		// A prompt already queued when the pause starts.
		if n, err := db.ClaimDue(ctx, t0.Add(time.Hour), 10, planDaily); err != nil || n != 1 {
			t.Fatalf("claim: %d %v", n, err)
		}
		t0 := t0.Truncate(time.Second)
		until := t0.Add(14 * 24 * time.Hour)
		got, err := db.Pause(ctx, sub.ID, until, t0, next)
		if err != nil {
			t.Fatal(err)
		}
		if !got.PausedUntil.Equal(until) || !got.NextSlot.Equal(until.Add(time.Minute)) {
			t.Fatalf("paused: until %v next %v", got.PausedUntil, got.NextSlot)
		}
		if n, err := db.ClaimDue(ctx, until.Add(-time.Hour), 10, planDaily); err != nil || n != 0 {
			t.Errorf("claimed %d during the pause, err %v", n, err)
		}
		for _, d := range mustDeliveries(t, db, sub.ID) {
			if d.Kind == steady.KindPrompt && (d.Status != steady.DeliveryCancelled || d.LastError != "paused") {
				t.Errorf("queued prompt after PAUSE: %s %q", d.Status, d.LastError)
			}
		}
		got, err = db.Resume(ctx, sub.ID, t0.Add(time.Hour), next)
		if err != nil {
			t.Fatal(err)
		}
		if !got.PausedUntil.IsZero() || !got.NextSlot.Equal(t0.Add(time.Hour+time.Minute)) {
			t.Fatalf("resumed: until %v next %v", got.PausedUntil, got.NextSlot)
		}
		res, err := db.RequestSubscription(ctx, request("pending@example.org", t0))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Pause(ctx, res.Subscriber.ID, until, t0, next); !errors.Is(err, steady.ErrConflict) {
			t.Errorf("pausing a pending subscriber: %v", err)
		}
	})
}

func TestRecordProviderStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.RequestSubscription(ctx, request("sam@example.org", t0)); err != nil {
			t.Fatal(err)
		}
		d := sentConfirm(t, db, "SM1")
		for _, step := range []struct {
			status, code string
			wantProvider string
			wantCode     string
			wantStatus   steady.DeliveryStatus
		}{
			{"queued", "", "queued", "", steady.DeliverySent},
			{"sent", "", "sent", "", steady.DeliverySent},
			{"queued", "", "sent", "", steady.DeliverySent}, // late callback: never backwards
			{"undelivered", "30003", "undelivered", "30003", steady.DeliveryFailed},
		} {
			got, err := db.RecordProviderStatus(ctx, "SM1", step.status, step.code, t0.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != d.ID || got.ProviderStatus != step.wantProvider || got.ProviderError != step.wantCode || got.Status != step.wantStatus {
				t.Errorf("after %s: %s/%s/%s", step.status, got.ProviderStatus, got.ProviderError, got.Status)
			}
		}
		if got, _ := db.Delivery(ctx, d.ID); got.LastError != "provider reports undelivered, error 30003" {
			t.Errorf("last error %q", got.LastError)
		}
		for name, call := range map[string]func() error{
			"unknown status": func() error { _, err := db.RecordProviderStatus(ctx, "SM1", "exploded", "", t0); return err },
			"no sid":         func() error { _, err := db.RecordProviderStatus(ctx, "", "sent", "", t0); return err },
		} {
			if err := call(); !steady.IsInvalid(err) {
				t.Errorf("%s: %v", name, err)
			}
		}
		if _, err := db.RecordProviderStatus(ctx, "SM404", "sent", "", t0); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("unknown sid: %v", err)
		}
	})
}

func TestRecordInboundEvent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i, want := range []bool{true, false, false} {
			got, err := db.RecordInboundEvent(ctx, "twilio:SM1", t0)
			if err != nil || got != want {
				t.Errorf("call %d: %v %v", i, got, err)
			}
		}
		if _, err := db.RecordInboundEvent(ctx, "", t0); !steady.IsInvalid(err) {
			t.Errorf("empty id: %v", err)
		}
	})
}
