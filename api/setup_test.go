package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/api"
	"github.com/steadyapp/steady/apikeys"
	"github.com/steadyapp/steady/compliance"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/web"
)

var secret = []byte("api-test-secret-0123456789abcdef")

// start is 12:00 UTC on a Thursday, 12:00 in London.
var start = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// bundle is the real web server with the API mounted as cmd/steady
// mounts it, over a real store, and a key to call it with.
type bundle struct {
	t      *testing.T
	db     *store.DB
	clock  *steady.ManualClock
	hasher *compliance.Hasher
	api    *api.API
	url    string
	client *http.Client
	key    string
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

// keyName is the name of the bundle's key.
const keyName = "partner-site"

func setup(t *testing.T, db *store.DB, opts ...func(*api.Config)) *bundle {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	b := &bundle{t: t, db: db, clock: steady.NewManualClock(start), url: base, logs: &syncBuffer{}}
	lk, err := links.New(base, "steady@example.org", secret, b.clock)
	if err != nil {
		t.Fatal(err)
	}
	if b.hasher, err = compliance.NewHasher(secret); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(b.logs, nil))
	keys := &apikeys.Keys{Store: db, Clock: b.clock}
	cfg := api.Config{
		Store:     db,
		Keys:      keys,
		Addresses: web.NewAddressRules(web.Config{}),
		Hasher:    b.hasher,
		Clock:     b.clock,
		Logger:    logger,
		Wake:      func() { b.wakes.Add(1) },
	}
	for _, o := range opts {
		o(&cfg)
	}
	b.api, err = api.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{Store: db, Links: lk, Clock: b.clock, Logger: logger, Extra: b.api.Routes(),
		APIKeys: keys, AddressHasher: b.hasher})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	b.client = ts.Client()
	if b.key, _, err = keys.Create(context.Background(), keyName); err != nil {
		t.Fatal(err)
	}
	return b
}

// response is a finished exchange.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) String() string { return string(r.body) }

// decode reads the body into v.
func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("answer %d is not JSON: %v\n%s", r.status, err, r.body)
	}
}

// apiError is the error shape.
type apiError struct {
	Error struct {
		Code, Message, Field string
	}
}

// wantError checks an answer is status in the error shape with code and
// field.
func (r response) wantError(t *testing.T, status int, code, field string) apiError {
	t.Helper()
	var e apiError
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	r.decode(t, &e)
	if e.Error.Code != code || e.Error.Field != field || e.Error.Message == "" {
		t.Fatalf("error %+v, want code %q field %q", e.Error, code, field)
	}
	return e
}

// call is one request.
type call struct {
	method, path string
	body         string
	// contentType defaults to application/json when there is a body.
	contentType string
	// auth is the Authorization header; "" sends the bundle's key, "-" none.
	auth string
	// bad: the request itself breaks the document on purpose (bad input);
	// only the answer is checked against it.
	bad bool
}

