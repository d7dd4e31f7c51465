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

func TestRequestSubscription(t *testing.T) {
	t.Parallel()
	weekly := steady.Schedule{Cadence: steady.CadenceWeekly, Days: []time.Weekday{time.Monday}, Hour: 7, Minute: 5}
	tests := []struct {
		name string
		// setup brings address "a@example.com" to the state under test.
		setup         func(t *testing.T, db *store.DB)
		wantCreated   bool
		wantStatus    steady.Status
		wantSchedule  steady.Schedule // the schedule in force
		wantRequested bool            // weekly kept as requested_schedule
	}{
		{
			name:         "new",
			setup:        func(t *testing.T, db *store.DB) {},
			wantCreated:  true,
			wantStatus:   steady.StatusPending,
			wantSchedule: weekly,
		},
		{
			name: "pending",
			setup: func(t *testing.T, db *store.DB) {
				if _, err := db.RequestSubscription(context.Background(), request("a@example.com", t0.Add(-time.Hour))); err != nil {
					t.Fatal(err)
				}
			},
			wantStatus:   steady.StatusPending,
			wantSchedule: weekly,
		},
		{
			name: "active",
			setup: func(t *testing.T, db *store.DB) {
				active(t, db, "a@example.com", t0.Add(time.Hour))
			},
			wantStatus:    steady.StatusActive,
			wantSchedule:  daily(20, 30),
			wantRequested: true,
		},
		{
			name: "unsubscribed",
			setup: func(t *testing.T, db *store.DB) {
				sub := active(t, db, "a@example.com", t0.Add(time.Hour))
				if _, err := db.Unsubscribe(context.Background(), sub.ID, steady.Consent{Method: "one-click"}, t0); err != nil {
					t.Fatal(err)
				}
			},
			wantStatus:   steady.StatusPending,
			wantSchedule: weekly,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				tt.setup(t, db)
				before, _ := db.SubscriberByAddress(ctx, steady.ChannelEmail, "a@example.com")
				now := t0.Add(time.Hour) // past ResendAfter of any earlier request
				req := request("a@example.com", now)
				req.TimeZone, req.Schedule = "America/New_York", weekly
				res, err := db.RequestSubscription(ctx, req)
				if err != nil {
					t.Fatal(err)
				}
				sub := res.Subscriber
				if res.Created != tt.wantCreated || !res.ConfirmQueued {
					t.Errorf("Created, ConfirmQueued = %v, %v; want %v, true", res.Created, res.ConfirmQueued, tt.wantCreated)
				}
				if sub.Status != tt.wantStatus || sub.Schedule.String() != tt.wantSchedule.String() {
					t.Errorf("status %s schedule %q; want %s %q", sub.Status, sub.Schedule, tt.wantStatus, tt.wantSchedule)
				}
				if tt.wantRequested {
					if sub.TimeZone != "Europe/London" || sub.RequestedTimeZone != "America/New_York" ||
						sub.RequestedSchedule == nil || sub.RequestedSchedule.String() != weekly.String() {
						t.Errorf("requested settings not kept aside: %+v", sub)
					}
					if !sub.NextSlot.Equal(before.NextSlot) {
						t.Errorf("next slot changed from %v to %v", before.NextSlot, sub.NextSlot)
					}
				} else if sub.TimeZone != "America/New_York" || sub.RequestedTimeZone != "" || sub.RequestedSchedule != nil {
					t.Errorf("settings not replaced: %+v", sub)
				}
				if !before.UnsubscribedAt.IsZero() && !sub.UnsubscribedAt.Equal(before.UnsubscribedAt) {
					t.Errorf("unsubscribed_at %v, want kept %v", sub.UnsubscribedAt, before.UnsubscribedAt)
				}
				if !sub.ConfirmSentAt.Equal(now.Truncate(time.Microsecond)) {
					t.Errorf("ConfirmSentAt = %v, want %v", sub.ConfirmSentAt, now)
				}
				var confirms []steady.Delivery
				for _, d := range mustDeliveries(t, db, sub.ID) {
					if d.Kind == steady.KindConfirm && d.Status == steady.DeliveryQueued {
						confirms = append(confirms, d)
					}
				}
				if n := len(confirms); n == 0 || !confirms[n-1].Slot.Equal(now.Truncate(time.Second)) ||
					!confirms[n-1].NextAttemptAt.Equal(now.Truncate(time.Microsecond)) || confirms[n-1].Channel != steady.ChannelEmail {
					t.Errorf("no confirmation queued for %v: %+v", now, confirms)
				}
				cs, err := db.Consents(ctx, sub.ID)
				if err != nil {
					t.Fatal(err)
				}
				last := cs[len(cs)-1]
				if last.Action != steady.ConsentRequested || !last.At.Equal(now.Truncate(time.Microsecond)) ||
					last.Wording != "Send me prompts" || last.IP != "192.0.2.1" || last.Method != "web" {
					t.Errorf("last consent = %+v", last)
				}
			})
		})
	}
}

