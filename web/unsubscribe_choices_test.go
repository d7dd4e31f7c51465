package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// The unsubscribe page offers a pause instead; pausing moves the next
// prompt past the pause, cancels the queued one, and sends nothing until
// then.
func TestUnsubscribePageOffersPause(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub, d := b.prompted("pia@example.org")
		link := b.links.UnsubscribeURL(sub)
		page := b.get(pathOf(t, link))
		for _, want := range []string{`action="/unsubscribe/pause"`, `name="weeks" value="2"`, `name="weeks" value="4"`, "kept for you until you delete them from your settings page", "Unsubscribing closes that page"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("the unsubscribe page lacks %q", want)
			}
		}
		now := b.clock.Now()
		res := b.postForm("/unsubscribe/pause", url.Values{"t": {tokenOf(t, link)}, "weeks": {"4"}})
		until := now.AddDate(0, 0, 28)
		if res.status != http.StatusOK || !strings.Contains(res.body, "Prompts paused") ||
			!strings.Contains(res.body, until.In(mustLoc(t, "Europe/London")).Format("Monday 2 January")) {
			t.Fatalf("pause: %d %s", res.status, res.body)
		}
		got := b.subscriber("pia@example.org")
		if got.Status != steady.StatusActive || !got.PausedUntil.Equal(until) || got.NextSlot.Before(until) {
			t.Errorf("after pausing: status %s, paused until %s, next %s; want active, %s, after it", got.Status, got.PausedUntil, got.NextSlot, until)
		}
		queued, err := db.Delivery(context.Background(), d.ID)
		if err != nil || queued.Status == steady.DeliveryQueued {
			t.Errorf("the prompt queued before the pause: %+v, %v", queued, err)
		}
		// Nothing is due before the pause ends.
		claimed, err := db.ClaimDue(context.Background(), until.Add(-time.Minute), 10, func(s steady.Subscriber, _ string) (steady.Delivery, time.Time, error) {
			t.Errorf("subscriber %d claimed during the pause", s.ID)
			return steady.Delivery{}, time.Time{}, errors.New("claimed")
		})
		if err == nil && claimed != 0 {
			t.Errorf("%d claimed during the pause", claimed)
		}
		if res := b.postForm("/unsubscribe/pause", url.Values{"t": {tokenOf(t, link)}, "weeks": {"52"}}); res.status != http.StatusBadRequest {
			t.Errorf("52 weeks: %d", res.status)
		}
	})
}

// After unsubscribing at the page, "Delete everything now" erases the
// subscriber and keeps the opt-out under its hash; a one-click POST only
// unsubscribes and offers nothing.
func TestUnsubscribeThenDeleteNow(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withHasher)
		sub, _ := b.prompted("del@example.org")
		link := b.links.UnsubscribeURL(sub)

		res := b.post(pathOf(t, link), "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click")
		if res.status != http.StatusOK || strings.Contains(res.body, "/unsubscribe/delete") {
			t.Errorf("one-click: %d, offers deletion: %v", res.status, strings.Contains(res.body, "/unsubscribe/delete"))
		}
		if got := b.subscriber("del@example.org"); got.Status != steady.StatusUnsubscribed {
			t.Fatalf("one-click did not unsubscribe: %s", got.Status)
		}

		other := b.confirmed("keep@example.org")
		res = b.postForm("/unsubscribe/delete", url.Values{"t": {tokenOf(t, b.links.UnsubscribeURL(other))}})
		if res.status != http.StatusConflict {
			t.Errorf("delete while subscribed: %d", res.status)
		}
		if b.subscriber("keep@example.org").ID != other.ID {
			t.Error("an active subscriber was erased")
		}

		page := b.get(pathOf(t, link)) // reopened: unsubscribed, with the offer
		if !strings.Contains(page.body, "Delete everything now") || !strings.Contains(page.body, "still kept") {
			t.Fatalf("the unsubscribed page does not offer deletion:\n%s", page.body)
		}
		for range 2 { // a second press is no error
			res = b.postForm("/unsubscribe/delete", url.Values{"t": {tokenOf(t, link)}})
			if res.status != http.StatusOK || !strings.Contains(res.body, "Everything is deleted") {
				t.Fatalf("delete: %d %s", res.status, res.body)
			}
		}
		if _, err := db.Subscriber(context.Background(), sub.ID); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("after deleting, the subscriber: %v", err)
		}
		hash, err := testHasher(t).HashAddress(steady.ChannelEmail, "del@example.org")
		if err != nil {
			t.Fatal(err)
		}
		recs, err := db.ComplianceRecords(context.Background(), steady.ChannelEmail, hash)
		if err != nil || len(recs) == 0 {
			t.Errorf("compliance records after erasure: %+v, %v", recs, err)
		}
		if logs := b.logs.String(); strings.Contains(logs, "del@") {
			t.Errorf("the log names the address:\n%s", logs)
		}
	})
}

// The web form's unsubscribe offers deletion too, right away.
func TestUnsubscribeButtonOffersDelete(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, withHasher)
		sub := b.confirmed("btn@example.org")
		res := b.postForm("/unsubscribe", url.Values{"t": {tokenOf(t, b.links.UnsubscribeURL(sub))}})
		if res.status != http.StatusOK || !strings.Contains(res.body, `action="/unsubscribe/delete"`) {
			t.Errorf("after the button: %d %s", res.status, res.body)
		}
		if b := setup(t, db); true {
			sub := b.confirmed("nohash@example.org")
			res := b.postForm("/unsubscribe", url.Values{"t": {tokenOf(t, b.links.UnsubscribeURL(sub))}})
			if strings.Contains(res.body, "/unsubscribe/delete") {
				t.Error("deletion offered without a hasher")
			}
		}
	})
}

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
