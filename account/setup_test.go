package account_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/account"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/scheduler"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/templates"
	"github.com/steadyapp/steady/themes"
	"github.com/steadyapp/steady/web"
)

var secret = []byte("account-test-secret-0123456789ab")

// start is 12:00 UTC on Thursday 26 November 2026, noon in London.
var start = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// bundle is the real web server with the settings page mounted as
// cmd/steady mounts it, over a real store, a browser-like client with a
// cookie jar, and the real scheduler on the same manual clock.
type bundle struct {
	t       *testing.T
	db      *store.DB
	clock   *steady.ManualClock
	links   *links.Links
	url     string
	client  *http.Client
	sched   *scheduler.Scheduler
	compose *templates.Composer
	handler *swappable
}

// swappable lets a test serve another composition on the same address
// (the links carry it).
type swappable struct{ h http.Handler }

func (s *swappable) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.h.ServeHTTP(w, r) }

// swap serves h from now on; call it before any request.
func (b *bundle) swap(h http.Handler) { b.handler.h = h }

func setup(t *testing.T, db *store.DB) *bundle {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	b := &bundle{t: t, db: db, clock: steady.NewManualClock(start), url: base}
	l, err := links.New(base, "steady@example.org", secret, b.clock)
	if err != nil {
		t.Fatal(err)
	}
	b.links = l
	acct, err := account.New(account.Config{Store: db, Links: l, Clock: b.clock})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{Store: db, Links: l, Clock: b.clock,
		Extra: map[string]http.Handler{"/settings": acct.Handler(), "/settings/": acct.Handler()}})
	if err != nil {
		t.Fatal(err)
	}
	b.handler = &swappable{h: srv.Handler()}
	ts.Config.Handler = b.handler
	ts.Start()
	t.Cleanup(ts.Close)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	b.client = &http.Client{Jar: jar}
	if b.sched, err = scheduler.New(scheduler.Config{Store: db, Catalog: themes.Default(), Clock: b.clock}); err != nil {
		t.Fatal(err)
	}
	set, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	b.compose = &templates.Composer{Set: set, Links: l}
	return b
}

type response struct {
	status int
	body   string
}

func (b *bundle) do(req *http.Request) response {
	b.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return response{status: res.StatusCode, body: string(body)}
}

// get opens a URL (absolute, or a path on the server), following redirects.
func (b *bundle) get(u string) response {
	b.t.Helper()
	if strings.HasPrefix(u, "/") {
		u = b.url + u
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post submits a form as the page's browser does (same origin).
func (b *bundle) post(path string, v url.Values) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.url+path, strings.NewReader(v.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.url)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// active signs addr up (daily at 20:30 in London) and confirms it.
func (b *bundle) active(addr string) steady.Subscriber {
	b.t.Helper()
	return b.activeOn(steady.ChannelEmail, addr)
}

// activeOn is active on channel ch (addr an email address or a number).
func (b *bundle) activeOn(ch steady.Channel, addr string) steady.Subscriber {
	b.t.Helper()
	ctx := context.Background()
	sched, err := steady.NewSchedule("daily", nil, 0, "20:30", start)
	if err != nil {
		b.t.Fatal(err)
	}
	res, err := b.db.RequestSubscription(ctx, store.SubscriptionRequest{Channel: ch, Address: addr,
		TimeZone: "Europe/London", Schedule: sched, Consent: steady.Consent{Method: "web", Wording: "test"}, Now: b.clock.Now()})
	if err != nil {
		b.t.Fatal(err)
	}
	now := b.clock.Now()
	sub, err := b.db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "web", Wording: "test"}, now,
		func(s steady.Subscriber) (time.Time, error) {
			loc, _ := s.Location()
			return s.Schedule.Next(now, loc), nil
		})
	if err != nil {
		b.t.Fatal(err)
	}
	return sub
}

func (b *bundle) subscriber(id int64) steady.Subscriber {
	b.t.Helper()
	sub, err := b.db.Subscriber(context.Background(), id)
	if err != nil {
		b.t.Fatal(err)
	}
	return sub
}

// tick runs the real scheduler once at the clock's time and returns the
// prompts it queued.
func (b *bundle) tick() int {
	b.t.Helper()
	n, err := b.sched.RunOnce(context.Background())
	if err != nil {
		b.t.Fatal(err)
	}
	return n
}

// allDeliveries are the subscriber's deliveries, oldest first.
func (b *bundle) allDeliveries(id int64) []steady.Delivery {
	b.t.Helper()
	ds, err := b.db.Deliveries(context.Background(), id)
	if err != nil {
		b.t.Fatal(err)
	}
	return ds
}

// prompts are the subscriber's prompt deliveries, oldest first.
func (b *bundle) prompts(id int64) []steady.Delivery {
	b.t.Helper()
	ds, err := b.db.Deliveries(context.Background(), id)
	if err != nil {
		b.t.Fatal(err)
	}
	var out []steady.Delivery
	for _, d := range ds {
		if d.Kind == steady.KindPrompt {
			out = append(out, d)
		}
	}
	return out
}

var sessionRE = regexp.MustCompile(`name="s" value="([a-z2-7]*)"`)

// session is the session value the page's forms carry.
func session(t *testing.T, page string) string {
	t.Helper()
	m := sessionRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no session field in the page:\n%s", page)
	}
	return m[1]
}

var settingsLinkRE = regexp.MustCompile(`https?://[^\s"<>]+/settings\?t=[a-z2-7]+`)

// settingsLink is the settings link in a message's text.
func settingsLink(t *testing.T, text string) string {
	t.Helper()
	m := settingsLinkRE.FindString(text)
	if m == "" {
		t.Fatalf("no settings link in:\n%s", text)
	}
	return m
}
