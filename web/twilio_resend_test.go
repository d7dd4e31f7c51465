package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// confirmsOf counts sub's confirmation deliveries.
func confirmsOf(b *bundle, id int64) int {
	b.t.Helper()
	ds, err := b.db.Deliveries(context.Background(), id)
	if err != nil {
		b.t.Fatal(err)
	}
	n := 0
	for _, d := range ds {
		if d.Kind == steady.KindConfirm {
			n++
		}
	}
	return n
}

// STOP then START within the resend window: no second confirmation is
// queued, but the person is told what to do instead of hearing nothing.
func TestSMSStartWithinResendWindowIsAnswered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		sub := smsActive(b)
		ctx := context.Background()
		// The confirmation went out (it would otherwise be cancelled by STOP).
		if ds, err := b.db.ClaimQueued(ctx, b.clock.Now(), 10); err != nil || len(ds) != 1 {
			t.Fatalf("claim confirmation: %v %v", ds, err)
		} else if err := b.db.FinishDelivery(ctx, ds[0].ID, store.Outcome{Status: steady.DeliverySent, ProviderID: "SMconfirm", Now: b.clock.Now()}); err != nil {
			t.Fatal(err)
		}
		b.text(phone, "STOP", "")
		b.clock.Advance(2 * time.Minute)
		res := b.text(phone, "START", "")
		if !strings.Contains(res.body, "Reply YES to it to start") {
			t.Errorf("START within the resend window: %s", res.body)
		}
		if n := confirmsOf(b, sub.ID); n != 1 {
			t.Errorf("%d confirmations, want 1 (no resend within 10 minutes)", n)
		}
		if s := smsSubscriber(b); s.Status != steady.StatusPending {
			t.Errorf("after START: %s", s.Status)
		}
	})
}

// A confirmation that failed does not count toward the resend limit.
func TestFailedConfirmationDoesNotBlockResend(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		ctx := context.Background()
		body := `{"phone":"` + phoneTyped + `","timezone":"Europe/London","cadence":"daily","time":"20:30"}`
		first := b.postJSON(body)
		ds, err := b.db.ClaimQueued(ctx, b.clock.Now(), 10)
		if err != nil || len(ds) != 1 {
			t.Fatalf("claim: %v %v", ds, err)
		}
		if err := b.db.FinishDelivery(ctx, ds[0].ID, store.Outcome{Status: steady.DeliveryFailed, Error: "HTTP 400", Now: b.clock.Now()}); err != nil {
			t.Fatal(err)
		}
		b.clock.Advance(time.Minute)
		second := b.postJSON(body)
		if first.status != second.status || first.body != second.body {
			t.Errorf("answers differ:\n%s\n%s", first.body, second.body)
		}
		if n := confirmsOf(b, smsSubscriber(b).ID); n != 2 {
			t.Errorf("%d confirmations, want 2: a failed one must not block the resend", n)
		}
		// The new one stands: a third sign-up a minute later queues nothing.
		b.clock.Advance(time.Minute)
		b.postJSON(body)
		if n := confirmsOf(b, smsSubscriber(b).ID); n != 2 {
			t.Errorf("%d confirmations, want 2", n)
		}
	})
}
