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
	"github.com/steadyapp/steady/web"
)

func TestConfirm(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.subscribe("dee@example.org")
		link := b.links.ConfirmURL(sub)

		// A GET (a mail scanner, or the person) only shows the button.
		before := b.counts()
		page := b.get(pathOf(t, link))
		if page.status != http.StatusOK || !strings.Contains(page.body, web.ConfirmWording) ||
			!strings.Contains(page.body, "every day at 20:30") {
			t.Fatalf("confirm page: %d\n%s", page.status, page.body)
		}
		if got := b.subscriber("dee@example.org"); got.Status != steady.StatusPending || !got.NextSlot.IsZero() {
			t.Fatalf("GET /confirm changed the subscriber: %+v", got)
		}
		b.unchanged(before)

		res := b.postForm("/confirm", url.Values{"t": {tokenOf(t, link)}})
		if res.status != http.StatusOK {
			t.Fatalf("status %d: %s", res.status, res.body)
		}
		// 12:00 UTC in London; the first prompt is 20:30 the same day.
		if !strings.Contains(res.body, "Thursday 26 November 2026 at 20:30") {
			t.Errorf("the page does not give the first prompt's time:\n%s", res.body)
		}
		got := b.subscriber("dee@example.org")
		if want := time.Date(2026, 11, 26, 20, 30, 0, 0, time.UTC); got.Status != steady.StatusActive || !got.NextSlot.Equal(want) {
			t.Errorf("after confirming: status %s, next slot %v, want active at %v", got.Status, got.NextSlot, want)
		}
		cs, err := db.Consents(context.Background(), sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := cs[len(cs)-1]
		if last.Action != steady.ConsentConfirmed || last.Method != "web" || last.Wording != web.ConfirmWording || last.IP != "127.0.0.1" {
			t.Errorf("consent %+v", last)
		}
	})
}

func TestConfirmRefusesBadTokens(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub, d := b.prompted("eve@example.org")
		pending := b.subscribe("fay@example.org")
		confirmToken := tokenOf(t, b.links.ConfirmURL(pending))
		replyToken := tokenOf(t, b.links.ReplyURL(d))
		unsubToken := tokenOf(t, b.links.UnsubscribeURL(sub))

		tests := []struct {
			name, token string
			status      int
		}{
			{"no token", "", http.StatusBadRequest},
			{"garbage", "not-a-token", http.StatusBadRequest},
			{"tampered", tamper(confirmToken), http.StatusBadRequest},
			{"a reply token", replyToken, http.StatusBadRequest},
			{"an unsubscribe token", unsubToken, http.StatusBadRequest},
			{"unknown subscriber", b.links.Token(links.PurposeConfirm, 999999), http.StatusNotFound},
		}
		before := b.counts()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if res := b.get("/confirm?t=" + url.QueryEscape(tt.token)); res.status != tt.status {
					t.Errorf("GET: %d, want %d", res.status, tt.status)
				}
				if res := b.postForm("/confirm", url.Values{"t": {tt.token}}); res.status != tt.status {
					t.Errorf("POST: %d, want %d", res.status, tt.status)
				}
			})
		}
		t.Run("expired", func(t *testing.T) {
			b.clock.Advance(links.ConfirmTTL + 2*time.Hour)
			res := b.get("/confirm?t=" + confirmToken)
			if res.status != http.StatusGone || !strings.Contains(res.body, "expired") {
				t.Errorf("GET: %d, want 410", res.status)
			}
			if res := b.postForm("/confirm", url.Values{"t": {confirmToken}}); res.status != http.StatusGone {
				t.Errorf("POST: %d, want 410", res.status)
			}
		})
		b.unchanged(before)
		if got := b.subscriber("fay@example.org"); got.Status != steady.StatusPending {
			t.Errorf("status %s, want pending", got.Status)
		}
	})
}

func TestConfirmAfterUnsubscribeConflicts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.subscribe("gus@example.org")
		token := tokenOf(t, b.links.ConfirmURL(sub))
		if res := b.postForm("/unsubscribe", url.Values{"t": {tokenOf(t, b.links.UnsubscribeURL(sub))}}); res.status != http.StatusOK {
			t.Fatalf("unsubscribe: %d", res.status)
		}
		before := b.counts()
		res := b.postForm("/confirm", url.Values{"t": {token}})
		if res.status != http.StatusConflict || !strings.Contains(res.body, "sign up again") {
			t.Errorf("status %d, want 409 offering to sign up again:\n%s", res.status, res.body)
		}
		b.unchanged(before)
		if got := b.subscriber("gus@example.org"); got.Status != steady.StatusUnsubscribed {
			t.Errorf("status %s", got.Status)
		}
	})
}
