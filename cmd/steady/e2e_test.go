package main

import (
	"bytes"
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// lockedBuffer is a bytes.Buffer safe for the logger's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// running is one `steady serve` started by a test with an injected clock
// and a real SMTP server.
type running struct {
	app     *app
	db      *store.DB
	clock   *steady.ManualClock
	mail    *smtptest.Server
	baseURL string
	stdout  *lockedBuffer
	logs    *lockedBuffer
	// listenURL reaches the listener itself, whatever the base URL says.
	listenURL string
}

func startServe(t *testing.T, db *store.DB, now time.Time) *running {
	t.Helper()
	mail := smtptest.Start(t)
	r := startApp(t, db, steady.NewManualClock(now), map[string]string{
		"STEADY_SMTP_URL": mail.URL(), "STEADY_FROM": "Steady <steady@example.org>",
	})
	r.mail = mail
	return r
}

// startApp runs `steady serve` in this process on db, with the flags and
// environment read exactly as the binary reads them (vars is the whole
// environment, args more flags), the clock injected and the listener on a
// free port.
func startApp(t *testing.T, db *store.DB, clock *steady.ManualClock, vars map[string]string, args ...string) *running {
	t.Helper()
	return launchApp(t, db, clock, vars, args, func(*Config) {})
}

// launchApp is startApp with tweak run on the parsed Config before the
// app is built.
func launchApp(t *testing.T, db *store.DB, clock *steady.ManualClock, vars map[string]string, args []string, tweak func(*Config)) *running {
	t.Helper()
	r := &running{db: db, clock: clock, stdout: &lockedBuffer{}, logs: &lockedBuffer{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	getenv := func(k string) string { return vars[k] }
	var c Config
	fs := newFlagSet(env{getenv: getenv, stdout: io.Discard, stderr: io.Discard, clock: clock}, "serve", "serve [flags]")
	bind(fs, getenv, serveSettings(&c))
	if err := fs.Parse(append([]string{"--addr", ln.Addr().String(), "--log-level", "debug"}, args...)); err != nil {
		t.Fatal(err)
	}
	if err := c.finishServe(getenv, ln.Addr().String()); err != nil {
		t.Fatal(err)
	}
	c.ticksByHand = true
	tweak(&c)
	r.baseURL, r.listenURL = c.BaseURL, "http://"+ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	r.app, err = newApp(ctx, c, db, r.clock, newLogger(r.logs, c.LogLevel, c.LogFormat))
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- r.app.serve(ctx, ln, r.stdout) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		if !strings.Contains(r.logs.String(), "stopped") {
			t.Errorf("serve did not stop cleanly:\n%s", r.logs.String())
		}
	})
	// serve prints this once every part has started; then the scheduler's
	// first tick, at the clock's time, must be over before a test moves the
	// clock and ticks by hand.
	eventually(t, "serve starts", func() bool { return strings.Contains(r.stdout.String(), "Steady is running") })
	select {
	case <-r.app.scheduler.FirstTick():
	case <-time.After(10 * time.Second):
		t.Fatal("the scheduler's first tick did not finish")
	}
	// The summary job's first pass too: on PostgreSQL it locks the rows of
	// subscribers whose summary is due (a new one's is), and a scheduler
	// pass skips locked rows until the next tick, so a test that signs up
	// and ticks by hand at once would find nothing due.
	if r.app.summaries != nil {
		select {
		case <-r.app.summaries.FirstPass():
		case <-time.After(10 * time.Second):
			t.Fatal("the summary job's first pass did not finish")
		}
	}
	return r
}

// TestEndToEnd walks the whole loop as a subscriber would: sign up over
// HTTP, confirm from the emailed link, receive a prompt when the clock
// passes the slot, answer it through its link, and find the answer stored.
func TestEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		// Thursday 26 November 2026, 09:00 in New York.
		r := startServe(t, db, time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC))
		ctx := context.Background()
		eventually(t, "serve prints the URL to open", func() bool {
			return strings.Contains(r.stdout.String(), "Open "+r.baseURL+"/")
		})

		// Subscribe.
		resp := post(t, r.baseURL+"/api/subscriptions", "application/json",
			`{"email":"Sam.Rivers@Example.org","timezone":"America/New_York","cadence":"daily","time":"20:30"}`)
		if resp.StatusCode != http.StatusAccepted {
			t.Fatalf("subscribe: %d %s", resp.StatusCode, readAll(t, resp))
		}

		// The confirmation email arrives by itself: the sender was woken.
		confirmMail := parseMail(t, r.mail.WaitMessages(t, 1, 10*time.Second)[0])
		if confirmMail.to != "sam.rivers@example.org" || confirmMail.header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Fatalf("confirmation email: to %q, headers %v", confirmMail.to, confirmMail.header)
		}
		confirmURL := findLink(t, confirmMail.text, r.baseURL+"/confirm")

		// A bare GET (a mail scanner) must not confirm.
		if resp := get(t, confirmURL); resp.StatusCode != http.StatusOK {
			t.Fatalf("GET confirm: %d", resp.StatusCode)
		}
		sub, err := db.SubscriberByAddress(ctx, steady.ChannelEmail, "sam.rivers@example.org")
		if err != nil || sub.Status != steady.StatusPending {
			t.Fatalf("after GET confirm: %+v, %v", sub, err)
		}
		token := mustQuery(t, confirmURL, "t")
		if resp := postForm(t, r.baseURL+"/confirm", url.Values{"t": {token}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("POST confirm: %d %s", resp.StatusCode, readAll(t, resp))
		}
		sub, err = db.Subscriber(ctx, sub.ID)
		if err != nil || sub.Status != steady.StatusActive {
			t.Fatalf("after POST confirm: %+v, %v", sub, err)
		}
		// 20:30 in New York (EST, UTC-5) is 01:30 UTC the next day.
		if want := time.Date(2026, 11, 27, 1, 30, 0, 0, time.UTC); !sub.NextSlot.Equal(want) {
			t.Fatalf("next slot %v, want %v", sub.NextSlot, want)
		}

		// Before the slot: nothing. Past it: one prompt, however often the tick runs.
		r.clock.Set(sub.NextSlot.Add(-time.Minute))
		if n, err := r.app.scheduler.RunOnce(ctx); n != 0 || err != nil {
			t.Fatalf("tick before the slot: %d, %v", n, err)
		}
		r.clock.Set(sub.NextSlot.Add(time.Minute))
		for i, want := range []int{1, 0} {
			if n, err := r.app.scheduler.RunOnce(ctx); n != want || err != nil {
				t.Fatalf("tick %d after the slot: %d, %v; want %d", i+1, n, err, want)
			}
		}
		received := r.mail.WaitMessages(t, 2, 10*time.Second)
		prompt := parseMail(t, received[1])
		checkPromptHeaders(t, prompt, r.baseURL)

		// Answer through the reply link.
		replyURL := findLink(t, prompt.text, r.baseURL+"/reply")
		page := readAll(t, get(t, replyURL))
		nonce := regexp.MustCompile(`name="nonce" value="([^"]+)"`).FindStringSubmatch(page)
		if nonce == nil {
			t.Fatalf("reply page has no nonce:\n%s", page)
		}
		answer := "YES. She stood up for me when her brother made a joke at dinner."
		form := url.Values{"t": {mustQuery(t, replyURL, "t")}, "nonce": {nonce[1]}, "reply": {answer}}
		for range 2 { // a double click stores one reply
			if resp := postForm(t, r.baseURL+"/reply", form); resp.StatusCode != http.StatusOK {
				t.Fatalf("POST reply: %d %s", resp.StatusCode, readAll(t, resp))
			}
		}
		replies, err := db.Replies(ctx, sub.ID)
		if err != nil || len(replies) != 1 {
			t.Fatalf("replies: %+v, %v", replies, err)
		}
		// The sender records the outcome right after the SMTP server's answer.
		var promptDelivery steady.Delivery
		eventually(t, "the prompt is recorded as sent", func() bool {
			deliveries, err := db.Deliveries(ctx, sub.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range deliveries {
				if d.Kind == steady.KindPrompt {
					promptDelivery = d
				}
			}
			return promptDelivery.Status == steady.DeliverySent
		})
		if promptDelivery.Status != steady.DeliverySent || replies[0].DeliveryID != promptDelivery.ID ||
			replies[0].Body != answer || replies[0].Channel != steady.ChannelWeb {
			t.Fatalf("reply %+v for delivery %+v", replies[0], promptDelivery)
		}

		// Nothing more goes out, and nothing intimate reached the log.
		if n, err := r.app.dispatcher.RunOnce(ctx); n != 0 || err != nil {
			t.Fatalf("a later send pass sent %d, %v", n, err)
		}
		if got := len(r.mail.Messages()); got != 2 {
			t.Fatalf("%d emails sent, want 2 (confirmation and one prompt)", got)
		}
		logs := r.logs.String()
		for _, secret := range []string{"Sam.Rivers", "sam.rivers", "stood up for me", token} {
			if strings.Contains(logs, secret) {
				t.Errorf("the log contains %q:\n%s", secret, logs)
			}
		}
	})
}

