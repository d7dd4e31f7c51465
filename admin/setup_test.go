package admin

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/abuse"
	"github.com/steadyapp/steady/compliance"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/web"
)

// t0 is the tests' start time.
var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

const (
	operatorName     = "sam"
	operatorPassword = "correct horse battery"
	// secretWords is the body of a seeded reply: no page may show it
	// unless ShowReplies is on.
	secretWords = "my secret words about us"
)

// bundle is a console over HTTP on a real store, with seeded data.
type bundle struct {
	db      *store.DB
	clock   *steady.ManualClock
	console *Console
	srv     *httptest.Server
	hasher  *compliance.Hasher
	woke    atomic.Int32
	// active is confirmed, with a failed prompt and a reply; pending has
	// not confirmed.
	active, pending steady.Subscriber
	failed          steady.Delivery
	heldID          int64
}

func setup(t *testing.T, db *store.DB, change ...func(*Config)) *bundle {
	t.Helper()
	b := &bundle{db: db, clock: steady.NewManualClock(t0)}
	var err error
	if b.hasher, err = compliance.NewHasher([]byte("test secret")); err != nil {
		t.Fatal(err)
	}
	keyer, err := abuse.NewKeyer(abuse.DeriveKey([]byte("test secret")))
	if err != nil {
		t.Fatal(err)
	}
	hash, err := HashPassword(operatorPassword)
	if err != nil {
		t.Fatal(err)
	}
	ops, err := ParseOperators(operatorName + ":" + hash)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Store: db, Clock: b.clock, Operators: ops, BaseURL: "http://127.0.0.1", Keyer: keyer, Hasher: b.hasher,
		Wake:      func() { b.woke.Add(1) },
		Addresses: web.NewAddressRules(web.Config{}),
		Settings:  []Setting{{"STEADY_SECRET", "set"}, {"STEADY_BASE_URL", "http://127.0.0.1"}}}
	for _, f := range change {
		f(&cfg)
	}
	if b.console, err = New(cfg); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	for pattern, h := range b.console.Routes() {
		mux.Handle(pattern, h)
	}
	b.srv = httptest.NewServer(mux)
	t.Cleanup(b.srv.Close)
	b.seed(t)
	return b
}

// seed makes an active subscriber with a failed prompt and a reply, a
// pending one, and a held message.
func (b *bundle) seed(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	req := func(addr string) store.SubscriptionRequest {
		return store.SubscriptionRequest{Channel: steady.ChannelEmail, Address: addr, TimeZone: "Europe/London",
			Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 20, Minute: 30},
			Consent:  steady.Consent{Method: "web", Wording: "Send me prompts"}, Now: t0.Add(-48 * time.Hour), ResendAfter: 10 * time.Minute}
	}
	res, err := b.db.RequestSubscription(ctx, req("alex.morgan@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	slot := t0.Add(-24 * time.Hour)
	if b.active, err = b.db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "email-link"}, t0.Add(-47*time.Hour),
		func(steady.Subscriber) (time.Time, error) { return slot, nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := b.db.ClaimDue(ctx, slot, 10, func(sub steady.Subscriber, last string) (steady.Delivery, time.Time, error) {
		return steady.Delivery{SubscriberID: sub.ID, Kind: steady.KindPrompt, Channel: sub.Channel, Slot: sub.NextSlot,
			PromptID: "p1", Theme: "connection", PromptText: "What went well?"}, t0.Add(time.Hour), nil
	}); err != nil {
		t.Fatal(err)
	}
	// Settle everything queued: the confirmation sent, the prompt failed.
	for {
		c, err := b.db.ClaimNext(ctx, t0, t0.Add(time.Minute))
		if err != nil {
			break
		}
		out := store.Outcome{Status: steady.DeliverySent, Attempts: c.Attempts + 1, Now: t0.Add(-23 * time.Hour)}
		if c.Kind == steady.KindPrompt {
			out.Status, out.Error = steady.DeliveryFailed, "smtp: 550 mailbox unavailable"
			b.failed = c.Delivery
		}
		if err := b.db.FinishDelivery(ctx, c, out); err != nil {
			t.Fatal(err)
		}
	}
	if b.failed.ID == 0 {
		t.Fatal("seed: no prompt was claimed")
	}
	if _, _, err := b.db.RecordReply(ctx, steady.Reply{SubscriberID: b.active.ID, DeliveryID: b.failed.ID, Channel: steady.ChannelEmail,
		Body: secretWords, ReceivedAt: t0.Add(-20 * time.Hour), SourceID: "web:1"}); err != nil {
		t.Fatal(err)
	}
	pres, err := b.db.RequestSubscription(ctx, req("pat.lee@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	b.pending = pres.Subscriber
	if b.heldID, _, err = b.db.HoldInbound(ctx, store.HeldMessage{ReceivedAt: t0.Add(-time.Hour), Source: "smtp", Reason: "unmatched",
		Detail: "no subscriber has this address", Raw: []byte("From: x@example.net\r\nSubject: hi\r\n\r\nheld body text\r\n"), SenderHash: "abcdef0123456789"}); err != nil {
		t.Fatal(err)
	}
}

// client is one browser: its own cookies, no redirects followed.
type client struct {
	t  *testing.T
	b  *bundle
	hc *http.Client
	ip string
}

func (b *bundle) client(t *testing.T) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, b: b, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends one request and returns the status, the Location and the body.
func (c *client) do(method, path string, form url.Values) (int, string, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.b.srv.URL+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Location"), string(raw)
}

func (c *client) get(path string) (int, string) {
	c.t.Helper()
	code, _, body := c.do(http.MethodGet, path, nil)
	return code, body
}

// login signs in and fails the test unless it worked.
func (c *client) login() {
	c.t.Helper()
	code, loc, body := c.do(http.MethodPost, "/admin/login", url.Values{"name": {operatorName}, "password": {operatorPassword}})
	if code != http.StatusSeeOther || loc != "/admin" {
		c.t.Fatalf("login = %d → %q: %s", code, loc, body)
	}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf is the form token of the page at path.
func (c *client) csrf(path string) string {
	c.t.Helper()
	code, body := c.get(path)
	m := csrfField.FindStringSubmatch(body)
	if code != http.StatusOK || m == nil {
		c.t.Fatalf("GET %s = %d, no csrf field", path, code)
	}
	return m[1]
}

// post sends a form from the page at page, with its csrf token.
func (c *client) post(page, path string, form url.Values) (int, string, string) {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", c.csrf(page))
	return c.do(http.MethodPost, path, form)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
