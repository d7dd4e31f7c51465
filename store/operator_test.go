package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// setStatus moves one delivery to status, as the sender would have.
func setStatus(t *testing.T, db *store.DB, id int64, status steady.DeliveryStatus) {
	t.Helper()
	if err := db.ExecForTest(context.Background(), `UPDATE deliveries SET status = ? WHERE id = ?`, string(status), id); err != nil {
		t.Fatal(err)
	}
}

// onePrompt queues one prompt for sub (due at t0) and returns it.
func onePrompt(t *testing.T, db *store.DB, sub steady.Subscriber) steady.Delivery {
	t.Helper()
	if n, err := db.ClaimDue(context.Background(), sub.NextSlot, 1000, planDaily); err != nil || n == 0 {
		t.Fatalf("ClaimDue = %d, %v", n, err)
	}
	ps := prompts(t, db, sub.ID)
	return ps[len(ps)-1]
}

func TestSearchSubscribers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var ids []int64
		for i := range 7 {
			ids = append(ids, active(t, db, fmt.Sprintf("ann%d@Example.com", i), t0.Add(time.Hour)).ID)
		}
		other := active(t, db, "bob_x@example.org", t0.Add(time.Hour))
		pending, err := db.RequestSubscription(ctx, request("annie@example.net", t0))
		if err != nil {
			t.Fatal(err)
		}

		// Paging by id, three at a time, walks every "ann" exactly once.
		var seen []int64
		after := int64(0)
		for page := 0; page < 10; page++ {
			got, err := db.SearchSubscribers(ctx, store.SubscriberFilter{Address: "ANN", Status: steady.StatusActive, AfterID: after, Limit: 3})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				break
			}
			for _, s := range got {
				seen = append(seen, s.ID)
			}
			after = got[len(got)-1].ID
		}
		if fmt.Sprint(seen) != fmt.Sprint(ids) {
			t.Errorf("paged search = %v, want %v", seen, ids)
		}

		// LIKE's wildcards are searched for as text.
		got, err := db.SearchSubscribers(ctx, store.SubscriberFilter{Address: "_x@"})
		if err != nil || len(got) != 1 || got[0].ID != other.ID {
			t.Errorf(`search "_x@" = %v, %v; want only %d`, got, err, other.ID)
		}
		got, err = db.SearchSubscribers(ctx, store.SubscriberFilter{Address: "%"})
		if err != nil || len(got) != 0 {
			t.Errorf(`search "%%" = %d subscribers, %v; want none`, len(got), err)
		}
		got, err = db.SearchSubscribers(ctx, store.SubscriberFilter{Status: steady.StatusPending, Channel: steady.ChannelEmail})
		if err != nil || len(got) != 1 || got[0].ID != pending.Subscriber.ID {
			t.Errorf("pending email = %v, %v", got, err)
		}
		if _, err := db.SearchSubscribers(ctx, store.SubscriberFilter{Status: "gone"}); !steady.IsInvalid(err) {
			t.Errorf("bad status: %v, want invalid", err)
		}
		if _, err := db.SearchSubscribers(ctx, store.SubscriberFilter{Channel: "fax"}); !steady.IsInvalid(err) {
			t.Errorf("bad channel: %v, want invalid", err)
		}

		counts, err := db.CountSubscribers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []store.SubscriberCount{
			{Status: steady.StatusActive, Channel: steady.ChannelEmail, N: 8},
			{Status: steady.StatusPending, Channel: steady.ChannelEmail, N: 1},
		}
		if fmt.Sprint(counts) != fmt.Sprint(want) {
			t.Errorf("CountSubscribers = %v, want %v", counts, want)
		}
	})
}

