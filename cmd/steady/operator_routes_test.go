package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/admin"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// TestOperatorRoutesNeedALoginOrAKey walks every route the running
// program mounts for operators (the console under /admin, the API under
// /api/v1, /metrics), as `steady serve` builds them, and calls each with
// no session and no key: none answers with data or changes anything.
// Only the sign-in page and the sign-in form itself are open.
func TestOperatorRoutesNeedALoginOrAKey(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		hash, err := admin.HashPassword("correct horse battery staple")
		if err != nil {
			t.Fatal(err)
		}
		mail := smtptest.Start(t)
		r := startApp(t, db, steady.NewManualClock(time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC)), map[string]string{
			"STEADY_SMTP_URL": mail.URL(), "STEADY_FROM": "Steady <steady@example.org>",
			"STEADY_ADMIN_USERS": "sam:" + hash,
		})
		ctx := context.Background()
		const address, words = "walker@example.org", "route-walk-private-words"
		res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{Channel: steady.ChannelEmail, Address: address,
			TimeZone: "Europe/London", Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 20},
			Consent: steady.Consent{Method: "web", IP: "192.0.2.1", Wording: "Send me prompts"}, Now: r.clock.Now(), ResendAfter: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		id := res.Subscriber.ID
		if _, _, err := db.RecordReply(ctx, steady.Reply{SubscriberID: id, Channel: steady.ChannelWeb, Body: words,
			ReceivedAt: r.clock.Now(), SourceID: "route-walk"}); err != nil {
			t.Fatal(err)
		}
		open := map[string]bool{"GET /admin/login": true, "POST /admin/login": true}
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		walked := 0
		for pattern := range r.app.routes {
			method, path, ok := strings.Cut(pattern, " ")
			if !ok {
				method, path = http.MethodGet, pattern
			}
			if !strings.HasPrefix(path, "/admin") && !strings.HasPrefix(path, "/api/v1") && path != "/metrics" || open[pattern] {
				continue
			}
			walked++
			path = strings.NewReplacer("{id}", strconv.FormatInt(id, 10), "{$}", "", "{path...}", "x").Replace(path)
			if strings.Contains(path, "{") {
				path = path[:strings.Index(path, "{")] + strconv.FormatInt(id, 10)
			}
			body := url.Values{"confirm": {"DELETE"}, "for": {"1w"}}.Encode()
			req, err := http.NewRequest(method, r.listenURL+path, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			switch {
			case resp.StatusCode == http.StatusUnauthorized, resp.StatusCode == http.StatusForbidden:
			case resp.StatusCode == http.StatusSeeOther && strings.HasPrefix(resp.Header.Get("Location"), "/admin/login"):
			default:
				t.Errorf("%s (%s %s) without a login or key: %d %s", pattern, method, path, resp.StatusCode, resp.Header.Get("Location"))
			}
			if s := string(got); strings.Contains(s, address) || strings.Contains(s, words) {
				t.Errorf("%s without a login or key shows the subscriber's data", pattern)
			}
		}
		if walked < 30 {
			t.Errorf("walked %d operator routes; the console and the API have more: is the walk finding them?", walked)
		}
		sub, err := db.Subscriber(ctx, id)
		if err != nil || sub.Status != steady.StatusPending || !sub.PausedUntil.IsZero() {
			t.Errorf("after the walk the subscriber is %+v, %v: something acted without a login", sub, err)
		}
		if rs, _ := db.Replies(ctx, id); len(rs) != 1 {
			t.Errorf("after the walk %d replies", len(rs))
		}
	})
}
