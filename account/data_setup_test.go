package account_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/account"
	"github.com/steadyapp/steady/compliance"
	"github.com/steadyapp/steady/store"
)

// t0 is when the tests' subscribers join; replies follow it.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// cookieName is the stub session's cookie.
const cookieName = "steady_settings"

// bundle is a real server with the data pages on a real database, behind
// a stub Auth: the header X-Test-Session (or the cookie) names a session
// value, mapped to the subscriber it was given for. The stub keeps the
// subscriber it was given, as a session opened before an erasure would.
type dataBundle struct {
	db     *store.DB
	srv    *httptest.Server
	hasher *compliance.Hasher
	clock  *steady.ManualClock
	mu     sync.Mutex
	subs   map[string]steady.Subscriber
}

func dataSetup(t *testing.T, db *store.DB) *dataBundle {
	t.Helper()
	h, err := compliance.NewHasher([]byte("account-test-secret-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	b := &dataBundle{db: db, hasher: h, clock: steady.NewManualClock(t0.Add(40 * 24 * time.Hour)), subs: map[string]steady.Subscriber{}}
	d, err := account.NewData(account.DataConfig{Store: db, Clock: b.clock, Hasher: h, ProgramName: "Check-in",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	d.Routes(mux, b.auth)
	b.srv = httptest.NewServer(mux)
	t.Cleanup(b.srv.Close)
	return b
}

func (b *dataBundle) auth(w http.ResponseWriter, r *http.Request) (steady.Subscriber, string, bool) {
	v := r.Header.Get("X-Test-Session")
	if c, err := r.Cookie(cookieName); err == nil {
		v = c.Value
	}
	b.mu.Lock()
	sub, ok := b.subs[v]
	b.mu.Unlock()
	if !ok {
		http.Error(w, "no session", http.StatusUnauthorized)
		return steady.Subscriber{}, "", false
	}
	return sub, v, true
}

// subscriber signs up and confirms address, opens a session for them, and
// records one reply per body, a day apart from t0, each answering a
// prompt "Prompt N: did you feel heard?" of theme honesty.
func (b *dataBundle) subscriber(t *testing.T, address string, bodies ...string) (steady.Subscriber, string, []steady.Reply) {
	t.Helper()
	ctx := context.Background()
	res, err := b.db.RequestSubscription(ctx, store.SubscriptionRequest{Channel: steady.ChannelEmail, Address: address,
		TimeZone: "Europe/London", Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 20},
		Consent: steady.Consent{Method: "web", IP: "192.0.2.1", Wording: "Send me prompts"}, Now: t0, ResendAfter: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := b.db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "email-link"}, t0,
		func(steady.Subscriber) (time.Time, error) { return t0, nil })
	if err != nil {
		t.Fatal(err)
	}
	var replies []steady.Reply
	for i, body := range bodies {
		at := t0.Add(time.Duration(i) * 24 * time.Hour)
		n := i + 1
		if _, err := b.db.ClaimDue(ctx, at, 100, func(s steady.Subscriber, _ string) (steady.Delivery, time.Time, error) {
			return steady.Delivery{SubscriberID: s.ID, Kind: steady.KindPrompt, Channel: s.Channel, Slot: s.NextSlot,
				PromptID: fmt.Sprintf("p%d", n), Theme: "honesty", PromptText: fmt.Sprintf("Prompt %d: did you feel heard?", n)}, s.NextSlot.Add(24 * time.Hour), nil
		}); err != nil {
			t.Fatal(err)
		}
		ds, err := b.db.Deliveries(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		r, _, err := b.db.RecordReply(ctx, steady.Reply{SubscriberID: sub.ID, DeliveryID: ds[len(ds)-1].ID, Channel: steady.ChannelWeb,
			Body: body, ReceivedAt: at.Add(time.Hour), SourceID: fmt.Sprintf("%s-%d", address, i)})
		if err != nil {
			t.Fatal(err)
		}
		replies = append(replies, r)
	}
	value := fmt.Sprintf("session-%d-%s", sub.ID, strings.Repeat("x", 8))
	b.mu.Lock()
	b.subs[value] = sub
	b.mu.Unlock()
	return sub, value, replies
}

// do sends a request with the session in its cookie (or, given as
// "header:VALUE", in the header, as a browser refusing cookies would carry
// it in ?s=), not following redirects, and returns the answer and body.
func (b *dataBundle) do(t *testing.T, method, path, session string, form url.Values) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	switch {
	case strings.HasPrefix(session, "header:"):
		req.Header.Set("X-Test-Session", strings.TrimPrefix(session, "header:"))
	case session != "":
		req.AddCookie(&http.Cookie{Name: cookieName, Value: session})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(raw)
}

func (b *dataBundle) get(t *testing.T, path, session string) (*http.Response, string) {
	t.Helper()
	return b.do(t, http.MethodGet, path, session, nil)
}

func (b *dataBundle) post(t *testing.T, path, session string, form url.Values) (*http.Response, string) {
	t.Helper()
	return b.do(t, http.MethodPost, path, session, form)
}
