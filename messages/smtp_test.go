package messages_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/smtptest"
)

const testFrom = "Steady <steady@example.org>"

var testNow = time.Date(2026, 3, 14, 19, 30, 0, 0, time.UTC)

type smtpBundle struct {
	srv    *smtptest.Server
	cfg    messages.SMTPConfig
	sender *messages.SMTPSender
}

// sendAndRead sends m and returns what the server received, raw and
// parsed.
func (b smtpBundle) sendAndRead(t *testing.T, m steady.Message) (smtptest.Received, *mail.Message) {
	t.Helper()
	if _, err := b.sender.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	r := b.srv.WaitMessages(t, 1, 5*time.Second)[0]
	msg, err := mail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatal(err)
	}
	return r, msg
}

// setup starts a real SMTP server and a sender for it, configured from the
// server's URL the way `steady serve` would be.
func setup(t *testing.T, opts ...smtptest.Option) smtpBundle {
	t.Helper()
	srv := smtptest.Start(t, opts...)
	cfg, err := messages.ParseSMTPURL(srv.URL())
	if err != nil {
		t.Fatalf("ParseSMTPURL(%q): %v", srv.URL(), err)
	}
	sopts := []messages.SMTPOption{
		messages.WithSMTPTimeout(5 * time.Second),
		messages.WithSMTPClock(steady.NewManualClock(testNow)),
		messages.WithSMTPHELO("steady.test"),
	}
	if tc := srv.ClientTLSConfig(); tc != nil {
		sopts = append(sopts, messages.WithSMTPTLSConfig(tc))
	}
	sender, err := messages.NewSMTPSender(cfg, testFrom, sopts...)
	if err != nil {
		t.Fatalf("NewSMTPSender: %v", err)
	}
	return smtpBundle{srv: srv, cfg: cfg, sender: sender}
}

const (
	testTo    = "alex.recipient@example.com"
	testText  = "Did you feel heard this week?\nReply YES or NO, and a few words if you like.\n\nÜnïcödé and a long line that has to be wrapped by quoted-printable because it goes on and on and on past seventy-six characters.\n"
	testHTML  = "<p>Did you feel <b>heard</b> this week?</p>\n<p>Ünïcödé — <a href=\"https://steady.example.org/r/tok\">answer here</a></p>\n"
	testUnsub = "<https://steady.example.org/unsubscribe/eyJzdWIiOjQyLCJleHAiOjE3OTk5OTk5OTl9.c2lnbmF0dXJlLXNpZ25hdHVyZQ>, <mailto:unsubscribe+tok42@steady.example.org?subject=unsubscribe>"
)

func testMessage() steady.Message {
	return steady.Message{
		DeliveryID: 42,
		Channel:    steady.ChannelEmail,
		To:         testTo,
		Subject:    "This week — did you feel heard?",
		Text:       testText,
		HTML:       testHTML,
		MessageID:  "d42.k7x9@steady.example.org",
		ReplyTo:    "reply+tok42@steady.example.org",
		Headers: map[string]string{
			"List-Unsubscribe":      testUnsub,
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		},
	}
}

