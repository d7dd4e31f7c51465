package scheduler

import (
	"context"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// A bouncing address gets no prompt, but a new confirmation still goes out:
// confirming again is the only way back.
func TestBouncingAddressGetsOnlyAConfirmation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		start := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
		b := setup(t, db, start)
		sub := b.subscribe(t, "kim@example.org", "Europe/London", "daily 20:30", start)
		b.runDispatcher(t, start) // the first confirmation
		before := len(b.sender.messages())

		if _, err := db.RecordBounce(ctx, store.Bounce{SubscriberID: sub.ID, SourceID: "dsn-1", ReceivedAt: start}, 1); err != nil {
			t.Fatal(err)
		}
		due := sub.NextSlot.Add(time.Minute)
		if n := b.runScheduler(t, due); n != 0 {
			t.Fatalf("a bouncing subscriber was given %d prompts", n)
		}

		res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{
			Channel: steady.ChannelEmail, Address: "kim@example.org", TimeZone: "Europe/London",
			Schedule: mustSchedule(t, "daily 20:30"), Consent: steady.Consent{Method: "web", Wording: "again"}, Now: due,
		})
		if err != nil || !res.ConfirmQueued {
			t.Fatalf("sign up again: %+v, %v", res, err)
		}
		b.runDispatcher(t, due)
		sent := b.sender.messages()[before:]
		if len(sent) != 1 {
			t.Fatalf("sent %d messages to a bouncing address, want only the new confirmation", len(sent))
		}
		if d := b.deliveries(t, sub.ID, steady.KindConfirm); d[len(d)-1].Status != steady.DeliverySent {
			t.Fatalf("the new confirmation is %s", d[len(d)-1].Status)
		}
	})
}
