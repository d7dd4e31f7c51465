package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

// t0 has nanoseconds on purpose: the store keeps microseconds.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.UTC)

func daily(hour, minute int) steady.Schedule {
	return steady.Schedule{Cadence: steady.CadenceDaily, Hour: hour, Minute: minute}
}

func request(address string, now time.Time) store.SubscriptionRequest {
	return store.SubscriptionRequest{
		Channel:     steady.ChannelEmail,
		Address:     address,
		TimeZone:    "Europe/London",
		Schedule:    daily(20, 30),
		Consent:     steady.Consent{Method: "web", IP: "192.0.2.1", Wording: "Send me prompts"},
		Now:         now,
		ResendAfter: 10 * time.Minute,
	}
}

func at(t time.Time) func(steady.Subscriber) (time.Time, error) {
	return func(steady.Subscriber) (time.Time, error) { return t, nil }
}

// active creates a confirmed subscriber whose next slot is next.
func active(t *testing.T, db *store.DB, address string, next time.Time) steady.Subscriber {
	t.Helper()
	ctx := context.Background()
	res, err := db.RequestSubscription(ctx, request(address, t0))
	if err != nil {
		t.Fatal(err)
	}
	sub, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "email-link"}, t0, at(next))
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// planDaily plans a prompt for the claimed slot and a next slot a day later.
func planDaily(sub steady.Subscriber, last string) (steady.Delivery, time.Time, error) {
	return promptFor(sub, last), sub.NextSlot.Add(24 * time.Hour), nil
}

// planStuck plans a prompt but leaves the next slot where it was.
func planStuck(sub steady.Subscriber, last string) (steady.Delivery, time.Time, error) {
	return promptFor(sub, last), sub.NextSlot, nil
}

func promptFor(sub steady.Subscriber, last string) steady.Delivery {
	return steady.Delivery{
		SubscriberID: sub.ID,
		Kind:         steady.KindPrompt,
		Channel:      sub.Channel,
		Slot:         sub.NextSlot,
		PromptID:     fmt.Sprintf("p-after-%s", last),
		Theme:        "honesty",
		PromptText:   "Did you feel heard today? YES or NO",
	}
}

func mustDeliveries(t *testing.T, db *store.DB, subID int64) []steady.Delivery {
	t.Helper()
	ds, err := db.Deliveries(context.Background(), subID)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func mustSubscriber(t *testing.T, db *store.DB, id int64) steady.Subscriber {
	t.Helper()
	s, err := db.Subscriber(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
