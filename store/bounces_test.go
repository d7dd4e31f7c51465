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

func TestRecordBounce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "bouncy@example.com", t0)
		other := active(t, db, "fine@example.com", t0)
		if n, err := db.ClaimDue(ctx, t0, 10, planDaily); err != nil || n != 2 {
			t.Fatalf("ClaimDue = %d, %v", n, err)
		}
		queued := prompts(t, db, sub.ID)[0]

		b := store.Bounce{SubscriberID: sub.ID, DeliveryID: queued.ID, SourceID: "email:b1@mx", ReceivedAt: t0}
		res, err := db.RecordBounce(ctx, b, 2)
		if err != nil || !res.Created || res.Count != 1 || !res.BouncingAt.IsZero() {
			t.Fatalf("first bounce = %+v, %v", res, err)
		}
		// The same notification again counts nothing.
		if res, err := db.RecordBounce(ctx, b, 2); err != nil || res.Created || res.Count != 1 {
			t.Fatalf("repeated bounce = %+v, %v", res, err)
		}
		// Another notification about the same delivery (another Message-ID)
		// is kept, but one delivery counts once.
		b.SourceID = "email:b1-again@mx"
		b.ReceivedAt = t0.Add(30 * time.Minute)
		if res, err := db.RecordBounce(ctx, b, 2); err != nil || !res.Created || res.Count != 1 || !res.BouncingAt.IsZero() {
			t.Fatalf("second notification about one delivery = %+v, %v", res, err)
		}
		// A bounce of another delivery (the confirmation) reaches the threshold.
		var confirm steady.Delivery
		for _, d := range mustDeliveries(t, db, sub.ID) {
			if d.Kind == steady.KindConfirm {
				confirm = d
			}
		}
		b = store.Bounce{SubscriberID: sub.ID, DeliveryID: confirm.ID, SourceID: "email:b2@mx", ReceivedAt: t0.Add(time.Hour)}
		res, err = db.RecordBounce(ctx, b, 2)
		if err != nil || res.Count != 2 || !res.BouncingAt.Equal(t0.Add(time.Hour).Truncate(time.Microsecond)) {
			t.Fatalf("second bounced delivery = %+v, %v", res, err)
		}
		if bs, err := db.Bounces(ctx, sub.ID); err != nil || len(bs) != 3 || bs[0].DeliveryID != queued.ID || bs[1].DeliveryID != queued.ID || bs[2].DeliveryID != confirm.ID {
			t.Errorf("Bounces = %+v, %v; want all three notifications", bs, err)
		}
		if since, err := db.BouncingSince(ctx, sub.ID); err != nil || !since.Equal(t0.Add(time.Hour).Truncate(time.Microsecond)) {
			t.Errorf("BouncingSince = %v, %v", since, err)
		}
		if d, err := db.Delivery(ctx, queued.ID); err != nil || d.Status != steady.DeliveryCancelled || d.LastError != "bouncing" {
			t.Errorf("queued prompt = %s %q, want cancelled", d.Status, d.LastError)
		}

		// The scheduler no longer claims the bouncing subscriber, but still
		// claims the other one.
		if n, err := db.ClaimDue(ctx, t0.Add(48*time.Hour), 10, planDaily); err != nil || n != 1 {
			t.Fatalf("ClaimDue = %d, %v; want 1", n, err)
		}
		if len(prompts(t, db, sub.ID)) != 1 || len(prompts(t, db, other.ID)) != 2 {
			t.Error("a bouncing subscriber was claimed")
		}

		// Confirming again clears the bounces.
		if _, err := db.ConfirmSubscription(ctx, sub.ID, steady.Consent{Method: "email-link"}, t0, at(t0.Add(72*time.Hour))); err != nil {
			t.Fatal(err)
		}
		if since, err := db.BouncingSince(ctx, sub.ID); err != nil || !since.IsZero() {
			t.Errorf("after confirming, BouncingSince = %v, %v", since, err)
		}
		if n, err := db.ClaimDue(ctx, t0.Add(72*time.Hour), 10, planDaily); err != nil || n != 2 {
			t.Errorf("ClaimDue after confirming = %d, %v; want 2", n, err)
		}

		// Notifications that name no delivery count one by one.
		for i, want := range []int{1, 2} {
			res, err := db.RecordBounce(ctx, store.Bounce{SubscriberID: other.ID, SourceID: fmt.Sprintf("email:n%d@mx", i), ReceivedAt: t0}, 3)
			if err != nil || res.Count != want {
				t.Errorf("bounce %d naming no delivery = %+v, %v; want count %d", i+1, res, err, want)
			}
		}

		if _, err := db.RecordBounce(ctx, store.Bounce{SubscriberID: sub.ID, SourceID: "x", ReceivedAt: t0}, 0); !steady.IsInvalid(err) {
			t.Errorf("threshold 0: %v, want invalid", err)
		}
		if _, err := db.RecordBounce(ctx, store.Bounce{SubscriberID: 999999, SourceID: "y", ReceivedAt: t0}, 1); err == nil {
			t.Error("bounce for an unknown subscriber was recorded")
		}
	})
}