func TestSMTPSendDeliversTheWholeMessage(t *testing.T) {
	t.Parallel()
	// tls=none against a plain server: the explicit NoTLS mapping (go-mail's
	// default would insist on STARTTLS and fail here).
	b := setup(t)
	if b.cfg.TLS != messages.TLSNone {
		t.Fatalf("test server URL gave TLS %q", b.cfg.TLS)
	}
	m := testMessage()
	id, err := b.sender.Send(context.Background(), m)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if id != m.MessageID {
		t.Errorf("provider id = %q, want %q", id, m.MessageID)
	}

	got := b.srv.WaitMessages(t, 1, 5*time.Second)
	if len(got) != 1 {
		t.Fatalf("received %d messages, want 1", len(got))
	}
	r := got[0]
	if r.From != "steady@example.org" {
		t.Errorf("MAIL FROM = %q, want the bare address", r.From)
	}
	if len(r.To) != 1 || r.To[0] != testTo {
		t.Errorf("RCPT TO = %q, want [%q]", r.To, testTo)
	}

	msg, err := mail.ReadMessage(bytes.NewReader(r.Data))
	if err != nil {
		t.Fatalf("parse received message: %v\n%s", err, r.Data)
	}
	h := msg.Header
	from, err := mail.ParseAddress(h.Get("From"))
	if err != nil || from.Name != "Steady" || from.Address != "steady@example.org" {
		t.Errorf("From = %q (%v)", h.Get("From"), err)
	}
	if to, err := mail.ParseAddress(h.Get("To")); err != nil || to.Address != testTo {
		t.Errorf("To = %q (%v)", h.Get("To"), err)
	}
	if rt, err := mail.ParseAddress(h.Get("Reply-To")); err != nil || rt.Address != m.ReplyTo {
		t.Errorf("Reply-To = %q (%v)", h.Get("Reply-To"), err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || subject != m.Subject {
		t.Errorf("Subject = %q decoded %q (%v), want %q", h.Get("Subject"), subject, err, m.Subject)
	}
	if got, want := h.Get("Message-Id"), "<"+m.MessageID+">"; got != want {
		t.Errorf("Message-ID = %q, want %q", got, want)
	}
	if got := h.Get("List-Unsubscribe"); got != testUnsub {
		t.Errorf("List-Unsubscribe = %q\nwant %q", got, testUnsub)
	}
	if got := h.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", got)
	}
	if date, err := h.Date(); err != nil || !date.Equal(testNow) {
		t.Errorf("Date = %q (%v), want %v", h.Get("Date"), err, testNow)
	}
	if n := len(msg.Header["Message-Id"]); n != 1 {
		t.Errorf("%d Message-ID headers", n)
	}

	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type = %q (%v), want multipart/alternative", h.Get("Content-Type"), err)
	}
	// The server takes 8BITMIME and no line is longer than SMTP allows,
	// so both bodies go as they are.
	parts := readParts(t, msg.Body, params["boundary"], "8bit")
	if len(parts) != 2 {
		t.Errorf("parts = %v, want text/plain and text/html", keys(parts))
	}
	if got := parts["text/plain"]; got != m.Text {
		t.Errorf("text/plain part = %q\nwant %q", got, m.Text)
	}
	if got := parts["text/html"]; got != m.HTML {
		t.Errorf("text/html part = %q\nwant %q", got, m.HTML)
	}
}

// readParts reads a multipart/alternative body by content type, decoded,
// with CRLF line ends as LF, and checks that each part is UTF-8 with
// Content-Transfer-Encoding cte.
func readParts(t *testing.T, r io.Reader, boundary, cte string) map[string]string {
	t.Helper()
	parts := map[string]string{}
	mr := multipart.NewReader(r, boundary)
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return parts
		}
		if err != nil {
			t.Fatalf("next part: %v", err)
		}
		ct, cparams, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("part Content-Type %q: %v", p.Header.Get("Content-Type"), err)
		}
		if cs := strings.ToLower(cparams["charset"]); cs != "utf-8" {
			t.Errorf("%s charset = %q, want utf-8", ct, cs)
		}
		var body io.Reader = p
		got := p.Header.Get("Content-Transfer-Encoding")
		if !strings.EqualFold(got, cte) {
			t.Errorf("%s Content-Transfer-Encoding = %q, want %s", ct, got, cte)
		}
		if strings.EqualFold(got, "quoted-printable") {
			body = quotedprintable.NewReader(p)
		}
		data, err := io.ReadAll(body)
		if err != nil {
			t.Fatalf("read %s part: %v", ct, err)
		}
		parts[ct] = strings.ReplaceAll(string(data), "\r\n", "\n")
	}
}

