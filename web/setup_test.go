package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/web"
)

var secret = []byte("web-test-secret-0123456789abcdef")

// start is 12:00 UTC on a Thursday, 12:00 in London.
var start = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// bundle is a running server over a real store.
type bundle struct {
	t      *testing.T
	db     *store.DB
	clock  *steady.ManualClock
	links  *links.Links
	url    string
	client *http.Client
	wakes  atomic.Int32
	logs   *syncBuffer
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type option func(*web.Config)

func withPreview(c *web.Config) { c.Preview = true }

// setup starts a web server over db with a manual clock and real links.
func setup(t *testing.T, db *store.DB, opts ...option) *bundle {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	b := &bundle{t: t, db: db, clock: steady.NewManualClock(start), url: base, logs: &syncBuffer{}}
	l, err := links.New(base, "steady@example.org", secret, b.clock)
	if err != nil {
		t.Fatal(err)
	}
	b.links = l
	cfg := web.Config{
		Store:  db,
		Links:  l,
		Clock:  b.clock,
		Logger: slog.New(slog.NewTextHandler(b.logs, nil)),
		Wake:   func() { b.wakes.Add(1) },
	}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.SMS != nil && cfg.SMS.BaseURL == "" {
		cfg.SMS.BaseURL = base
	}
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	b.client = ts.Client()
	return b
}

// response is a finished HTTP exchange.
type response struct {
	status int
	header http.Header
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
	return response{status: res.StatusCode, header: res.Header, body: string(body)}
}

func (b *bundle) get(path string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.url+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

func (b *bundle) post(path, contentType, body string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.url+path, strings.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	return b.do(req)
}

func (b *bundle) postForm(path string, v url.Values) response {
	b.t.Helper()
	return b.post(path, "application/x-www-form-urlencoded", v.Encode())
}

func (b *bundle) postJSON(body string) response {
	b.t.Helper()
	return b.post("/api/subscriptions", "application/json", body)
}

// pathOf turns a link into the path and query to request.
func pathOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.RequestURI()
}

func tokenOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("t")
}

// counts is how many rows of each kind the store holds.
type counts struct{ subscribers, deliveries, replies, consents int }

func (b *bundle) counts() counts {
	b.t.Helper()
	ctx := context.Background()
	subs, err := b.db.ListSubscribers(ctx)
	if err != nil {
		b.t.Fatal(err)
	}
	c := counts{subscribers: len(subs)}
	for _, s := range subs {
		ds, err := b.db.Deliveries(ctx, s.ID)
		if err != nil {
			b.t.Fatal(err)
		}
		rs, err := b.db.Replies(ctx, s.ID)
		if err != nil {
			b.t.Fatal(err)
		}
		cs, err := b.db.Consents(ctx, s.ID)
		if err != nil {
			b.t.Fatal(err)
		}
		c.deliveries += len(ds)
		c.replies += len(rs)
		c.consents += len(cs)
	}
	return c
}

// unchanged fails if the store's row counts moved since before.
func (b *bundle) unchanged(before counts) {
	b.t.Helper()
	if after := b.counts(); after != before {
		b.t.Errorf("store changed: before %+v, after %+v", before, after)
	}
}

func (b *bundle) subscriber(addr string) steady.Subscriber {
	b.t.Helper()
	sub, err := b.db.SubscriberByAddress(context.Background(), steady.ChannelEmail, addr)
	if err != nil {
		b.t.Fatalf("subscriber %s: %v", addr, err)
	}
	return sub
}

// subscribe signs addr up through the API (daily at 20:30 London time).
func (b *bundle) subscribe(addr string) steady.Subscriber {
	b.t.Helper()
	res := b.postJSON(`{"email":"` + addr + `","timezone":"Europe/London","cadence":"daily","time":"20:30"}`)
	if res.status != http.StatusAccepted {
		b.t.Fatalf("subscribe %s: %d %s", addr, res.status, res.body)
	}
	return b.subscriber(addr)
}

// confirmed signs addr up and presses the confirm button.
func (b *bundle) confirmed(addr string) steady.Subscriber {
	b.t.Helper()
	sub := b.subscribe(addr)
	res := b.postForm("/confirm", url.Values{"t": {tokenOf(b.t, b.links.ConfirmURL(sub))}})
	if res.status != http.StatusOK {
		b.t.Fatalf("confirm %s: %d %s", addr, res.status, res.body)
	}
	return b.subscriber(addr)
}

const promptText = "This week, did you feel your partner had your back? Answer YES or NO."

// prompted confirms addr, moves the clock to the first slot and queues a
// prompt through the store's real claim path.
func (b *bundle) prompted(addr string) (steady.Subscriber, steady.Delivery) {
	b.t.Helper()
	sub := b.confirmed(addr)
	b.clock.Set(sub.NextSlot)
	ctx := context.Background()
	_, err := b.db.ClaimDue(ctx, sub.NextSlot, 10, func(s steady.Subscriber, _ string) (steady.Delivery, time.Time, error) {
		loc, err := s.Location()
		if err != nil {
			return steady.Delivery{}, time.Time{}, err
		}
		return steady.Delivery{
			SubscriberID: s.ID, Kind: steady.KindPrompt, Channel: s.Channel, Slot: s.NextSlot,
			PromptID: "support-1", Theme: "support", PromptText: promptText,
		}, s.Schedule.Next(s.NextSlot, loc), nil
	})
	if err != nil {
		b.t.Fatal(err)
	}
	ds, err := b.db.Deliveries(ctx, sub.ID)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, d := range ds {
		if d.Kind == steady.KindPrompt {
			return sub, d
		}
	}
	b.t.Fatal("no prompt was queued")
	return sub, steady.Delivery{}
}

var nonceRE = regexp.MustCompile(`name="nonce" value="([0-9a-f]{32})"`)

func nonceIn(t *testing.T, page string) string {
	t.Helper()
	m := nonceRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no nonce in the page:\n%s", page)
	}
	return m[1]
}

// tamper changes one character of a token.
func tamper(token string) string {
	b := []byte(token)
	i := len(b) / 2
	if b[i] == 'a' {
		b[i] = 'b'
	} else {
		b[i] = 'a'
	}
	return string(b)
}
