package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// noDNS knows no records: the sender's domain publishes no SPF, DKIM key
// or DMARC policy (the internet is not reachable from tests).
type noDNS struct{}

func nx(name string) error { return &net.DNSError{Err: "no such host", Name: name, IsNotFound: true} }

func (noDNS) LookupTXT(_ context.Context, n string) ([]string, error)        { return nil, nx(n) }
func (noDNS) LookupMX(_ context.Context, n string) ([]*net.MX, error)        { return nil, nx(n) }
func (noDNS) LookupIPAddr(_ context.Context, n string) ([]net.IPAddr, error) { return nil, nx(n) }
func (noDNS) LookupAddr(_ context.Context, n string) ([]string, error)       { return nil, nx(n) }

// TestSMTPInboundEndToEnd runs `steady serve` with only the built-in SMTP
// receiver as its inbound path: prompts invite an emailed reply, the reply
// arrives over SMTP and is stored once, a stranger's address is refused,
// and mail that cannot be filed is held aside.
func TestSMTPInboundEndToEnd(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC)
		out := smtptest.Start(t)
		r := startAppWith(t, db, steady.NewManualClock(now), map[string]string{
			"STEADY_SMTP_URL": out.URL(), "STEADY_FROM": "Steady <steady@example.org>",
			"STEADY_SMTP_INBOUND_ADDR": "127.0.0.1:0",
		}, func(c *Config) { c.SMTPIn.resolver = noDNS{} })
		if r.app.smtpIn == nil || r.app.smtpInAddr == "" {
			t.Fatal("STEADY_SMTP_INBOUND_ADDR is set but no receiver is listening")
		}
		if strings.Contains(r.logs.String(), "emailed replies are off") {
			t.Fatal("serve says emailed replies are off although the SMTP receiver is on")
		}

		res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{
			Channel: steady.ChannelEmail, Address: "jo@example.net", TimeZone: "Europe/London",
			Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 9},
			Consent:  steady.Consent{Method: "web", IP: "192.0.2.1", Wording: "Send me prompts"}, Now: now,
		})
		if err != nil {
			t.Fatal(err)
		}
		sub, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "email-link"}, now,
			func(steady.Subscriber) (time.Time, error) { return now, nil })
		if err != nil {
			t.Fatal(err)
		}
		if n, err := r.app.scheduler.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("scheduler: %d, %v", n, err)
		}
		prompt := parseMail(t, out.WaitMessages(t, 2, 10*time.Second)[1])
		if !strings.Contains(prompt.text, "reply to this email") || !strings.Contains(prompt.header.Get("List-Unsubscribe"), "mailto:") {
			t.Fatalf("the prompt does not invite an emailed reply:\n%s\n%v", prompt.text, prompt.header)
		}
		replyTo, err := mail.ParseAddress(prompt.header.Get("Reply-To"))
		if err != nil {
			t.Fatalf("prompt Reply-To: %v", err)
		}

		answer := "Yes. We cooked together and laughed a lot."
		raw := "From: Jo <jo@example.net>\r\nTo: " + replyTo.Address + "\r\nSubject: Re: " + prompt.subject +
			"\r\nMessage-ID: <e2e-1@mail.example.net>\r\nIn-Reply-To: " + prompt.header.Get("Message-ID") +
			"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + answer + "\r\n"
		for range 2 {
			if err := sendPlain(t, r.app.smtpInAddr, "jo@example.net", []string{replyTo.Address}, strings.NewReader(raw)); err != nil {
				t.Fatalf("reply over SMTP: %v", err)
			}
		}
		rs, err := db.Replies(ctx, sub.ID)
		if err != nil || len(rs) != 1 || rs[0].Body != answer {
			t.Fatalf("replies = %+v, %v; want one", rs, err)
		}

		// Not Steady's address: refused in the session, nothing kept.
		err = sendPlain(t, r.app.smtpInAddr, "jo@example.net", []string{"someone@example.org"}, strings.NewReader(raw))
		var se *smtp.SMTPError
		if !errors.As(err, &se) || se.Code != 550 {
			t.Fatalf("stranger's address: %v, want 550", err)
		}
		// To the bare From address, unsigned: no token and no proof of the
		// sender, so it is held aside rather than filed.
		unproven := strings.NewReplacer("e2e-1@", "e2e-2@", "To: "+replyTo.Address, "To: steady@example.org").Replace(raw)
		if err := sendPlain(t, r.app.smtpInAddr, "jo@example.net", []string{"steady@example.org"}, strings.NewReader(unproven)); err != nil {
			t.Fatal(err)
		}
		held, err := db.HeldMessages(ctx, 10)
		if err != nil || len(held) != 1 || held[0].Reason != "unauthenticated" || held[0].Source != "smtp" {
			t.Fatalf("held = %+v, %v", held, err)
		}
		for _, secret := range []string{"jo@example.net", "cooked together"} {
			if strings.Contains(r.logs.String(), secret) {
				t.Errorf("the log contains %q", secret)
			}
		}
	})
}

func TestSMTPInboundSettingsAreChecked(t *testing.T) {
	t.Parallel()
	for _, vars := range []map[string]string{
		{"STEADY_SMTP_INBOUND_ADDR": "nonsense"},
		{"STEADY_SMTP_INBOUND_ADDR": "127.0.0.1:0", "STEADY_SMTP_INBOUND_MAX_BYTES": "ten megabytes"},
		{"STEADY_SMTP_INBOUND_ADDR": "127.0.0.1:0", "STEADY_SMTP_INBOUND_MAX_BYTES": "10"},
		{"STEADY_SMTP_INBOUND_ADDR": "127.0.0.1:0", "STEADY_SMTP_INBOUND_TLS_CERT": "/nonexistent/cert.pem"},
		{"STEADY_SMTP_INBOUND_ADDR": "127.0.0.1:0", "STEADY_SMTP_INBOUND_TLS_CERT": "/nonexistent/c.pem", "STEADY_SMTP_INBOUND_TLS_KEY": "/nonexistent/k.pem"},
		{"STEADY_SMTP_INBOUND_ADDR": "127.0.0.1:0", "STEADY_SMTP_INBOUND_HOSTNAME": "not a host; name"},
	} {
		vars["STEADY_DATABASE_URL"] = t.TempDir() + "/steady.db"
		vars["STEADY_ADDR"] = "127.0.0.1:0"
		_, stderr, err := runCLI(t, vars, "serve")
		if err == nil || exitCode(err) != 2 || !strings.Contains(stderr+err.Error(), "smtp-inbound") {
			t.Errorf("serve with %v: %v (stderr %q), want a usage error naming the setting", vars, err, stderr)
		}
	}
}

// sendPlain delivers raw as a sending server would, without TLS.
func sendPlain(t *testing.T, addr, from string, to []string, raw io.Reader) error {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.SendMail(from, to, raw)
}

// startAppWith is startApp with a chance to set what no flag sets (the
// receiver's resolver) before the app is built.
func startAppWith(t *testing.T, db *store.DB, clock *steady.ManualClock, vars map[string]string, tweak func(*Config)) *running {
	t.Helper()
	return launchApp(t, db, clock, vars, nil, tweak)
}