// TestSMTPSendLongLineIsQuotedPrintable: a body with a line longer than
// SMTP carries (998 octets), or with a carriage return of its own, is
// sent quoted-printable, text and HTML alike, and arrives unchanged.
func TestSMTPSendLongLineIsQuotedPrintable(t *testing.T) {
	t.Parallel()
	for name, html := range map[string]string{
		"long line":       "<p>" + strings.Repeat("ünïcödé words ", 80) + "</p>\n",
		"carriage return": "<p>one\rtwo</p>\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			m := testMessage()
			m.HTML = html
			r, msg := b.sendAndRead(t, m)
			for i, l := range bytes.Split(r.Data, []byte("\r\n")) {
				if len(l) > 998 {
					t.Fatalf("line %d of the message is %d octets long", i+1, len(l))
				}
			}
			_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
			if err != nil {
				t.Fatal(err)
			}
			parts := readParts(t, msg.Body, params["boundary"], "quoted-printable")
			if got := parts["text/plain"]; got != m.Text {
				t.Errorf("text/plain part = %q\nwant %q", got, m.Text)
			}
			if name == "long line" && parts["text/html"] != m.HTML {
				t.Errorf("text/html part = %q\nwant %q", parts["text/html"], m.HTML)
			}
		})
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestSMTPSendTextOnly(t *testing.T) {
	t.Parallel()
	b := setup(t)
	m := testMessage()
	m.HTML, m.ReplyTo, m.Headers = "", "", nil
	_, msg := b.sendAndRead(t, m)
	if ct, _, _ := mime.ParseMediaType(msg.Header.Get("Content-Type")); ct != "text/plain" {
		t.Errorf("Content-Type = %q, want text/plain", ct)
	}
	if rt := msg.Header.Get("Reply-To"); rt != "" {
		t.Errorf("Reply-To = %q, want none", rt)
	}
}

// A message without a Message-ID of its own (a summary, a safety note)
// gets one at the sender's domain, new for each message, never naming the
// machine it was sent from (go-mail's default uses the host name).
func TestSMTPSendWithoutMessageIDUsesTheSendersDomain(t *testing.T) {
	t.Parallel()
	b := setup(t)
	host, _ := os.Hostname()
	var ids []string
	for range 2 {
		m := testMessage()
		m.MessageID = ""
		id, err := b.sender.Send(context.Background(), m)
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
		ids = append(ids, id)
	}
	got := b.srv.WaitMessages(t, 2, 5*time.Second)
	if len(got) != 2 {
		t.Fatalf("received %d messages, want 2", len(got))
	}
	for i, r := range got {
		msg, err := mail.ReadMessage(bytes.NewReader(r.Data))
		if err != nil {
			t.Fatal(err)
		}
		id := ids[i]
		if h := msg.Header.Get("Message-Id"); h != "<"+id+">" {
			t.Errorf("Message-ID header %q, provider id %q", h, id)
		}
		local, domain, ok := strings.Cut(id, "@")
		if !ok || domain != "example.org" || len(local) < 20 || (host != "" && strings.Contains(id, host)) {
			t.Errorf("Message-ID %q: want random@example.org (the From domain), not naming host %q", id, host)
		}
	}
	if ids[0] == ids[1] {
		t.Errorf("both messages got Message-ID %q", ids[0])
	}
}

