package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/compliance"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

// testHasher is the compliance hasher of the web tests.
func testHasher(t testing.TB) *compliance.Hasher {
	t.Helper()
	h, err := compliance.NewHasher(secret)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func withHasher(c *web.Config) {
	h, err := compliance.NewHasher(secret)
	if err != nil {
		panic(err)
	}
	c.AddressHasher = h
}

// The finding: an erased STOP could be signed up again by a stranger at
// once, and the number texted. Now a web or API sign-up of a number that
// texted STOP (erased or not) sends nothing, answers as for any number,
// and only a START from the phone itself brings texts back.
func TestStrangerCannotSignUpAStoppedNumber(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db), withHasher)
		ctx := context.Background()
		sub := smsActive(b)
		if res := b.text(phone, "STOP", ""); !strings.Contains(res.body, "unsubscribed") {
			t.Fatalf("STOP: %s", res.body)
		}
		signUp := `{"phone":"` + phoneTyped + `","timezone":"Europe/London","cadence":"daily","time":"07:00"}`
		form := url.Values{"phone": {phoneTyped}, "timezone": {"Europe/London"}, "cadence": {"daily"}, "time": {"07:00"}}

		// Unsubscribed, not erased: nothing queued, the status stays.
		before, wakes := b.counts(), b.wakes.Load()
		res := b.postJSON(signUp)
		if res.status != http.StatusAccepted || !strings.Contains(res.body, "If this number can get texts from us") {
			t.Fatalf("stranger's API sign-up after STOP: %d %s", res.status, res.body)
		}
		if page := b.postForm("/subscribe", form); page.status != http.StatusOK || !strings.Contains(page.body, "If this number can get texts from us") {
			t.Fatalf("stranger's form sign-up after STOP: %d %s", page.status, page.body)
		}
		b.unchanged(before)
		if got := smsSubscriber(b); got.Status != steady.StatusUnsubscribed || b.wakes.Load() != wakes {
			t.Fatalf("after a stranger's sign-up: %s, %d wakes", got.Status, b.wakes.Load()-wakes)
		}

		// Erased: the kept opt-out holds the number back just the same.
		if err := db.DeleteSubscriber(ctx, sub.ID, testHasher(t)); err != nil {
			t.Fatal(err)
		}
		before = b.counts()
		res = b.postJSON(signUp)
		if res.status != http.StatusAccepted || !strings.Contains(res.body, "If this number can get texts from us") {
			t.Fatalf("stranger's sign-up after erasure: %d %s", res.status, res.body)
		}
		if page := b.postForm("/subscribe", form); page.status != http.StatusOK {
			t.Fatalf("form after erasure: %d %s", page.status, page.body)
		}
		b.unchanged(before)
		if _, err := db.SubscriberByAddress(ctx, steady.ChannelSMS, phone); err == nil {
			t.Fatal("the erased STOP number was signed up again by a stranger")
		}
		if b.wakes.Load() != wakes {
			t.Error("the dispatcher was woken: something was queued")
		}

		// A number that never texted STOP gets the very same answer.
		other := b.postJSON(strings.Replace(signUp, phoneTyped, "+44 7400 654321", 1))
		if other.status != res.status || other.body != res.body {
			t.Errorf("answers differ: %s / %s", other.body, res.body)
		}

		// The owner texts START from the phone: their own opt-in.
		b.text(phone, "START", "")
		back := smsSubscriber(b)
		ds, _ := db.Deliveries(ctx, back.ID)
		if back.Status != steady.StatusPending || len(ds) != 1 || ds[0].Kind != steady.KindConfirm {
			t.Fatalf("after the owner's START: %s, deliveries %+v", back.Status, ds)
		}
		if res := b.text(phone, "YES", ""); !strings.Contains(res.body, "subscribed") || smsSubscriber(b).Status != steady.StatusActive {
			t.Fatalf("YES: %s", res.body)
		}
		noLeaks(b)
	})
}

// After an unsubscription by STOP (not erased), START from the phone still
// rejoins at once, as before.
func TestOwnerStartRejoinsAfterStop(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withSMS(db), withHasher)
		smsActive(b)
		b.text(phone, "STOP", "")
		b.postJSON(`{"phone":"` + phoneTyped + `","timezone":"Europe/London","cadence":"daily","time":"07:00"}`)
		if res := b.text(phone, "START", ""); !strings.Contains(res.body, "welcome back") {
			t.Fatalf("START: %s", res.body)
		}
		if got := smsSubscriber(b); got.Status != steady.StatusActive || got.Schedule.Hour != 20 {
			t.Errorf("rejoined %+v: want active on the old schedule, not the stranger's", got)
		}
	})
}
