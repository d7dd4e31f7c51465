package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

const testPostmarkPassword = "postmark-inbound-2d9f1c"

// activePrompted signs address up, confirms it and runs the scheduler once,
// so its first prompt goes out.
func activePrompted(t *testing.T, r *running, address string) steady.Subscriber {
	t.Helper()
	ctx := context.Background()
	now := r.clock.Now()
	res, err := r.db.RequestSubscription(ctx, store.SubscriptionRequest{
		Channel: steady.ChannelEmail, Address: address, TimeZone: "Europe/London",
		Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 9},
		Consent:  steady.Consent{Method: "web", IP: "192.0.2.1", Wording: "Send me prompts"}, Now: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := r.db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "email-link"}, now,
		func(steady.Subscriber) (time.Time, error) { return now, nil })
	if err != nil {
		t.Fatal(err)
	}
	if n, err := r.app.scheduler.RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("scheduler: %d, %v", n, err)
	}
	return sub
}

// TestPostmarkWebhookEndToEnd runs `steady serve` with SMTP and only a
// Postmark inbound password: prompts then invite emailed replies, and a
// reply posted by Postmark to /inbound/postmark is stored under its prompt.
// Mailgun and SendGrid have no secret, so their routes are not there.
func TestPostmarkWebhookEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := steady.NewManualClock(time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC))
		smtp := smtptest.Start(t)
		r := startApp(t, db, clock, map[string]string{
			"STEADY_SMTP_URL": smtp.URL(), "STEADY_FROM": "Steady <steady@example.org>",
			"STEADY_POSTMARK_INBOUND_PASSWORD": testPostmarkPassword,
		})
		sub := activePrompted(t, r, "jo@example.net")
		prompt := parseMail(t, smtp.WaitMessages(t, 2, 10*time.Second)[1])
		replyTo, err := mail.ParseAddress(prompt.header.Get("Reply-To"))
		if err != nil {
			t.Fatalf("with a webhook configured the prompt has no Reply-To: %v", err)
		}
		if strings.Contains(prompt.text, "replies to this email are not read") {
			t.Errorf("the prompt says replies are not read:\n%s", prompt.text)
		}

		answer := "We talked it through on the walk home."
		raw := "From: Jo <jo@example.net>\r\nTo: " + replyTo.Address + "\r\nSubject: Re: " + prompt.subject +
			"\r\nMessage-ID: <B2C3@mail.example.net>\r\nIn-Reply-To: " + prompt.header.Get("Message-ID") +
			"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + answer + "\r\n"
		payload, _ := json.Marshal(map[string]any{
			"From": "jo@example.net", "FromFull": map[string]string{"Email": "jo@example.net", "Name": "Jo"},
			"OriginalRecipient": replyTo.Address, "Subject": "Re: " + prompt.subject, "MessageID": "5c7e1f0a-0000-4000-8000-000000000001",
			"TextBody": answer, "RawEmail": raw,
		})
		post := func(path, user, password string) (int, string) {
			req, _ := http.NewRequest(http.MethodPost, r.listenURL+path, bytes.NewReader(payload))
			req.Header.Set("Content-Type", "application/json")
			if password != "" {
				req.SetBasicAuth(user, password)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			return res.StatusCode, strings.TrimSpace(string(body))
		}
		if status, body := post("/inbound/postmark", "postmark", "wrong-password-123"); status != http.StatusUnauthorized {
			t.Errorf("wrong password: %d %q", status, body)
		}
		if status, body := post("/inbound/postmark", "postmark", testPostmarkPassword); status != http.StatusOK || body != "stored" {
			t.Fatalf("postmark: %d %q, want 200 stored", status, body)
		}
		for _, path := range []string{"/inbound/mailgun", "/inbound/sendgrid"} {
			if status, _ := post(path, "x", testPostmarkPassword); status != http.StatusNotFound {
				t.Errorf("%s without its secret: %d, want 404", path, status)
			}
		}
		rs, err := db.Replies(context.Background(), sub.ID)
		if err != nil || len(rs) != 1 || rs[0].Body != answer {
			t.Fatalf("replies %+v, %v; want one, %q", rs, err, answer)
		}
		for _, secret := range []string{"jo@example.net", "walk home", testPostmarkPassword} {
			if strings.Contains(r.logs.String(), secret) {
				t.Errorf("the log contains %q", secret)
			}
		}
	})
}