func TestSMTPStartTLSWithAuth(t *testing.T) {
	t.Parallel()
	b := setup(t, smtptest.WithSTARTTLS(), smtptest.WithAuth("steady", "pa ss:w@rd"))
	if b.cfg.TLS != messages.TLSStartTLS || b.cfg.Username != "steady" || b.cfg.Password != "pa ss:w@rd" {
		t.Fatalf("config from %q = %v", b.srv.URL(), b.cfg)
	}
	if _, err := b.sender.Send(context.Background(), testMessage()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	r := b.srv.WaitMessages(t, 1, 5*time.Second)[0]
	if r.User != "steady" {
		t.Errorf("authenticated as %q, want steady", r.User)
	}
}

func TestSMTPImplicitTLSWithAuth(t *testing.T) {
	t.Parallel()
	b := setup(t, smtptest.WithImplicitTLS(), smtptest.WithAuth("steady", "secret"))
	if b.cfg.TLS != messages.TLSImplicit {
		t.Fatalf("config TLS = %q", b.cfg.TLS)
	}
	if _, err := b.sender.Send(context.Background(), testMessage()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if r := b.srv.WaitMessages(t, 1, 5*time.Second)[0]; r.User != "steady" {
		t.Errorf("authenticated as %q, want steady", r.User)
	}
}

func TestSMTPWrongPasswordIsRetryableAndHidden(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t, smtptest.WithSTARTTLS(), smtptest.WithAuth("steady", "right"))
	cfg := messages.SMTPConfig{Host: srv.Host(), Port: srv.Port(), TLS: messages.TLSStartTLS, Username: "steady", Password: "Wr0ngPassw0rd"}
	sender, err := messages.NewSMTPSender(cfg, testFrom, messages.WithSMTPTLSConfig(srv.ClientTLSConfig()), messages.WithSMTPTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	_, err = sender.Send(context.Background(), testMessage())
	t.Logf("error: %v", err)
	assertRetryable(t, err)
	if strings.Contains(err.Error(), "Wr0ngPassw0rd") {
		t.Errorf("error shows the password: %v", err)
	}
}

// starttls is mandatory: a server without STARTTLS gets nothing, not a
// plain-text message.
func TestSMTPStartTLSIsMandatory(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t) // no STARTTLS offered
	cfg := messages.SMTPConfig{Host: srv.Host(), Port: srv.Port(), TLS: messages.TLSStartTLS}
	sender, err := messages.NewSMTPSender(cfg, testFrom, messages.WithSMTPTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	_, err = sender.Send(context.Background(), testMessage())
	t.Logf("error: %v", err)
	assertRetryable(t, err)
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server received %d messages over plain text", n)
	}
}

// A certificate the sender does not trust fails the TLS handshake: retry.
func TestSMTPUntrustedCertificateIsRetryable(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t, smtptest.WithSTARTTLS())
	cfg := messages.SMTPConfig{Host: srv.Host(), Port: srv.Port(), TLS: messages.TLSStartTLS}
	sender, err := messages.NewSMTPSender(cfg, testFrom, messages.WithSMTPTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	_, err = sender.Send(context.Background(), testMessage())
	t.Logf("error: %v", err)
	assertRetryable(t, err)
}

func TestSMTPFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault smtptest.Fault
		want  error // steady.ErrRejected, steady.ErrOutcomeUnknown, or nil for "retry"
		code  string
	}{
		{"550 at RCPT is a rejection", smtptest.RejectRcpt, steady.ErrRejected, "550"},
		{"554 after DATA is a rejection", smtptest.RejectData, steady.ErrRejected, "554"},
		{"451 after DATA is retryable", smtptest.TempFailData, nil, "451"},
		{"connection dropped after DATA is retryable (same Message-ID)", smtptest.DropAfterData, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, smtptest.WithFault(tt.fault))
			m := testMessage()
			id, err := b.sender.Send(context.Background(), m)
			if err == nil {
				t.Fatalf("Send succeeded with id %q, want an error", id)
			}
			t.Logf("error: %v", err)
			if tt.want == nil {
				assertRetryable(t, err)
			} else if !errors.Is(err, tt.want) {
				t.Fatalf("Send error = %v, want it to wrap %v", err, tt.want)
			}
			for _, other := range []error{steady.ErrRejected, steady.ErrOutcomeUnknown} {
				if other != tt.want && errors.Is(err, other) {
					t.Errorf("Send error = %v also wraps %v", err, other)
				}
			}
			if tt.code != "" && !strings.Contains(err.Error(), tt.code) {
				t.Errorf("error %q does not name the reply code %s", err, tt.code)
			}
			assertClean(t, err, m)

			// The next send on the same sender works once the fault is gone.
			b.srv.SetFault(smtptest.NoFault)
			if _, err := b.sender.Send(context.Background(), m); err != nil {
				t.Fatalf("Send after the fault cleared: %v", err)
			}
		})
	}
}

func TestSMTPConnectionRefusedIsRetryable(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cfg := messages.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: messages.TLSNone}
	sender, err := messages.NewSMTPSender(cfg, testFrom, messages.WithSMTPTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	_, err = sender.Send(context.Background(), testMessage())
	t.Logf("error: %v", err)
	assertRetryable(t, err)
	assertClean(t, err, testMessage())
}

// A server that accepts and then says nothing: the send gives up after the
// timeout, before anything was handed over, so it is retryable.
func TestSMTPSilentServerTimesOut(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait)
	wg.Go(func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		_, _ = io.Copy(io.Discard, c) // never greets
	})
	cfg := messages.SMTPConfig{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, TLS: messages.TLSNone}
	sender, err := messages.NewSMTPSender(cfg, testFrom, messages.WithSMTPTimeout(300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = sender.Send(context.Background(), testMessage())
	t.Logf("error: %v", err)
	assertRetryable(t, err)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Send took %v with a 300ms timeout", d)
	}
}

