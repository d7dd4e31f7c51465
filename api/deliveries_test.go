package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

type deliveryJSON struct {
	ID            int64  `json:"id"`
	SubscriberID  int64  `json:"subscriber_id"`
	Kind          string `json:"kind"`
	Purpose       string `json:"purpose"`
	Channel       string `json:"channel"`
	Status        string `json:"status"`
	Attempts      int    `json:"attempts"`
	LastError     string `json:"last_error"`
	ResendAllowed bool   `json:"resend_allowed"`
}

type deliveryPage struct {
	Deliveries []deliveryJSON
	Next       string
}

// outbox is a handful of confirmations in every state that matters.
type outbox struct {
	failed, sent, unknownEmail, unknownSMS, leftFailed int64 // delivery ids
	a, d, sms                                          int64 // subscriber ids
}

// finishNext claims the one delivery due and ends it with status, as the
// sender would after trying it once.
func (b *bundle) finishNext(status steady.DeliveryStatus, lastError string) int64 {
	b.t.Helper()
	ctx := context.Background()
	now := b.clock.Now()
	c, err := b.db.ClaimNext(ctx, now, now.Add(time.Minute))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := b.db.FinishDelivery(ctx, c, store.Outcome{Status: status, Error: lastError, Attempts: 1, Now: now}); err != nil {
		b.t.Fatal(err)
	}
	return c.ID
}

func (b *bundle) outbox() outbox {
	b.t.Helper()
	var o outbox
	o.a = b.create("a@example.org").ID
	o.failed = b.finishNext(steady.DeliveryFailed, "550 mailbox unavailable")
	b.create("b@example.org")
	o.sent = b.finishNext(steady.DeliverySent, "")
	b.create("c@example.org")
	o.unknownEmail = b.finishNext(steady.DeliveryUnknown, "timeout after DATA")
	res, err := b.db.RequestSubscription(context.Background(), store.SubscriptionRequest{
		Channel: steady.ChannelSMS, Address: "+447700900123", TimeZone: "Europe/London",
		Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 20, Minute: 30},
		Consent:  steady.Consent{Method: "sms", Wording: "Texted START"}, Now: b.clock.Now(), FromOwner: true,
	})
	if err != nil {
		b.t.Fatal(err)
	}
	o.sms = res.Subscriber.ID
	o.unknownSMS = b.finishNext(steady.DeliveryUnknown, "lease ran out after the attempt")
	o.d = b.create("d@example.org").ID
	o.leftFailed = b.finishNext(steady.DeliveryFailed, "421 try later")
	if res := b.post(path("/api/v1/subscribers/", o.d, "/unsubscribe"), ""); res.status != http.StatusOK {
		b.t.Fatalf("unsubscribe: %d %s", res.status, res.body)
	}
	return o
}

func deliveryIDs(t *testing.T, b *bundle, q string) ([]int64, string) {
	t.Helper()
	res := b.get(q)
	if res.status != http.StatusOK {
		t.Fatalf("%s: %d %s", q, res.status, res.body)
	}
	var page deliveryPage
	res.decode(t, &page)
	var ids []int64
	for _, d := range page.Deliveries {
		ids = append(ids, d.ID)
	}
	return ids, page.Next
}

// Deliveries needing attention, newest first, paged by before; filters.
func TestListDeliveries(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		o := b.outbox()
		want := []int64{o.leftFailed, o.unknownSMS, o.unknownEmail, o.failed}
		page1, next := deliveryIDs(t, b, "/api/v1/deliveries?status=failed,unknown&limit=2")
		if !slices.Equal(page1, want[:2]) || next == "" {
			t.Fatalf("page 1: %v next %q, want %v", page1, next, want[:2])
		}
		page2, next := deliveryIDs(t, b, "/api/v1/deliveries?status=failed,unknown&limit=2&before="+next)
		if !slices.Equal(page2, want[2:]) || next != "" {
			t.Fatalf("page 2: %v next %q, want %v", page2, next, want[2:])
		}
		if got, _ := deliveryIDs(t, b, "/api/v1/deliveries?status=failed,unknown&channel=sms"); !slices.Equal(got, []int64{o.unknownSMS}) {
			t.Errorf("sms: %v", got)
		}
		if got, _ := deliveryIDs(t, b, "/api/v1/deliveries?subscriber_id="+itoa(o.a)); !slices.Equal(got, []int64{o.failed}) {
			t.Errorf("subscriber a: %v", got)
		}
		if got, _ := deliveryIDs(t, b, "/api/v1/deliveries?kind=prompt"); len(got) != 0 {
			t.Errorf("prompts: %v", got)
		}
		if got, _ := deliveryIDs(t, b, "/api/v1/deliveries?status=sent&kind=confirm"); !slices.Equal(got, []int64{o.sent}) {
			t.Errorf("sent: %v", got)
		}

		var page deliveryPage
		b.get("/api/v1/deliveries?subscriber_id="+itoa(o.a)).decode(t, &page)
		d := page.Deliveries[0]
		if d.Kind != "confirm" || d.Purpose != "confirmation" || d.Status != "failed" || d.Attempts != 1 ||
			d.LastError != "550 mailbox unavailable" || !d.ResendAllowed || d.Channel != "email" {
			t.Errorf("delivery %+v", d)
		}

		for q, field := range map[string]string{
			"status=failed,lost": "status",
			"status=":            "",
			"kind=letter":        "kind",
			"channel=fax":        "channel",
			"before=0":           "before",
			"subscriber_id=x":    "subscriber_id",
			"limit=1000":         "limit",
			"after=3":            "after",
		} {
			res := b.do(call{method: http.MethodGet, path: "/api/v1/deliveries?" + q, bad: true})
			if field == "" {
				if res.status != http.StatusOK {
					t.Errorf("%s: %d %s", q, res.status, res.body)
				}
				continue
			}
			res.wantError(t, http.StatusBadRequest, "invalid", field)
		}
	})
}

