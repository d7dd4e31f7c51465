package main

import (
	"context"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// TestEmailReplyEndToEnd runs `steady serve` with STEADY_IMAP_URL pointing
// at a real (in-process) IMAP server: a prompt goes out by SMTP, the
// subscriber answers it from their mail program, and the answer, without
// its quoted history, is stored under that prompt.
func TestEmailReplyEndToEnd(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	imapAddr := startMemIMAP(t)
	now := time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC)
	clock := steady.NewManualClock(now)
	smtp := smtptest.Start(t)
	r := startApp(t, db, clock, map[string]string{
		"STEADY_SMTP_URL": smtp.URL(), "STEADY_FROM": "Steady <steady@example.org>",
		"STEADY_IMAP_URL": "imap://steady:s3cret@" + imapAddr + "/INBOX?tls=none", "STEADY_IMAP_POLL": "1h",
	})
	a, logs, ctx := r.app, r.logs, context.Background()
	if a.poller == nil {
		t.Fatal("STEADY_IMAP_URL is set but no poller was built")
	}

	// An active subscriber whose slot has come.
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
	if n, err := a.scheduler.RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("scheduler: %d, %v", n, err)
	}
	prompt := parseMail(t, smtp.WaitMessages(t, 2, 10*time.Second)[1]) // after the confirmation
	replyTo, err := mail.ParseAddress(prompt.header.Get("Reply-To"))
	if err != nil {
		t.Fatalf("prompt Reply-To: %v (headers %v)", err, prompt.header)
	}

	// Jo answers from an iPhone.
	answer := "Yes. We talked on the walk home and it felt like us again."
	raw := "From: Jo <jo@example.net>\r\nTo: " + replyTo.Address + "\r\nSubject: Re: " + prompt.subject +
		"\r\nMessage-ID: <A1B2C3@icloud.example>\r\nIn-Reply-To: " + prompt.header.Get("Message-ID") +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + answer +
		"\r\n\r\nSent from my iPhone\r\n\r\n> On 26 Nov 2026, at 14:00, Steady <" + replyTo.Address + "> wrote:\r\n>\r\n> " +
		strings.SplitN(prompt.text, "\n", 2)[0] + "\r\n"
	appendIMAP(t, imapAddr, []byte(raw))

	eventually(t, "the emailed reply is stored", func() bool {
		rs, err := db.Replies(ctx, sub.ID)
		return err == nil && len(rs) == 1
	})
	rs, _ := db.Replies(ctx, sub.ID)
	ds, _ := db.Deliveries(ctx, sub.ID)
	var promptID int64
	for _, d := range ds {
		if d.Kind == steady.KindPrompt {
			promptID = d.ID
		}
	}
	if rs[0].Body != answer || rs[0].Channel != steady.ChannelEmail || rs[0].DeliveryID != promptID {
		t.Errorf("stored reply %+v, want %q under prompt %d", rs[0], answer, promptID)
	}
	for _, secret := range []string{"jo@example.net", "walk home", "s3cret"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log contains %q", secret)
		}
	}
}

func TestIMAPSettingsAreChecked(t *testing.T) {
	t.Parallel()
	for _, vars := range []map[string]string{
		{"STEADY_IMAP_URL": "pop3://u:p@h/"},
		{"STEADY_IMAP_URL": "imaps://u:p@h/", "STEADY_IMAP_POLL": "soon"},
		{"STEADY_BOUNCE_THRESHOLD": "0"},
	} {
		vars["STEADY_DATABASE_URL"] = t.TempDir() + "/steady.db"
		vars["STEADY_ADDR"] = "127.0.0.1:0"
		_, _, err := runCLI(t, vars, "serve")
		if err == nil || exitCode(err) != 2 {
			t.Errorf("serve with %v: %v, want a usage error", vars, err)
		}
	}
}

func startMemIMAP(t *testing.T) string {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser("steady", "s3cret")
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		InsecureAuth: true,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

func appendIMAP(t *testing.T, addr string, raw []byte) {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("steady", "s3cret").Wait(); err != nil {
		t.Fatal(err)
	}
	cmd := c.Append("INBOX", int64(len(raw)), nil)
	if _, err := cmd.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
}