func TestRequestSubscriptionResendAfter(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		steps := []struct {
			after      time.Duration
			wantQueued bool
		}{
			{0, true},
			{time.Minute, false},      // within 10 minutes of the first
			{9 * time.Minute, false},  // still within
			{10 * time.Minute, true},  // exactly ResendAfter later
			{11 * time.Minute, false}, // within 10 minutes of the second
		}
		var id int64
		for _, s := range steps {
			res, err := db.RequestSubscription(ctx, request("b@example.com", t0.Add(s.after)))
			if err != nil {
				t.Fatal(err)
			}
			id = res.Subscriber.ID
			if res.ConfirmQueued != s.wantQueued {
				t.Errorf("at +%v: ConfirmQueued = %v, want %v", s.after, res.ConfirmQueued, s.wantQueued)
			}
		}
		if n := len(mustDeliveries(t, db, id)); n != 2 {
			t.Errorf("%d confirmations queued, want 2", n)
		}
		cs, err := db.Consents(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != len(steps) {
			t.Errorf("%d consents recorded, want %d", len(cs), len(steps))
		}
	})
}

func TestRequestSubscriptionInvalid(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		req := request("not an address", t0)
		if _, err := db.RequestSubscription(context.Background(), req); !steady.IsInvalid(err) {
			t.Errorf("err = %v, want a validation error", err)
		}
	})
}

func TestConfirmSubscription(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		next := t0.Add(8 * time.Hour)
		sub := active(t, db, "c@example.com", next)
		if sub.Status != steady.StatusActive || !sub.NextSlot.Equal(next.Truncate(time.Microsecond)) ||
			!sub.ConfirmedAt.Equal(t0.Truncate(time.Microsecond)) {
			t.Fatalf("after confirm: %+v", sub)
		}

		// A repeat sign-up asks for new settings; confirming applies them.
		req := request("c@example.com", t0.Add(time.Hour))
		req.TimeZone, req.Schedule = "Asia/Tokyo", daily(6, 0)
		if _, err := db.RequestSubscription(ctx, req); err != nil {
			t.Fatal(err)
		}
		var seen steady.Subscriber
		later := t0.Add(2 * time.Hour)
		got, err := db.ConfirmSubscription(ctx, sub.ID, steady.Consent{Method: "email-link"}, later,
			func(s steady.Subscriber) (time.Time, error) { seen = s; return later.Add(time.Hour), nil })
		if err != nil {
			t.Fatal(err)
		}
		if seen.TimeZone != "Asia/Tokyo" || seen.Schedule.String() != "daily 06:00" {
			t.Errorf("next saw %q %q, want the applied settings", seen.TimeZone, seen.Schedule)
		}
		if got.TimeZone != "Asia/Tokyo" || got.Schedule.String() != "daily 06:00" ||
			got.RequestedTimeZone != "" || got.RequestedSchedule != nil {
			t.Errorf("settings not applied and cleared: %+v", got)
		}
		if !got.ConfirmedAt.Equal(sub.ConfirmedAt) {
			t.Errorf("ConfirmedAt moved from %v to %v", sub.ConfirmedAt, got.ConfirmedAt)
		}
		if !got.NextSlot.Equal(later.Add(time.Hour).Truncate(time.Microsecond)) {
			t.Errorf("NextSlot = %v", got.NextSlot)
		}
		cs, _ := db.Consents(ctx, sub.ID)
		if last := cs[len(cs)-1]; last.Action != steady.ConsentConfirmed || last.Method != "email-link" {
			t.Errorf("last consent = %+v", last)
		}

		// An unsubscribed subscriber cannot be confirmed back.
		if _, err := db.Unsubscribe(ctx, sub.ID, steady.Consent{Method: "one-click"}, later); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ConfirmSubscription(ctx, sub.ID, steady.Consent{}, later, at(later)); !errors.Is(err, steady.ErrConflict) {
			t.Errorf("confirm unsubscribed: err = %v, want ErrConflict", err)
		}
		if _, err := db.ConfirmSubscription(ctx, 9999, steady.Consent{}, later, at(later)); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("confirm missing: err = %v, want ErrNotFound", err)
		}
		// Signing up again keeps unsubscribed_at until the new link is
		// confirmed; then the stale date goes, and the history stays in the
		// consent records.
		back := later.Add(24 * time.Hour)
		res, err := db.RequestSubscription(ctx, request("c@example.com", back))
		if err != nil {
			t.Fatal(err)
		}
		if res.Subscriber.Status != steady.StatusPending || res.Subscriber.UnsubscribedAt.IsZero() {
			t.Errorf("after a new sign-up: %+v", res.Subscriber)
		}
		got, err = db.ConfirmSubscription(ctx, sub.ID, steady.Consent{Method: "email-link"}, back, at(back.Add(time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != steady.StatusActive || !got.UnsubscribedAt.IsZero() {
			t.Errorf("after confirming a return: status %s, unsubscribed_at %v, want active and none", got.Status, got.UnsubscribedAt)
		}
		if got := mustSubscriber(t, db, sub.ID); !got.UnsubscribedAt.IsZero() {
			t.Errorf("stored unsubscribed_at %v after the return was confirmed", got.UnsubscribedAt)
		}
		cs, _ = db.Consents(ctx, sub.ID)
		var left bool
		for _, c := range cs {
			left = left || (c.Action == steady.ConsentUnsubscribed && c.At.Equal(later.Truncate(time.Microsecond)))
		}
		if !left {
			t.Errorf("the unsubscription is gone from the consent records: %+v", cs)
		}
		// A failing next rolls everything back.
		res, err = db.RequestSubscription(ctx, request("d@example.com", t0))
		if err != nil {
			t.Fatal(err)
		}
		boom := errors.New("boom")
		_, err = db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{}, t0,
			func(steady.Subscriber) (time.Time, error) { return time.Time{}, boom })
		if !errors.Is(err, boom) {
			t.Errorf("err = %v, want boom", err)
		}
		if s := mustSubscriber(t, db, res.Subscriber.ID); s.Status != steady.StatusPending {
			t.Errorf("status after failed confirm = %s", s.Status)
		}
	})
}