// eventually polls cond for up to ten seconds; the running service works
// in its own goroutines.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func checkPromptHeaders(t *testing.T, m parsedMail, baseURL string) {
	t.Helper()
	h := m.header
	if m.to != "sam.rivers@example.org" || !strings.Contains(h.Get("From"), "steady@example.org") {
		t.Errorf("prompt From %q To %q", h.Get("From"), m.to)
	}
	if subj := m.subject; subj != "Your reflection for Thursday" {
		t.Errorf("prompt subject %q", subj)
	}
	id := h.Get("Message-Id")
	if !regexp.MustCompile(`^<m-[a-z2-7]+@example\.org>$`).MatchString(id) {
		t.Errorf("Message-ID %q", id)
	}
	// A Message-ID is seen by anyone the thread is forwarded to: its token
	// must open no reply page.
	if tok := strings.TrimSuffix(strings.TrimPrefix(id, "<m-"), "@example.org>"); tok != "" {
		if resp := get(t, baseURL+"/reply?t="+tok); resp.StatusCode == http.StatusOK {
			t.Errorf("the Message-ID's token opens the reply page")
		}
	}
	// No mailbox is read here (STEADY_IMAP_URL is unset), so the prompt
	// must not invite a reply by email: it would be lost.
	if rt := h.Get("Reply-To"); rt != "" {
		t.Errorf("Reply-To %q, but nothing reads emailed replies", rt)
	}
	if strings.Contains(m.text, "reply to this email") || !strings.Contains(m.text, "replies to this email are not read") {
		t.Errorf("the prompt invites an emailed reply that nothing reads:\n%s", m.text)
	}
	lu := h.Get("List-Unsubscribe")
	// The one-click link; no mailto, since nothing reads the mailbox here.
	if !strings.Contains(lu, "<"+baseURL+"/unsubscribe?t=") || strings.Contains(lu, "mailto:") {
		t.Errorf("List-Unsubscribe %q", lu)
	}
	if h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post %q", h.Get("List-Unsubscribe-Post"))
	}
	if m.html == "" || !strings.Contains(m.html, baseURL+"/reply?t=") {
		t.Errorf("the prompt has no HTML part with the reply link")
	}
}

