package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// sentPrompts queues the first prompt of each subscriber and marks it
// sent at t0; the prompts come back in the order of subs.
func sentPrompts(t *testing.T, db *store.DB, subs ...steady.Subscriber) []steady.Delivery {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ClaimDue(ctx, t0, 10, planDaily); err != nil {
		t.Fatal(err)
	}
	sent := map[int64]steady.Delivery{}
	for _, d := range storetest.Claim(t, db, t0.Add(48*time.Hour)) {
		status := steady.DeliveryFailed
		if d.Kind == steady.KindPrompt {
			status, sent[d.SubscriberID] = steady.DeliverySent, d.Delivery
		}
		if err := db.FinishDelivery(ctx, d, store.Outcome{Status: status, Now: t0}); err != nil {
			t.Fatal(err)
		}
	}
	out := make([]steady.Delivery, len(subs))
	for i, sub := range subs {
		if out[i] = sent[sub.ID]; out[i].ID == 0 {
			t.Fatalf("no prompt was sent to subscriber %d", sub.ID)
		}
	}
	return out
}

// SubscriberAndLatestPrompt answers what SubscriberByAddress and
// LatestPrompt answer, in one statement.
func TestSubscriberAndLatestPrompt(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "salp@example.com", t0)
		if _, _, err := db.SubscriberAndLatestPrompt(ctx, sub.Channel, "nobody@example.com"); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("unknown address: err = %v", err)
		}
		got, p, err := db.SubscriberAndLatestPrompt(ctx, sub.Channel, sub.Address)
		if err != nil || !reflect.DeepEqual(got, mustSubscriber(t, db, sub.ID)) || p != (store.SentPrompt{}) {
			t.Errorf("before any prompt: %+v, %+v, %v", got, p, err)
		}
		sentPrompts(t, db, sub)
		want, err := db.LatestPrompt(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, p, err = db.SubscriberAndLatestPrompt(ctx, sub.Channel, sub.Address)
		if err != nil || p.ID != want.ID || p.Theme != want.Theme || !p.SentAt.Equal(want.SentAt) || p.SentAt.IsZero() {
			t.Errorf("after a prompt: %+v, %v; want %d %q %v", p, err, want.ID, want.Theme, want.SentAt)
		}
	})
}

// RecordReplyTo stores what RecordReply stores, and refuses what it
// refuses, whatever theme the caller says the delivery has; a refusal
// inside Atomically leaves the transaction usable (on PostgreSQL a failed
// statement would abort it).
func TestRecordReplyTo(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "rrt@example.com", t0)
		other := active(t, db, "rrt-other@example.com", t0)
		sent := sentPrompts(t, db, sub, other)
		mine, theirs := sent[0], sent[1]
		good := steady.Reply{SubscriberID: sub.ID, DeliveryID: mine.ID, Channel: steady.ChannelSMS,
			Body: "4 — better this week", ReceivedAt: t0, SourceID: "twilio:SMgood"}

		stored, created, err := db.RecordReplyTo(ctx, good, mine.Theme)
		want := good
		want.ID, want.ReceivedAt = stored.ID, t0.Truncate(time.Microsecond)
		if err != nil || !created || stored != want {
			t.Fatalf("RecordReplyTo = %+v, %v, %v; want %+v", stored, created, err, want)
		}
		if again, created, err := db.RecordReplyTo(ctx, good, mine.Theme); err != nil || created || again != stored {
			t.Errorf("replay = %+v, %v, %v; want the stored reply, false", again, created, err)
		}
		stale := good
		stale.SourceID = "twilio:SMstale"
		if _, created, err := db.RecordReplyTo(ctx, stale, mine.Theme+"-not"); err != nil || !created {
			t.Errorf("another theme given: %v, %v; want stored", created, err)
		}

		err = db.Atomically(ctx, func(ctx context.Context) error {
			bad := good
			bad.SourceID, bad.DeliveryID = "twilio:SMtheirs", theirs.ID
			if _, _, err := db.RecordReplyTo(ctx, bad, theirs.Theme); !steady.IsInvalid(err) {
				t.Errorf("someone else's delivery: err = %v", err)
			}
			gone := good
			gone.SourceID, gone.SubscriberID, gone.DeliveryID = "twilio:SMgone", 999999, 0
			if _, _, err := db.RecordReplyTo(ctx, gone, ""); !errors.Is(err, steady.ErrNotFound) {
				t.Errorf("missing subscriber: err = %v", err)
			}
			stolen := good
			stolen.SubscriberID, stolen.DeliveryID = other.ID, 0
			if _, _, err := db.RecordReplyTo(ctx, stolen, ""); !errors.Is(err, steady.ErrConflict) {
				t.Errorf("other subscriber's source id: err = %v", err)
			}
			plain := good
			plain.SourceID, plain.DeliveryID = "twilio:SMplain", 0
			_, created, err := db.RecordReplyTo(ctx, plain, mine.Theme)
			if err == nil && !created {
				t.Error("a reply after the refusals was not stored")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		rs, err := db.Replies(ctx, sub.ID)
		if err != nil || len(rs) != 3 {
			t.Errorf("Replies = %d, %v; want 3", len(rs), err)
		}
		if rs, _ := db.Replies(ctx, other.ID); len(rs) != 0 {
			t.Errorf("%d replies stored for the other subscriber", len(rs))
		}
	})
}