// A failed delivery and an email whose outcome is unknown are queued
// again and the sender woken; an unknown text, a sent one, and one its
// subscriber no longer wants are 409 and stay as they were.
func TestResendDelivery(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		ctx := context.Background()
		o := b.outbox()
		wakes := b.wakes.Load()
		for _, id := range []int64{o.failed, o.unknownEmail} {
			var d deliveryJSON
			res := b.post(path("/api/v1/deliveries/", id, "/resend"), "")
			res.decode(t, &d)
			if res.status != http.StatusOK || d.Status != "queued" || d.ResendAllowed || d.Attempts != 1 {
				t.Fatalf("resend %d: %d %s", id, res.status, res.body)
			}
		}
		if got := b.wakes.Load() - wakes; got != 2 {
			t.Errorf("woke the sender %d times for two resends", got)
		}
		// The sender finds it due now.
		c, err := db.ClaimNext(ctx, b.clock.Now(), b.clock.Now().Add(time.Minute))
		if err != nil || (c.ID != o.failed && c.ID != o.unknownEmail) {
			t.Fatalf("claimed %d, %v", c.ID, err)
		}

		for id, says := range map[int64]string{
			o.unknownSMS: "unknown on sms",
			o.sent:       "sent on email",
			o.leftFailed: "no longer wants",
		} {
			e := b.post(path("/api/v1/deliveries/", id, "/resend"), "").wantError(t, http.StatusConflict, "conflict", "")
			if !strings.Contains(e.Error.Message, says) {
				t.Errorf("refusal of %d says %q, want %q", id, e.Error.Message, says)
			}
			d, err := db.Delivery(ctx, id)
			if err != nil || d.Status == steady.DeliveryQueued {
				t.Errorf("refused delivery %d is now %s (%v)", id, d.Status, err)
			}
		}
		b.post("/api/v1/deliveries/999999/resend", "").wantError(t, http.StatusNotFound, "not_found", "")
		b.do(call{method: http.MethodPost, path: path("/api/v1/deliveries/", o.failed, "/resend"), body: `{"force":true}`, bad: true}).
			wantError(t, http.StatusBadRequest, "invalid", "force")
		b.audited("send again", "delivery "+itoa(o.failed))
	})
}

type statsJSON struct {
	Since       time.Time
	Days        int
	Subscribers []struct {
		Status, Channel string
		Count           int
	}
	Prompts struct {
		Sent, Failed, Unknown, Replied int
	}
	Queued           int
	OldestQueuedAt   *time.Time `json:"oldest_queued_at"`
	DeliveriesPerDay []struct {
		Day, Kind, Channel, Status string
		Count                      int
	} `json:"deliveries_per_day"`
}

// Stats count subscribers and deliveries, and only within the days asked.
func TestStats(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		o := b.outbox()
		if res := b.post(path("/api/v1/deliveries/", o.failed, "/resend"), ""); res.status != http.StatusOK {
			t.Fatal(res)
		}
		b.clock.Set(start.Add(3 * 24 * time.Hour))
		var st statsJSON
		res := b.get("/api/v1/stats?days=7")
		res.decode(t, &st)
		if res.status != http.StatusOK || st.Days != 7 || !st.Since.Equal(start.Add(-4*24*time.Hour)) {
			t.Fatalf("%d %s", res.status, res.body)
		}
		subs := map[string]int{}
		for _, c := range st.Subscribers {
			subs[c.Status+"/"+c.Channel] = c.Count
		}
		if len(subs) != 3 || subs["pending/email"] != 3 || subs["pending/sms"] != 1 || subs["unsubscribed/email"] != 1 {
			t.Errorf("subscribers %v", subs)
		}
		if st.Queued != 1 || st.OldestQueuedAt == nil || !st.OldestQueuedAt.Equal(start) {
			t.Errorf("queued %d, oldest %v", st.Queued, st.OldestQueuedAt)
		}
		perDay := map[string]int{}
		for _, d := range st.DeliveriesPerDay {
			perDay[d.Day+" "+d.Kind+" "+d.Channel+" "+d.Status] = d.Count
		}
		wantDay := map[string]int{
			"2026-11-26 confirm email queued":  1,
			"2026-11-26 confirm email sent":    1,
			"2026-11-26 confirm email unknown": 1,
			"2026-11-26 confirm email failed":  1,
			"2026-11-26 confirm sms unknown":   1,
		}
		if len(perDay) != len(wantDay) {
			t.Errorf("per day %v", perDay)
		}
		for k, n := range wantDay {
			if perDay[k] != n {
				t.Errorf("per day %q = %d, want %d (all: %v)", k, perDay[k], n, perDay)
			}
		}
		// Two days back reaches none of those deliveries.
		b.get("/api/v1/stats?days=2").decode(t, &st)
		if len(st.DeliveriesPerDay) != 0 {
			t.Errorf("days=2: %v", st.DeliveriesPerDay)
		}
		if res := b.get("/api/v1/stats"); res.status != http.StatusOK {
			t.Errorf("default days: %d", res.status)
		}
		for _, q := range []string{"days=0", "days=367", "days=week", "since=2026-01-01"} {
			field := "days"
			if strings.HasPrefix(q, "since") {
				field = "since"
			}
			b.do(call{method: http.MethodGet, path: "/api/v1/stats?" + q, bad: true}).wantError(t, http.StatusBadRequest, "invalid", field)
		}
	})
}
