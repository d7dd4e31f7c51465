package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/summary"
)

// A confirm link confirms once; a second use changes nothing.
func TestConfirmLinkWorksOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.subscribe("once@example.org")
		form := url.Values{"t": {tokenOf(t, b.links.ConfirmURL(sub))}}
		if res := b.postForm("/confirm", form); res.status != http.StatusOK {
			t.Fatalf("first use: %d %s", res.status, res.body)
		}
		before := b.counts()
		res := b.postForm("/confirm", form)
		if res.status != http.StatusGone || !strings.Contains(res.body, "used already") {
			t.Errorf("second use: %d %s", res.status, res.body)
		}
		b.unchanged(before)
		if page, _ := b.browser(true).open(b.links.ConfirmURL(sub)); page.status != http.StatusGone || strings.Contains(page.body, ConfirmButton) {
			t.Errorf("opening a used link: %d %s", page.status, page.body)
		}
	})
}

// A confirm link is for the request that sent it: after a newer sign-up
// request, the older link does nothing, and the newer one works.
func TestOldConfirmLinkAfterANewRequestDoesNothing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		old := b.links.ConfirmURL(b.subscribe("fay@example.org"))
		b.clock.Advance(11 * time.Minute) // past the resend pause, so a new link is sent
		res := b.postJSON(`{"email":"fay@example.org","timezone":"Europe/London","cadence":"daily","time":"07:00"}`)
		if res.status != http.StatusAccepted {
			t.Fatalf("second request: %d %s", res.status, res.body)
		}
		fresh := b.links.ConfirmURL(b.subscriber("fay@example.org"))
		if fresh == old {
			t.Fatal("the second request's link is the first's")
		}
		before := b.counts()
		if res := b.postForm("/confirm", url.Values{"t": {tokenOf(t, old)}}); res.status != http.StatusGone || !strings.Contains(res.body, "replaced") {
			t.Errorf("old link: %d %s", res.status, res.body)
		}
		if page, _ := b.browser(true).open(old); page.status != http.StatusGone || strings.Contains(page.body, ConfirmButton) {
			t.Errorf("opening the old link: %d %s", page.status, page.body)
		}
		b.unchanged(before)
		if got := b.subscriber("fay@example.org").Status; got != steady.StatusPending {
			t.Fatalf("status %s after the old link", got)
		}
		if res := b.postForm("/confirm", url.Values{"t": {tokenOf(t, fresh)}}); res.status != http.StatusOK {
			t.Errorf("new link: %d %s", res.status, res.body)
		}
		if got := b.subscriber("fay@example.org"); got.Status != steady.StatusActive || got.Schedule.Hour != 7 {
			t.Errorf("after the new link: %s at %d:00", got.Status, got.Schedule.Hour)
		}
	})
}

// Finding 4: someone unsubscribed; somebody else signs their address up
// again with their own schedule; a confirm link from before the
// unsubscribe must not start it.
func TestConfirmLinkFromBeforeAnUnsubscribeCannotStartANewSignUp(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.subscribe("gus@example.org")
		old := tokenOf(t, b.links.ConfirmURL(sub))
		if res := b.postForm("/confirm", url.Values{"t": {old}}); res.status != http.StatusOK {
			t.Fatalf("confirm: %d", res.status)
		}
		if res := b.postForm("/unsubscribe", url.Values{"t": {tokenOf(t, b.links.UnsubscribeURL(sub))}}); res.status != http.StatusOK {
			t.Fatalf("unsubscribe: %d", res.status)
		}
		b.clock.Advance(time.Hour)
		if res := b.postJSON(`{"email":"gus@example.org","timezone":"Asia/Tokyo","cadence":"daily","time":"03:00"}`); res.status != http.StatusAccepted {
			t.Fatalf("the other person's request: %d", res.status)
		}
		res := b.postForm("/confirm", url.Values{"t": {old}})
		if got := b.subscriber("gus@example.org"); got.Status != steady.StatusPending || res.status == http.StatusOK {
			t.Errorf("the old link answered %d and left the subscriber %s: %s", res.status, got.Status, res.body)
		}
	})
}