func TestListDeliveriesAndStats(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := active(t, db, "a@example.com", t0)
		b := active(t, db, "b@example.com", t0)
		if n, err := db.ClaimDue(ctx, t0, 10, planDaily); err != nil || n != 2 {
			t.Fatalf("ClaimDue = %d, %v", n, err)
		}
		pa, pb := prompts(t, db, a.ID)[0], prompts(t, db, b.ID)[0]
		setStatus(t, db, pa.ID, steady.DeliverySent)
		setStatus(t, db, pb.ID, steady.DeliveryFailed)
		if _, _, err := db.RecordReply(ctx, steady.Reply{SubscriberID: a.ID, DeliveryID: pa.ID, Channel: steady.ChannelEmail,
			Body: "a private answer", ReceivedAt: t0.Add(time.Hour), SourceID: "m1"}); err != nil {
			t.Fatal(err)
		}

		failed, err := db.ListDeliveries(ctx, store.DeliveryFilter{Statuses: []steady.DeliveryStatus{steady.DeliveryFailed, steady.DeliveryUnknown}})
		if err != nil || len(failed) != 1 || failed[0].ID != pb.ID {
			t.Fatalf("failed or unknown = %v, %v; want only %d", failed, err, pb.ID)
		}
		all, err := db.ListDeliveries(ctx, store.DeliveryFilter{Limit: 1})
		if err != nil || len(all) != 1 {
			t.Fatalf("first page = %v, %v", all, err)
		}
		rest, err := db.ListDeliveries(ctx, store.DeliveryFilter{BeforeID: all[0].ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range rest {
			if d.ID >= all[0].ID {
				t.Errorf("second page has %d, not below %d", d.ID, all[0].ID)
			}
		}
		mine, err := db.ListDeliveries(ctx, store.DeliveryFilter{SubscriberID: a.ID, Kind: steady.KindPrompt, Channel: steady.ChannelEmail})
		if err != nil || len(mine) != 1 || mine[0].ID != pa.ID {
			t.Errorf("a's prompts = %v, %v", mine, err)
		}
		if _, err := db.ListDeliveries(ctx, store.DeliveryFilter{Statuses: []steady.DeliveryStatus{"lost"}}); !steady.IsInvalid(err) {
			t.Errorf("bad status: %v, want invalid", err)
		}
		if _, err := db.ListDeliveries(ctx, store.DeliveryFilter{Kind: "poem"}); !steady.IsInvalid(err) {
			t.Errorf("bad kind: %v, want invalid", err)
		}

		days, err := db.DeliveriesPerDay(ctx, t0.Add(-48*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		day := t0.UTC().Format("2006-01-02")
		var prompted int
		for _, d := range days {
			if d.Kind == steady.KindPrompt {
				if d.Day != day {
					t.Errorf("prompt counted on %s, want %s", d.Day, day)
				}
				prompted += d.N
			}
		}
		if prompted != 2 {
			t.Errorf("per day: %d prompts, want 2 (%v)", prompted, days)
		}
		if later, err := db.DeliveriesPerDay(ctx, t0.Add(time.Hour)); err != nil || len(later) != 0 {
			t.Errorf("per day after the slot = %v, %v; want none", later, err)
		}

		st, err := db.OperatorStats(ctx, t0.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if st.PromptsSent != 1 || st.PromptsFailed != 1 || st.RepliedPrompts != 1 || st.Replies[steady.ChannelEmail] != 1 || st.ReplyRate() != 1 {
			t.Errorf("stats = %+v", st)
		}
		// The two confirmations were queued by sign-up at t0 and are still queued.
		if st.Queued != 2 || !st.OldestQueued.Equal(t0.Truncate(time.Microsecond)) {
			t.Errorf("queued = %d, oldest %v; want 2 at %v", st.Queued, st.OldestQueued, t0)
		}
	})
}

func TestRequeueDelivery(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := t0.Add(3 * time.Hour)
		sub := active(t, db, "c@example.com", t0)
		d := onePrompt(t, db, sub)

		for _, st := range []steady.DeliveryStatus{steady.DeliveryQueued, steady.DeliverySent, steady.DeliveryCancelled, steady.DeliverySending} {
			setStatus(t, db, d.ID, st)
			if _, err := db.RequeueDelivery(ctx, d.ID, now); !errors.Is(err, steady.ErrConflict) {
				t.Errorf("requeue a %s delivery: %v, want a conflict", st, err)
			}
		}
		for _, st := range []steady.DeliveryStatus{steady.DeliveryFailed, steady.DeliveryUnknown} {
			setStatus(t, db, d.ID, st)
			got, err := db.RequeueDelivery(ctx, d.ID, now)
			if err != nil {
				t.Fatalf("requeue a %s email: %v", st, err)
			}
			if got.Status != steady.DeliveryQueued || !got.NextAttemptAt.Equal(now.Truncate(time.Microsecond)) {
				t.Errorf("after requeue = %+v, want queued and due at %v", got, now)
			}
		}

		// An unknown SMS may have arrived: sending it again could double-text.
		if err := db.ExecForTest(ctx, `UPDATE deliveries SET channel = 'sms', status = 'unknown' WHERE id = ?`, d.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RequeueDelivery(ctx, d.ID, now); !errors.Is(err, steady.ErrConflict) {
			t.Errorf("requeue an unknown SMS: %v, want a conflict", err)
		}
		if got, _ := db.Delivery(ctx, d.ID); got.Status != steady.DeliveryUnknown {
			t.Errorf("refused requeue changed the delivery to %s", got.Status)
		}

		// A failed prompt of someone who has since left stays failed.
		setStatus(t, db, d.ID, steady.DeliveryFailed)
		if _, err := db.Unsubscribe(ctx, sub.ID, steady.Consent{Method: "web"}, now); err != nil {
			t.Fatal(err)
		}
		if _, err := db.RequeueDelivery(ctx, d.ID, now); !errors.Is(err, steady.ErrConflict) {
			t.Errorf("requeue the prompt of an unsubscribed subscriber: %v, want a conflict", err)
		}
		if _, err := db.RequeueDelivery(ctx, 987654, now); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("requeue a missing delivery: %v, want not found", err)
		}
	})
}