// do sends c to the real server and checks the exchange against
// docs/openapi.yaml: the request (unless c.bad) and always the answer,
// whose status must be one the route documents. A path the document does
// not have must be answered in the error shape.
func (b *bundle) do(c call) response {
	b.t.Helper()
	req, err := http.NewRequest(c.method, b.url+c.path, strings.NewReader(c.body))
	if err != nil {
		b.t.Fatal(err)
	}
	if c.body != "" || c.contentType != "" {
		req.Header.Set("Content-Type", cmpOr(c.contentType, "application/json"))
	}
	switch c.auth {
	case "":
		req.Header.Set("Authorization", "Bearer "+b.key)
	case "-":
	default:
		req.Header.Set("Authorization", c.auth)
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	out := response{status: res.StatusCode, header: res.Header, body: body}
	b.checkContract(c, req, out)
	return out
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// get, post, patch and del are calls with the bundle's key.
func (b *bundle) get(path string) response {
	b.t.Helper()
	return b.do(call{method: http.MethodGet, path: path})
}

func (b *bundle) post(path, body string) response {
	b.t.Helper()
	return b.do(call{method: http.MethodPost, path: path, body: body})
}

func (b *bundle) patch(path, body string) response {
	b.t.Helper()
	return b.do(call{method: http.MethodPatch, path: path, body: body})
}

func (b *bundle) del(path string) response {
	b.t.Helper()
	return b.do(call{method: http.MethodDelete, path: path})
}

// subscriberJSON is the subscriber object as a caller reads it.
type subscriberJSON struct {
	ID       int64  `json:"id"`
	Channel  string `json:"channel"`
	Address  string `json:"address"`
	Status   string `json:"status"`
	TimeZone string `json:"timezone"`
	Schedule struct {
		Cadence     string   `json:"cadence"`
		Days        []string `json:"days"`
		Every       int      `json:"every"`
		Time        string   `json:"time"`
		Text        string   `json:"text"`
		Description string   `json:"description"`
	} `json:"schedule"`
	RequestedChange bool       `json:"requested_change"`
	NextPromptAt    *time.Time `json:"next_prompt_at"`
	PausedUntil     *time.Time `json:"paused_until"`
	CreatedAt       time.Time  `json:"created_at"`
	ConfirmedAt     *time.Time `json:"confirmed_at"`
	UnsubscribedAt  *time.Time `json:"unsubscribed_at"`
	Discreet        bool       `json:"discreet"`
}

// create signs addr up through the API, daily at 20:30 in London.
func (b *bundle) create(addr string) subscriberJSON {
	b.t.Helper()
	res := b.post("/api/v1/subscribers", `{"email":"`+addr+`","timezone":"Europe/London","cadence":"daily","time":"20:30",`+
		`"consent_text":"Yes, send me reflection prompts from Partner."}`)
	if res.status != http.StatusCreated {
		b.t.Fatalf("create %s: %d %s", addr, res.status, res.body)
	}
	var out struct{ Subscriber subscriberJSON }
	res.decode(b.t, &out)
	return out.Subscriber
}

// confirm confirms subscriber id as their link would.
func (b *bundle) confirm(id int64) {
	b.t.Helper()
	_, err := b.db.ConfirmSubscription(context.Background(), id, steady.Consent{Method: "email-link", Wording: web.ConfirmWording},
		b.clock.Now(), func(s steady.Subscriber) (time.Time, error) {
			loc, _ := s.Location()
			return s.Schedule.Next(b.clock.Now(), loc), nil
		})
	if err != nil {
		b.t.Fatal(err)
	}
}

// active creates and confirms addr.
func (b *bundle) active(addr string) subscriberJSON {
	b.t.Helper()
	s := b.create(addr)
	b.confirm(s.ID)
	return b.subscriber(s.ID)
}

// subscriber reads one through the API.
func (b *bundle) subscriber(id int64) subscriberJSON {
	b.t.Helper()
	res := b.get(path("/api/v1/subscribers/", id))
	if res.status != http.StatusOK {
		b.t.Fatalf("get %d: %d %s", id, res.status, res.body)
	}
	var s subscriberJSON
	res.decode(b.t, &s)
	return s
}

// count is how many subscribers the store has.
func (b *bundle) count() int {
	b.t.Helper()
	subs, err := b.db.ListSubscribers(context.Background())
	if err != nil {
		b.t.Fatal(err)
	}
	return len(subs)
}

func path(prefix string, id int64, suffix ...string) string {
	return prefix + strconv.FormatInt(id, 10) + strings.Join(suffix, "")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// apiKeys issues keys as `steady api-keys create` does.
func (b *bundle) apiKeys() *apikeys.Keys { return &apikeys.Keys{Store: b.db, Clock: b.clock} }

// audited fails unless the audit log has action on target by the
// bundle's key.
func (b *bundle) audited(action, target string) {
	b.t.Helper()
	es, err := b.db.AuditLog(context.Background(), 0, 500)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, e := range es {
		if e.Operator == api.AuditOperator(keyName) && e.Action == action && e.Target == target && e.At.Equal(b.clock.Now()) {
			return
		}
	}
	b.t.Errorf("no audit entry %q on %q by %s in %+v", action, target, api.AuditOperator(keyName), es)
}

// audits is how many entries the audit log has.
func (b *bundle) audits() int {
	b.t.Helper()
	es, err := b.db.AuditLog(context.Background(), 0, 500)
	if err != nil {
		b.t.Fatal(err)
	}
	return len(es)
}