func TestUnsubscribe(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "e@example.com", t0)
		if _, err := db.ClaimDue(ctx, t0, 10, planDaily); err != nil {
			t.Fatal(err)
		}
		later := t0.Add(time.Minute)
		for i := range 2 {
			got, err := db.Unsubscribe(ctx, sub.ID, steady.Consent{Method: "one-click", IP: "198.51.100.7"}, later.Add(time.Duration(i)*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != steady.StatusUnsubscribed || !got.NextSlot.IsZero() ||
				!got.UnsubscribedAt.Equal(later.Truncate(time.Microsecond)) {
				t.Errorf("call %d: %+v", i, got)
			}
		}
		for _, d := range mustDeliveries(t, db, sub.ID) {
			if d.Status != steady.DeliveryCancelled || d.LastError != "unsubscribed" {
				t.Errorf("delivery %d (%s): status %s, last error %q", d.ID, d.Kind, d.Status, d.LastError)
			}
		}
		cs, err := db.Consents(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		for _, c := range cs {
			if c.Action == steady.ConsentUnsubscribed {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d unsubscribe consents, want 1", n)
		}
		if _, err := db.Unsubscribe(ctx, 9999, steady.Consent{}, later); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("unsubscribe missing: err = %v", err)
		}
	})
}

func TestLookups(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := active(t, db, "f@example.com", t0)
		b := active(t, db, "g@example.com", t0)
		got, err := db.SubscriberByAddress(ctx, steady.ChannelEmail, "g@example.com")
		if err != nil || got.ID != b.ID {
			t.Errorf("SubscriberByAddress = %+v, %v", got, err)
		}
		if _, err := db.SubscriberByAddress(ctx, steady.ChannelSMS, "g@example.com"); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("other channel: err = %v", err)
		}
		if _, err := db.Subscriber(ctx, 9999); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("missing: err = %v", err)
		}
		all, err := db.ListSubscribers(ctx)
		if err != nil || len(all) != 2 || all[0].ID != a.ID || all[1].ID != b.ID {
			t.Errorf("ListSubscribers = %+v, %v", all, err)
		}
	})
}

