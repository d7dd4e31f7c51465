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

// START after STOP, even minutes later, rejoins at once: the text from the
// number is the owner's own opt-in. One answer, no second opt-in round, and
// a replayed webhook changes nothing.
func TestSMSStartAfterStopRejoins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db))
		sub := smsActive(b)
		ctx := context.Background()
		b.text(phone, "STOP", "")
		if s := smsSubscriber(b); s.Status != steady.StatusUnsubscribed {
			t.Fatalf("after STOP: %s", s.Status)
		}
		b.clock.Advance(2 * time.Minute)
		res := b.text(phone, "START", "SMrejoin00000000000000000000000")
		if !strings.Contains(res.body, "welcome back") || !strings.Contains(res.body, "STOP to opt out") {
			t.Errorf("START after STOP: %s", res.body)
		}
		got := smsSubscriber(b)
		if got.Status != steady.StatusActive || got.NextSlot.IsZero() || !got.UnsubscribedAt.IsZero() {
			t.Fatalf("after START: %+v", got)
		}
		if n := confirmsOf(b, sub.ID); n != 1 {
			t.Errorf("%d confirmation texts, want the first one only", n)
		}
		cs, err := b.db.Consents(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if last := cs[len(cs)-1]; last.Action != steady.ConsentConfirmed || !strings.Contains(last.Wording, `"START"`) {
			t.Errorf("last consent %+v", last)
		}
		if replay := b.text(phone, "START", "SMrejoin00000000000000000000000"); messageRE.MatchString(replay.body) {
			t.Errorf("a replayed START answered again: %s", replay.body)
		}
		if again := b.text(phone, "START", ""); !strings.Contains(again.body, "already subscribed") {
			t.Errorf("a second START: %s", again.body)
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
		ds := storetest.Claim(t, b.db, b.clock.Now())
		if len(ds) != 1 {
			t.Fatalf("claim: %v", ds)
		}
		if err := b.db.FinishDelivery(ctx, ds[0], store.Outcome{Status: steady.DeliveryFailed, Error: "HTTP 400", Now: b.clock.Now()}); err != nil {
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
