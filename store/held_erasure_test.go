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

// Held-aside mail from a subscriber's address is theirs: erasing them
// erases it (a black-box pass found it left behind), and nobody else's.
// And held mail does not stay for good: holding a new message removes
// what is older than HeldRetention.
func TestHeldMailGoesWithErasureAndAge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "alice@example.net", t0.Add(time.Hour))
		hold := func(at time.Time, body, sender string) int64 {
			t.Helper()
			id, _, err := db.HoldInbound(ctx, store.HeldMessage{ReceivedAt: at, Source: "smtp", Reason: "unmatched",
				Raw: []byte("From: x\r\n\r\n" + body), SenderHash: sender})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		hers := hold(t0, "her words after unsubscribing", hashOf(t, steady.ChannelEmail, "alice@example.net"))
		other := hold(t0, "someone else's", hashOf(t, steady.ChannelEmail, "bob@example.net"))
		unknown := hold(t0, "no sender", "")
		if err := db.DeleteSubscriber(ctx, sub.ID, testHasher(t)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.HeldMessage(ctx, hers); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("her held mail after erasure: %v, want gone", err)
		}
		for _, id := range []int64{other, unknown} {
			if _, err := db.HeldMessage(ctx, id); err != nil {
				t.Errorf("held mail %d of someone else after her erasure: %v", id, err)
			}
		}
		hold(t0.Add(store.HeldRetention+time.Minute), "a month later", "")
		for _, id := range []int64{other, unknown} {
			if _, err := db.HeldMessage(ctx, id); !errors.Is(err, steady.ErrNotFound) {
				t.Errorf("held mail %d older than the retention: %v, want gone", id, err)
			}
		}
	})
}