func TestDeleteSubscriberCascades(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		keep := active(t, db, "i@example.com", t0)
		sub := active(t, db, "h@example.com", t0) // the highest id
		if _, err := db.ClaimDue(ctx, t0, 10, planDaily); err != nil {
			t.Fatal(err)
		}
		ds := mustDeliveries(t, db, sub.ID)
		if _, _, err := db.RecordReply(ctx, steady.Reply{SubscriberID: sub.ID, DeliveryID: ds[len(ds)-1].ID,
			Channel: steady.ChannelWeb, Body: "NO, not really", ReceivedAt: t0, SourceID: "form-1"}); err != nil {
			t.Fatal(err)
		}
		pid, err := db.SavePreview(ctx, steady.Message{DeliveryID: ds[0].ID, Channel: steady.ChannelEmail,
			To: "h@example.com", Text: "hello"}, t0)
		if err != nil {
			t.Fatal(err)
		}
		// A summary's or safety note's preview names no delivery.
		loose, err := db.SavePreview(ctx, steady.Message{Channel: steady.ChannelEmail, To: "h@example.com", Text: "a note"}, t0)
		if err != nil {
			t.Fatal(err)
		}
		kept, err := db.SavePreview(ctx, steady.Message{Channel: steady.ChannelEmail, To: "i@example.com", Text: "theirs"}, t0)
		if err != nil {
			t.Fatal(err)
		}

		if err := db.DeleteSubscriber(ctx, sub.ID, testHasher(t)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Subscriber(ctx, sub.ID); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("subscriber still there: %v", err)
		}
		if cs, _ := db.Consents(ctx, sub.ID); len(cs) != 0 {
			t.Errorf("%d consents left", len(cs))
		}
		if ds := mustDeliveries(t, db, sub.ID); len(ds) != 0 {
			t.Errorf("%d deliveries left", len(ds))
		}
		if rs, _ := db.Replies(ctx, sub.ID); len(rs) != 0 {
			t.Errorf("%d replies left", len(rs))
		}
		for _, id := range []int64{pid, loose} {
			if _, err := db.Preview(ctx, id); !errors.Is(err, steady.ErrNotFound) {
				t.Errorf("preview %d left: %v", id, err)
			}
		}
		if _, err := db.Preview(ctx, kept); err != nil {
			t.Errorf("the other subscriber's preview went too: %v", err)
		}
		if len(mustDeliveries(t, db, keep.ID)) == 0 {
			t.Error("the other subscriber's deliveries went too")
		}
		if err := db.DeleteSubscriber(ctx, sub.ID, testHasher(t)); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("second delete: err = %v", err)
		}
		// Ids are not reused after an erasure.
		again := active(t, db, "h@example.com", t0)
		if again.ID <= sub.ID {
			t.Errorf("new id %d reuses an old one (max was %d)", again.ID, sub.ID)
		}
	})
}

// Simultaneous sign-ups for one new address make one subscriber.
func TestRequestSubscriptionConcurrent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const callers = 6
		results := make(chan store.SubscriptionResult, callers)
		for i := range callers {
			go func() {
				res, err := db.RequestSubscription(ctx, request("race@example.com", t0.Add(time.Duration(i)*time.Second)))
				if err != nil {
					t.Error(err)
				}
				results <- res
			}()
		}
		created, queued := 0, 0
		for range callers {
			res := <-results
			if res.Created {
				created++
			}
			if res.ConfirmQueued {
				queued++
			}
		}
		if created != 1 || queued != 1 {
			t.Errorf("created %d, queued %d; want 1, 1", created, queued)
		}
		all, err := db.ListSubscribers(ctx)
		if err != nil || len(all) != 1 {
			t.Errorf("ListSubscribers = %d, %v", len(all), err)
		}
	})
}

// Someone who confirmed, left and signs up again minutes later needs a
// fresh link: the last one was used. A second try within ten minutes is
// limited again, so the form still cannot flood an inbox.
func TestRequestSubscriptionAfterLeavingGetsAFreshLink(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		sub := active(t, db, "back@example.com", t0.Add(time.Hour))
		if _, err := db.Unsubscribe(ctx, sub.ID, steady.Consent{Method: "one-click"}, t0.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		for _, s := range []struct {
			after      time.Duration
			wantQueued bool
		}{
			{3 * time.Minute, true},
			{4 * time.Minute, false},
		} {
			res, err := db.RequestSubscription(ctx, request("back@example.com", t0.Add(s.after)))
			if err != nil {
				t.Fatal(err)
			}
			if res.ConfirmQueued != s.wantQueued {
				t.Errorf("at +%v: ConfirmQueued = %v, want %v", s.after, res.ConfirmQueued, s.wantQueued)
			}
		}
	})
}