func TestSMTPInvalidMessagesAreRejectedWithoutSending(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tests := []struct {
		name   string
		change func(*steady.Message)
	}{
		{"bad recipient", func(m *steady.Message) { m.To = "not an address" }},
		{"empty recipient", func(m *steady.Message) { m.To = "" }},
		{"sms channel", func(m *steady.Message) { m.Channel = steady.ChannelSMS }},
		{"no body", func(m *steady.Message) { m.Text, m.HTML = "", "" }},
		{"bad reply-to", func(m *steady.Message) { m.ReplyTo = "reply@@" }},
		{"bad message id", func(m *steady.Message) { m.MessageID = "<x@y>" }},
		{"header injection", func(m *steady.Message) { m.Headers = map[string]string{"X-Test": "a\r\nBcc: victim@example.com"} }},
		{"bad header name", func(m *steady.Message) { m.Headers = map[string]string{"X Test": "a"} }},
		{"reserved header", func(m *steady.Message) { m.Headers = map[string]string{"bcc": "someone@example.com"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := testMessage()
			tt.change(&m)
			_, err := b.sender.Send(context.Background(), m)
			if !errors.Is(err, steady.ErrRejected) {
				t.Fatalf("Send error = %v, want ErrRejected", err)
			}
		})
	}
	if n := len(b.srv.Messages()); n != 0 {
		t.Errorf("server received %d messages", n)
	}
}

func TestSMTPConcurrentSends(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			m := testMessage()
			m.DeliveryID = int64(i)
			m.MessageID = fmt.Sprintf("d%d@steady.example.org", i)
			if _, err := b.sender.Send(context.Background(), m); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Send: %v", err)
	}
	b.srv.WaitMessages(t, n, 5*time.Second)
}

func TestSMTPCancelledContextSendsNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := b.sender.Send(ctx, testMessage())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Send error = %v, want context.Canceled", err)
	}
	assertRetryable(t, err)
	if n := len(b.srv.Messages()); n != 0 {
		t.Errorf("server received %d messages", n)
	}
}

func TestNewSMTPSenderValidates(t *testing.T) {
	t.Parallel()
	good := messages.SMTPConfig{Host: "mail.example.org", Port: 587, TLS: messages.TLSStartTLS}
	for _, from := range []string{"steady@example.org", "Steady <steady@example.org>", `"Steady, the app" <steady@example.org>`} {
		if _, err := messages.NewSMTPSender(good, from); err != nil {
			t.Errorf("NewSMTPSender(from %q): %v", from, err)
		}
	}
	for _, from := range []string{"", "steady", "Steady <steady>", "a@b, c@d"} {
		if _, err := messages.NewSMTPSender(good, from); err == nil {
			t.Errorf("NewSMTPSender(from %q) succeeded, want an error", from)
		}
	}
	for _, cfg := range []messages.SMTPConfig{
		{Port: 587, TLS: messages.TLSStartTLS},
		{Host: "mail.example.org", Port: 0, TLS: messages.TLSStartTLS},
		{Host: "mail.example.org", Port: 587, TLS: "ssl"},
		{Host: "mail.example.org", Port: 587, TLS: messages.TLSNone, Password: "x"},
	} {
		if _, err := messages.NewSMTPSender(cfg, "steady@example.org"); err == nil {
			t.Errorf("NewSMTPSender(%v) succeeded, want an error", cfg)
		}
	}
	if _, err := messages.NewSMTPSender(good, "steady@example.org", messages.WithSMTPTimeout(-time.Second)); err == nil {
		t.Error("NewSMTPSender with a negative timeout succeeded")
	}
}

// assertRetryable checks err is an error that wraps neither sentinel.
func assertRetryable(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("got no error, want a retryable one")
	}
	if errors.Is(err, steady.ErrRejected) || errors.Is(err, steady.ErrOutcomeUnknown) {
		t.Fatalf("error = %v, want a retryable error (neither rejected nor unknown)", err)
	}
}

// assertClean checks an error text shows neither the body nor the
// recipient's address.
func assertClean(t *testing.T, err error, m steady.Message) {
	t.Helper()
	text := err.Error()
	for _, secret := range []string{m.To, "Did you feel heard", "answer here"} {
		if strings.Contains(text, secret) {
			t.Errorf("error %q shows %q", text, secret)
		}
	}
}