type parsedMail struct {
	header  mail.Header
	to      string
	subject string
	text    string
	html    string
}

// parseMail reads a raw message as a mail client would.
func parseMail(t *testing.T, r smtptest.Received) parsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatalf("parse email: %v", err)
	}
	p := parsedMail{header: msg.Header}
	if to, err := msg.Header.AddressList("To"); err == nil && len(to) == 1 {
		p.to = to[0].Address
	}
	if p.subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatal(err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") {
		t.Fatalf("content type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	var walk func(body io.Reader, boundary string)
	walk = func(body io.Reader, boundary string) {
		mr := multipart.NewReader(body, boundary)
		for {
			part, err := mr.NextPart() // decodes quoted-printable
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ct := part.Header.Get("Content-Type")
			if mt, ps, err := mime.ParseMediaType(ct); err == nil && strings.HasPrefix(mt, "multipart/") {
				walk(part, ps["boundary"]) // e.g. multipart/related around the HTML and its chart
				continue
			}
			body, _ := io.ReadAll(part)
			switch {
			case strings.HasPrefix(ct, "text/plain"):
				p.text = string(body)
			case strings.HasPrefix(ct, "text/html"):
				p.html = string(body)
			}
		}
	}
	walk(msg.Body, params["boundary"])
	if p.text == "" {
		t.Fatal("email has no text/plain part")
	}
	return p
}

func findLink(t *testing.T, text, prefix string) string {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(prefix) + `\?t=[a-z2-7]+`).FindString(text)
	if m == "" {
		t.Fatalf("no %s link in:\n%s", prefix, text)
	}
	return m
}

func mustQuery(t *testing.T, raw, key string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil || u.Query().Get(key) == "" {
		t.Fatalf("no %s in %q", key, raw)
	}
	return u.Query().Get(key)
}

func get(t *testing.T, u string) *http.Response {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func post(t *testing.T, u, contentType, body string) *http.Response {
	t.Helper()
	resp, err := http.Post(u, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func postForm(t *testing.T, u string, form url.Values) *http.Response {
	t.Helper()
	return post(t, u, "application/x-www-form-urlencoded", form.Encode())
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The same person cannot be signed up twice by changing the case of their
// address, nor escape the limit of one confirmation email per 10 minutes.
func TestSignUpAddressCaseIsOneSubscriber(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r := startServe(t, db, time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC))
		signUp := func(email string) {
			t.Helper()
			resp := post(t, r.baseURL+"/api/subscriptions", "application/json",
				`{"email":"`+email+`","timezone":"Europe/London","cadence":"daily","time":"20:30"}`)
			if resp.StatusCode != http.StatusAccepted {
				t.Fatalf("subscribe %q: %d %s", email, resp.StatusCode, readAll(t, resp))
			}
		}
		confirms := func(id int64) int {
			t.Helper()
			ds, err := db.Deliveries(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, d := range ds {
				if d.Kind == steady.KindConfirm {
					n++
				}
			}
			return n
		}

		signUp("alice@example.com")
		signUp("  Alice@Example.COM ")
		subs, err := db.ListSubscribers(ctx)
		if err != nil || len(subs) != 1 || subs[0].Address != "alice@example.com" {
			t.Fatalf("subscribers after two sign-ups differing in case: %+v, %v", subs, err)
		}
		if n := confirms(subs[0].ID); n != 1 {
			t.Errorf("%d confirmations queued within 10 minutes, want 1", n)
		}
		r.clock.Advance(11 * time.Minute)
		signUp("ALICE@EXAMPLE.COM")
		if n := confirms(subs[0].ID); n != 2 {
			t.Errorf("%d confirmations after 11 minutes, want 2", n)
		}
		if subs, _ := db.ListSubscribers(ctx); len(subs) != 1 {
			t.Errorf("%d subscribers, want 1", len(subs))
		}
	})
}
