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

func TestUnsubscribeOneClick(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.confirmed("hal@example.org")
		link := b.links.UnsubscribeURL(sub)

		before := b.counts()
		page := b.get(pathOf(t, link))
		if page.status != http.StatusOK || !strings.Contains(page.body, web.UnsubscribeWording) {
			t.Fatalf("GET: %d\n%s", page.status, page.body)
		}
		if got := b.subscriber("hal@example.org"); got.Status != steady.StatusActive {
			t.Fatalf("GET /unsubscribe changed the status to %s", got.Status)
		}
		b.unchanged(before)

		// RFC 8058: the token in the URL, the fixed body.
		for range 2 {
			res := b.post(pathOf(t, link), "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click")
			if res.status != http.StatusOK || !strings.Contains(res.body, "unsubscribed") {
				t.Fatalf("POST: %d\n%s", res.status, res.body)
			}
		}
		got := b.subscriber("hal@example.org")
		if got.Status != steady.StatusUnsubscribed || !got.NextSlot.IsZero() {
			t.Errorf("after one-click: %+v", got)
		}
		cs, err := db.Consents(context.Background(), sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		for _, c := range cs {
			if c.Action == steady.ConsentUnsubscribed {
				n++
				if c.Method != "one-click" || c.Wording != web.OneClickWording {
					t.Errorf("consent %+v", c)
				}
			}
		}
		if n != 1 {
			t.Errorf("%d unsubscribe consents, want 1", n)
		}
		// The page now says so, and changes nothing.
		if res := b.get(pathOf(t, link)); res.status != http.StatusOK || !strings.Contains(res.body, "unsubscribed") {
			t.Errorf("GET after: %d", res.status)
		}
	})
}

func TestUnsubscribeButton(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.confirmed("ida@example.org")
		res := b.postForm("/unsubscribe", url.Values{"t": {tokenOf(t, b.links.UnsubscribeURL(sub))}})
		if res.status != http.StatusOK {
			t.Fatalf("status %d", res.status)
		}
		if got := b.subscriber("ida@example.org"); got.Status != steady.StatusUnsubscribed {
			t.Errorf("status %s", got.Status)
		}
		cs, _ := db.Consents(context.Background(), sub.ID)
		if last := cs[len(cs)-1]; last.Method != "web" || last.Wording != web.UnsubscribeWording {
			t.Errorf("consent %+v", last)
		}
	})
}

func TestUnsubscribeRefusesBadTokens(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.confirmed("jo@example.org")
		token := tokenOf(t, b.links.UnsubscribeURL(sub))
		tests := []struct {
			name, token string
			status      int
		}{
			{"no token", "", http.StatusBadRequest},
			{"tampered", tamper(token), http.StatusBadRequest},
			{"a confirm token", tokenOf(t, b.links.ConfirmURL(sub)), http.StatusBadRequest},
		}
		before := b.counts()
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if res := b.get("/unsubscribe?t=" + url.QueryEscape(tt.token)); res.status != tt.status {
					t.Errorf("GET: %d, want %d", res.status, tt.status)
				}
				res := b.post("/unsubscribe?t="+url.QueryEscape(tt.token), "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click")
				if res.status != tt.status {
					t.Errorf("POST: %d, want %d", res.status, tt.status)
				}
			})
		}
		t.Run("expired", func(t *testing.T) {
			b.clock.Advance(links.UnsubscribeTTL + 2*time.Hour)
			res := b.post("/unsubscribe?t="+token, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click")
			if res.status != http.StatusGone {
				t.Errorf("POST: %d, want 410", res.status)
			}
		})
		b.unchanged(before)
		if got := b.subscriber("jo@example.org"); got.Status != steady.StatusActive {
			t.Errorf("status %s, want active", got.Status)
		}
	})
}
