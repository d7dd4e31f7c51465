package mailhook_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/inbox"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/mailhook"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/web"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

const (
	mailgunKey       = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"
	postmarkUser     = "postmark"
	postmarkPassword = "pm-inbound-password-7f3a"
	sendgridUser     = "sendgrid"
	sendgridPassword = "sg-inbound-password-91c2"
	// trustedAuthServ is believed by the processor, as an operator who
	// also reads a Gmail mailbox would set it.
	trustedAuthServ = "mx.google.com"
	// secretWords appear only in reply bodies; no log may contain them.
	secretWords = "moonlit-secret"
	subAddress  = "alex@example.net"
)

// processorReceiver adapts a real inbox.Processor to mailhook.Receiver.
type processorReceiver struct{ p *inbox.Processor }

func (r processorReceiver) Receive(ctx context.Context, raw []byte, source string) (inbox.Result, error) {
	return r.p.Process(ctx, raw)
}

// faultyReceiver fails its first n calls, as a database that did not
// answer would, then hands on.
type faultyReceiver struct {
	mailhook.Receiver
	mu    sync.Mutex
	fails int
}

func (f *faultyReceiver) Receive(ctx context.Context, raw []byte, source string) (inbox.Result, error) {
	f.mu.Lock()
	fail := f.fails > 0
	f.fails--
	f.mu.Unlock()
	if fail {
		return inbox.Result{}, fmt.Errorf("store: record reply: connection refused")
	}
	return f.Receiver.Receive(ctx, raw, source)
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// bundle is the three webhooks, served through web's real handler chain,
// over a real processor and store.
type bundle struct {
	t      *testing.T
	db     *store.DB
	clock  *steady.ManualClock
	links  *links.Links
	url    string
	logs   *syncBuffer
	sub    steady.Subscriber
	prompt steady.Delivery
	fault  *faultyReceiver
}

func setup(t *testing.T, db *store.DB) *bundle {
	t.Helper()
	b := &bundle{t: t, db: db, clock: steady.NewManualClock(t0), logs: &syncBuffer{}}
	var err error
	b.links, err = links.New("https://steady.example.org", "Steady <steady@example.org>", []byte("0123456789abcdef0123456789abcdef"), b.clock)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(b.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	proc, err := inbox.NewProcessor(inbox.ProcessorConfig{Store: db, Links: b.links, Clock: b.clock, Logger: logger,
		TrustedAuthServ: []string{trustedAuthServ}})
	if err != nil {
		t.Fatal(err)
	}
	b.fault = &faultyReceiver{Receiver: processorReceiver{proc}}
	mg, err := mailhook.NewMailgun(mailhook.MailgunConfig{Receiver: b.fault, Ledger: db, Clock: b.clock, Logger: logger, SigningKey: mailgunKey, MaxBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	pm, err := mailhook.NewPostmark(mailhook.PostmarkConfig{Receiver: b.fault, Logger: logger,
		Auth: mailhook.BasicAuth{User: postmarkUser, Password: postmarkPassword}, MaxBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	sg, err := mailhook.NewSendGrid(mailhook.SendGridConfig{Receiver: b.fault, Logger: logger,
		Auth: mailhook.BasicAuth{User: sendgridUser, Password: sendgridPassword}, MaxBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{Store: db, Links: b.links, Clock: b.clock, Logger: logger, Extra: map[string]http.Handler{
		"POST /inbound/mailgun": mg, "POST /inbound/mailgun/mime": mg, "POST /inbound/postmark": pm, "POST /inbound/sendgrid": sg,
	}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	b.url = ts.URL
	b.sub, b.prompt = b.subscriber(t, subAddress)
	t.Cleanup(func() {
		logs := b.logs.String()
		if strings.Contains(logs, "@example.") || strings.Contains(logs, secretWords) {
			t.Errorf("an address or a body was logged:\n%s", logs)
		}
	})
	return b
}

// subscriber signs address up, confirms it and sends it one prompt at t0.
func (b *bundle) subscriber(t *testing.T, address string) (steady.Subscriber, steady.Delivery) {
	t.Helper()
	ctx := context.Background()
	res, err := b.db.RequestSubscription(ctx, store.SubscriptionRequest{
		Channel: steady.ChannelEmail, Address: address, TimeZone: "Europe/London",
		Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 9},
		Consent:  steady.Consent{Method: "web", IP: "192.0.2.1", Wording: "Send me prompts"},
		Now:      t0.Add(-time.Hour), ResendAfter: time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := b.db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "email-link"}, t0.Add(-time.Hour),
		func(steady.Subscriber) (time.Time, error) { return t0, nil })
	if err != nil {
		t.Fatal(err)
	}
	plan := func(s steady.Subscriber, last string) (steady.Delivery, time.Time, error) {
		return steady.Delivery{SubscriberID: s.ID, Kind: steady.KindPrompt, Channel: steady.ChannelEmail, Slot: s.NextSlot,
			PromptID: "p1", Theme: "honesty", PromptText: "Do you feel heard?"}, s.NextSlot.Add(24 * time.Hour), nil
	}
	if _, err := b.db.ClaimDue(ctx, t0, 100, plan); err != nil {
		t.Fatal(err)
	}
	for _, c := range storetest.Claim(t, b.db, t0) { // the confirmation and the prompt
		if err := b.db.FinishDelivery(ctx, c, store.Outcome{Status: steady.DeliverySent, Now: t0}); err != nil {
			t.Fatal(err)
		}
	}
	d, err := b.db.LatestPrompt(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	return sub, d
}

// replies are the subscriber's stored replies.
func (b *bundle) replies() []steady.Reply {
	b.t.Helper()
	rs, err := b.db.Replies(context.Background(), b.sub.ID)
	if err != nil {
		b.t.Fatal(err)
	}
	return rs
}

// reply is a reply to the prompt as a mail program writes it: to the
// prompt's Reply-To (its token address) unless to is set.
type reply struct {
	from, to, body, extra string
	noMessageID           bool
}

func (b *bundle) raw(r reply) string {
	from := cmpOr(r.from, subAddress)
	to := cmpOr(r.to, b.links.ReplyAddress(b.prompt))
	var s strings.Builder
	fmt.Fprintf(&s, "%sFrom: Alex Example <%s>\r\nTo: %s\r\nSubject: Re: Today's reflection\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n", r.extra, from, to)
	if !r.noMessageID {
		s.WriteString("Message-ID: <reply-1@mail.example.net>\r\n")
	}
	fmt.Fprintf(&s, "In-Reply-To: <%s>\r\nReferences: <%s>\r\n", b.links.MessageID(b.prompt), b.links.MessageID(b.prompt))
	s.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	s.WriteString(strings.ReplaceAll(r.body, "\n", "\r\n"))
	return s.String()
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

type response struct {
	status int
	body   string
}

func (b *bundle) do(req *http.Request) response {
	b.t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, string(body)}
}

func (b *bundle) post(path, contentType string, body []byte, user, password string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.url+path, bytes.NewReader(body))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("User-Agent", "provider-webhook/1.0")
	if user != "" || password != "" {
		req.SetBasicAuth(user, password)
	}
	return b.do(req)
}

// wantReplies checks the subscriber has n replies, each answering the prompt.
func (b *bundle) wantReplies(n int) []steady.Reply {
	b.t.Helper()
	rs := b.replies()
	if len(rs) != n {
		b.t.Fatalf("%d replies stored, want %d", len(rs), n)
	}
	for _, r := range rs {
		if r.DeliveryID != b.prompt.ID {
			b.t.Errorf("reply filed under delivery %d, want the prompt %d", r.DeliveryID, b.prompt.ID)
		}
	}
	return rs
}
