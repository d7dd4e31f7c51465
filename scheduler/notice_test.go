package scheduler

import (
	"context"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// A settings notice goes out once to an active subscriber, and not at all
// once they have unsubscribed. (Unsubscribe cancels what is queued, so
// this passes without skipReason's notice case too; that case covers an
// unsubscribe between the claim and the send, as for prompts.)
func TestDispatcherSettingsNotice(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, at("2026-01-10 12:00"))
		ctx := context.Background()
		sub := b.subscribe(t, "nat@example.com", "Europe/London", "daily 20:30", at("2026-01-10 12:00"))
		gone := b.subscribe(t, "kit@example.com", "Europe/London", "daily 20:30", at("2026-01-10 12:00"))
		b.runDispatcher(t, at("2026-01-10 12:01")) // the sign-ups' confirmations
		var notices []steady.Delivery
		for _, id := range []int64{sub.ID, gone.ID} {
			if queued, err := db.QueueNotice(ctx, id, at("2026-01-10 13:00"), 0); err != nil || !queued {
				t.Fatalf("queue notice: %v, %v", queued, err)
			}
			for _, d := range b.deliveries(t, id, steady.KindConfirm) {
				if d.IsNotice() {
					notices = append(notices, d)
				}
			}
		}
		b.unsubscribe(t, gone.ID, at("2026-01-10 13:01"))
		b.runDispatcher(t, at("2026-01-10 13:02"))
		b.runDispatcher(t, at("2026-01-10 13:03"))
		if got := b.delivery(t, notices[0].ID); got.Status != steady.DeliverySent || b.sendsOf(notices[0].ID) != 1 {
			t.Errorf("the active subscriber's notice: %s, %d sends", got.Status, b.sendsOf(notices[0].ID))
		}
		if got := b.delivery(t, notices[1].ID); got.Status != steady.DeliveryCancelled || b.sendsOf(notices[1].ID) != 0 {
			t.Errorf("the unsubscribed subscriber's notice: %s, %d sends", got.Status, b.sendsOf(notices[1].ID))
		}
	})
}