// In preview mode a prompt in the outbox invites an emailed reply and
// offers the reply box, which files through the app's processor.
func TestPreviewOutboxReplyBoxEndToEnd(t *testing.T) {
	db := storetest.SQLite(t)
	clock := steady.NewManualClock(time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC))
	r := startApp(t, db, clock, nil)
	sub := activePrompted(t, r, "jo@example.net")
	ctx := context.Background()
	var id int64
	eventually(t, "the prompt reaches the outbox", func() bool {
		list, err := db.Previews(ctx, 10)
		for _, m := range list {
			if m.ReplyTo != "" {
				id = m.ID
			}
		}
		return err == nil && id != 0
	})
	path := r.listenURL + "/outbox/" + strconv.FormatInt(id, 10)
	res, err := http.PostForm(path+"/reply", url.Values{"text": {"It was a good week."}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "Stored as a reply.") {
		t.Fatalf("reply box: %d\n%s", res.StatusCode, body)
	}
	rs, err := db.Replies(ctx, sub.ID)
	if err != nil || len(rs) != 1 || rs[0].Body != "It was a good week." {
		t.Fatalf("replies %+v, %v", rs, err)
	}
}

func TestMailhookSettingsAreChecked(t *testing.T) {
	t.Parallel()
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, vars := range []map[string]string{
		{"STEADY_POSTMARK_INBOUND_PASSWORD": "short"},
		{"STEADY_SENDGRID_INBOUND_PASSWORD": "short"},
		{"STEADY_POSTMARK_INBOUND_USER": "postmark"},
		{"STEADY_SENDGRID_INBOUND_USER": "a:b", "STEADY_SENDGRID_INBOUND_PASSWORD": "long-enough-password"},
		{"STEADY_MAILGUN_SIGNING_KEY": "key-short"},
		{"STEADY_MAILGUN_SIGNING_KEY": "key 3ax6xnjp29jd6fds4gc373sgvjxteol0"},
		{"STEADY_MAILGUN_SIGNING_KEY": "key-3ax6xnjp29jd6fds4gc373sgvjxteol0", "STEADY_MAILGUN_SIGNING_KEY_FILE": empty},
		{"STEADY_MAILGUN_SIGNING_KEY_FILE": empty},
		{"STEADY_MAILGUN_SIGNING_KEY_FILE": filepath.Join(t.TempDir(), "missing")},
	} {
		vars["STEADY_DATABASE_URL"] = t.TempDir() + "/steady.db"
		vars["STEADY_ADDR"] = "127.0.0.1:0"
		_, stderr, err := runCLI(t, vars, "serve")
		if err == nil || exitCode(err) != 2 {
			t.Errorf("serve with %v: %v, want a usage error", vars, err)
		}
		for k, v := range vars {
			if strings.HasSuffix(k, "_PASSWORD") || strings.HasSuffix(k, "_KEY") {
				if strings.Contains(stderr, v) {
					t.Errorf("the error repeats %s: %s", k, stderr)
				}
			}
		}
	}
}

// The signing key may come from a file (a mounted secret).
func TestMailgunKeyFromAFile(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "mailgun-key")
	if err := os.WriteFile(file, []byte("key-3ax6xnjp29jd6fds4gc373sgvjxteol0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var s mailhookSettings
	if err := s.finish(func(k string) string {
		return map[string]string{"STEADY_MAILGUN_SIGNING_KEY_FILE": file}[k]
	}); err != nil {
		t.Fatal(err)
	}
	if s.mailgunKey != "key-3ax6xnjp29jd6fds4gc373sgvjxteol0" || !s.any() {
		t.Errorf("key %q from the file", s.mailgunKey)
	}
}