// Finding 5: after unsubscribing, the summary and reply links show a kind
// "expired" page with nothing personal, even after a new sign-up; after
// erasure they show nothing either.
func TestSummaryAndReplyLinksDieWithUnsubscribe(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var svc *summary.Service
		b := setup(t, db, withSummaries(db, &svc))
		sub, d := b.prompted("hal@example.org")
		summaryLink, replyLink := b.summarized(svc, sub), b.links.ReplyURL(d)
		br := b.browser(true)
		for _, link := range []string{summaryLink, replyLink} {
			if page, _ := br.open(link); page.status != http.StatusOK {
				t.Fatalf("before unsubscribing, %s: %d", pathOf(t, link), page.status)
			}
		}
		// One-click unsubscribe, as a mail provider makes it.
		if res := b.post(pathOf(t, b.links.UnsubscribeURL(sub)), "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click"); res.status != http.StatusOK {
			t.Fatalf("one-click: %d", res.status)
		}
		b.clock.Advance(time.Hour)
		personal := []string{"hal@example.org", "Honesty", redFlag, promptText, "October"}
		check := func(when string, want int) {
			t.Helper()
			for _, link := range []string{summaryLink, replyLink} {
				for name, c := range map[string]*browser{"cookies": b.browser(true), "no cookies": b.browser(false)} {
					page, _ := c.open(link)
					if page.status != want {
						t.Errorf("%s, %s with %s: %d, want %d", when, pathOf(t, link)[:8], name, page.status, want)
					}
					for _, p := range personal {
						if strings.Contains(page.body, p) {
							t.Errorf("%s, %s with %s shows %q", when, pathOf(t, link)[:8], name, p)
						}
					}
				}
			}
			// The chart, opened directly with the link's token, too.
			if res := b.get(strings.Replace(pathOf(t, summaryLink), "/summary?", "/summary/chart.png?", 1)); res.status == http.StatusOK {
				t.Errorf("%s, the chart: %d", when, res.status)
			}
		}
		check("after unsubscribing", http.StatusGone)
		// The page opened before is dead too.
		if page, _ := br.open(b.url + "/summary"); page.status != http.StatusGone {
			t.Errorf("the open summary page after unsubscribing: %d", page.status)
		}
		// Unsubscribe links keep working.
		if page, _ := b.browser(true).open(b.links.UnsubscribeURL(sub)); page.status != http.StatusOK || !strings.Contains(page.body, "unsubscribed") {
			t.Errorf("unsubscribe link after unsubscribing: %d %s", page.status, page.body)
		}
		if res := b.post(pathOf(t, b.links.UnsubscribeURL(sub)), "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click"); res.status != http.StatusOK {
			t.Errorf("one-click again: %d", res.status)
		}
		// A new sign-up (by anyone) does not bring them back.
		if res := b.postJSON(`{"email":"hal@example.org","timezone":"Europe/London","cadence":"daily","time":"09:00"}`); res.status != http.StatusAccepted {
			t.Fatal(res.status)
		}
		check("after a new sign-up", http.StatusGone)
		if err := db.DeleteSubscriber(context.Background(), sub.ID, testHasher(t)); err != nil {
			t.Fatal(err)
		}
		check("after erasure", http.StatusNotFound)
	})
}

// A summary link lasts 30 days by default; a token made with the old
// 400-day lifetime is refused at once.
func TestSummaryLinkLastsThirtyDays(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		var svc *summary.Service
		b := setup(t, db, withSummaries(db, &svc))
		sub := b.confirmed("ida@example.org")
		link := b.summarized(svc, sub)
		id, err := b.links.Verify(links.PurposeSummary, tokenOf(t, link))
		if err != nil {
			t.Fatal(err)
		}
		signer, err := links.NewSigner(secret)
		if err != nil {
			t.Fatal(err)
		}
		long := "/summary?t=" + signer.Sign(links.PurposeSummary, id, b.clock.Now().Add(400*24*time.Hour))
		if page, _ := b.browser(true).open(b.url + long); page.status == http.StatusOK {
			t.Errorf("a 400-day summary token: %d", page.status)
		}
		b.clock.Advance(29 * 24 * time.Hour)
		if page, _ := b.browser(true).open(link); page.status != http.StatusOK {
			t.Errorf("a 29-day-old summary link: %d", page.status)
		}
		b.clock.Advance(2 * 24 * time.Hour)
		page, _ := b.browser(true).open(link)
		if page.status != http.StatusGone || strings.Contains(page.body, "October") {
			t.Errorf("a 31-day-old summary link: %d %s", page.status, page.body)
		}
	})
}
