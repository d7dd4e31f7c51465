package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/abuse"
	"github.com/steadyapp/steady/apikeys"
	"github.com/steadyapp/steady/metrics"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

var _ web.Metrics = (*metrics.Recorder)(nil)

func withMetrics(rec *metrics.Recorder) option {
	return func(c *web.Config) { c.Metrics = rec }
}

// count fails the test unless the series name{labels} is want.
func count(t *testing.T, rec *metrics.Recorder, name string, labels map[string]string, want float64) {
	t.Helper()
	if v, ok := rec.Value(name, labels); !ok || v != want {
		t.Errorf("%s%v = %v (found %v), want %v", name, labels, v, ok, want)
	}
}

// TestWebCountsSignupConfirmationAndReply: a sign-up, its confirmation
// (pressed twice) and a reply over HTTP (sent twice) each count once.
func TestWebCountsSignupConfirmationAndReply(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		rec := metrics.New()
		b := setup(t, db, withMetrics(rec))
		_, d := b.prompted("kit@example.org")
		sub := b.subscriber("kit@example.org")
		b.postForm("/confirm", url.Values{"t": {tokenOf(t, b.links.ConfirmURL(sub))}}) // again: already active
		link := b.links.ReplyURL(d)
		form := url.Values{"t": {tokenOf(t, link)}, "nonce": {nonceIn(t, b.get(pathOf(t, link)).body)}, "reply": {"YES. He stood up for me."}}
		for range 2 {
			if res := b.postForm("/reply", form); res.status != http.StatusOK {
				t.Fatalf("reply: %d %s", res.status, res.body)
			}
		}
		count(t, rec, "steady_signups_requested_total", map[string]string{"channel": "email"}, 1)
		count(t, rec, "steady_signups_confirmed_total", map[string]string{"channel": "email"}, 1)
		count(t, rec, "steady_replies_total", map[string]string{"channel": "web"}, 1)
		count(t, rec, "steady_replies_total", map[string]string{"channel": "sms"}, 0)
	})
}

// TestSMSCounts: a phone sign-up, its YES and a texted reply replayed by
// Twilio count once each, on the sms channel.
func TestSMSCounts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		rec := metrics.New()
		b := setup(t, db, withSMS(db), withMetrics(rec))
		smsPrompted(b)
		b.clock.Advance(time.Hour)
		for range 3 {
			if res := b.text(phone, "Yes, at dinner.", "SMreply0000000000000000000000002"); res.status != http.StatusOK {
				t.Fatalf("%d %s", res.status, res.body)
			}
		}
		count(t, rec, "steady_signups_requested_total", map[string]string{"channel": "sms"}, 1)
		count(t, rec, "steady_signups_confirmed_total", map[string]string{"channel": "sms"}, 1)
		count(t, rec, "steady_replies_total", map[string]string{"channel": "sms"}, 1)
	})
}

// TestRefusalsAreCounted: a sign-up over the per-IP limit moves
// steady_rate_limit_refusals_total{scope="ip"}.
func TestRefusalsAreCounted(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		rec := metrics.New()
		b := setup(t, db, withLimits(db, abuse.Policy{PerIP: 1}), withMetrics(rec))
		b.subscribe("one@example.org")
		if res := b.postJSON(`{"email":"two@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30"}`); res.status != http.StatusTooManyRequests {
			t.Fatalf("second sign-up: %d %s", res.status, res.body)
		}
		count(t, rec, "steady_rate_limit_refusals_total", map[string]string{"scope": "ip"}, 1)
		count(t, rec, "steady_signups_requested_total", map[string]string{"channel": "email"}, 1)
	})
}

// TestRequireAPIKey: the guard /metrics sits behind lets a working key
// through and answers 401 to no key, a wrong one and a revoked one.
func TestRequireAPIKey(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		keys := &apikeys.Keys{Store: db, Clock: steady.NewManualClock(start)}
		key, _, err := keys.Create(context.Background(), "prometheus")
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(web.RequireAPIKey(keys, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("behind the key"))
		})))
		defer srv.Close()
		get := func(auth string) int {
			t.Helper()
			req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusUnauthorized && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("a 401 without WWW-Authenticate")
			}
			return resp.StatusCode
		}
		for auth, want := range map[string]int{
			"":                      http.StatusUnauthorized,
			"Bearer " + key:         http.StatusOK,
			"bearer " + key:         http.StatusOK,
			"Bearer " + key + "x":   http.StatusUnauthorized,
			"Basic " + key:          http.StatusUnauthorized,
			"Bearer stdy_not-a-key": http.StatusUnauthorized,
		} {
			if got := get(auth); got != want {
				t.Errorf("Authorization %q: %d, want %d", auth, got, want)
			}
		}
		if _, err := db.RevokeAPIKey(context.Background(), "prometheus", start); err != nil {
			t.Fatal(err)
		}
		if got := get("Bearer " + key); got != http.StatusUnauthorized {
			t.Errorf("revoked key: %d, want 401", got)
		}
	})
}
