package main

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// The settings link in a prompt the real program sent over SMTP opens the
// settings page (mounted by serve); a change there moves the next prompt
// and is told in one email; and a repeat sign-up's email is the settings
// link.
func TestSettingsEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := startServe(t, db, time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC))
		ctx := context.Background()
		if resp := post(t, r.baseURL+"/api/subscriptions", "application/json",
			`{"email":"lee@example.org","timezone":"Europe/London","cadence":"daily","time":"20:30"}`); resp.StatusCode != http.StatusAccepted {
			t.Fatalf("subscribe: %d", resp.StatusCode)
		}
		confirmURL := findLink(t, parseMail(t, r.mail.WaitMessages(t, 1, 10*time.Second)[0]).text, r.baseURL+"/confirm")
		if resp := postForm(t, r.baseURL+"/confirm", url.Values{"t": {mustQuery(t, confirmURL, "t")}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("confirm: %d", resp.StatusCode)
		}
		sub, err := db.SubscriberByAddress(ctx, steady.ChannelEmail, "lee@example.org")
		if err != nil {
			t.Fatal(err)
		}
		r.clock.Set(sub.NextSlot)
		if n, err := r.app.scheduler.RunOnce(ctx); n != 1 || err != nil {
			t.Fatalf("tick: %d, %v", n, err)
		}
		prompt := parseMail(t, r.mail.WaitMessages(t, 2, 10*time.Second)[1])
		allSent(t, db, sub.ID) // before the clock moves past its lease
		link := findLink(t, prompt.text, r.baseURL+"/settings")

		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar}
		resp, err := client.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		page := readAll(t, resp)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Request.URL.Query().Get("t") != "" ||
			!strings.Contains(page, "Your next prompt: Friday 27 November, 20:30 (Europe/London)") {
			t.Fatalf("settings page at %s: %d\n%s", resp.Request.URL.Path, resp.StatusCode, page)
		}
		s := regexp.MustCompile(`name="s" value="([a-z2-7]+)"`).FindStringSubmatch(page)
		if s == nil {
			t.Fatalf("no session field:\n%s", page)
		}
		resp, err = client.PostForm(r.baseURL+"/settings", url.Values{"s": {s[1]}, "time": {"07:00"},
			"timezone": {"Europe/London"}, "cadence": {"daily"}})
		if err != nil {
			t.Fatal(err)
		}
		saved := readAll(t, resp)
		resp.Body.Close()
		if !strings.Contains(saved, "Saved. Your next prompt: Friday 27 November, 07:00 (Europe/London)") {
			t.Fatalf("save: %d\n%s", resp.StatusCode, saved)
		}
		if got, _ := db.Subscriber(ctx, sub.ID); !got.NextSlot.Equal(time.Date(2026, 11, 27, 7, 0, 0, 0, time.UTC)) {
			t.Errorf("next slot %v", got.NextSlot)
		}

		// One notice of the change goes out through the outbox a little later.
		r.clock.Advance(3 * time.Minute)
		if _, err := r.app.dispatcher.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		notice := parseMail(t, r.mail.WaitMessages(t, 3, 10*time.Second)[2])
		if !strings.Contains(notice.text, "Your next prompt: Friday 27 November, 07:00") {
			t.Fatalf("the notice:\n%s", notice.text)
		}
		allSent(t, db, sub.ID)

		// A repeat sign-up: the email is the settings link.
		r.clock.Advance(time.Hour)
		if resp := post(t, r.baseURL+"/api/subscriptions", "application/json",
			`{"email":"lee@example.org","timezone":"Europe/London","cadence":"daily","time":"21:00"}`); resp.StatusCode != http.StatusAccepted {
			t.Fatalf("repeat sign-up: %d", resp.StatusCode)
		}
		again := parseMail(t, r.mail.WaitMessages(t, 4, 10*time.Second)[3])
		if !strings.Contains(again.text, "You asked to sign up again; to change your settings use this link") ||
			strings.Contains(again.text, "/confirm?t=") {
			for i, m := range r.mail.Messages() {
				t.Logf("message %d:\n%s", i, parseMail(t, m).text)
			}
			t.Fatalf("the repeat sign-up's email:\n%s", again.text)
		}
		if resp := get(t, findLink(t, again.text, r.baseURL+"/settings")); resp.StatusCode != http.StatusOK {
			t.Errorf("its link: %d", resp.StatusCode)
		}
		if logs := r.logs.String(); strings.Contains(logs, "lee@example.org") || strings.Contains(logs, s[1]) {
			t.Errorf("the log holds an address or a session:\n%s", logs)
		}
	})
}

// allSent waits until every delivery of the subscriber is recorded as
// sent: the sender records the outcome just after the SMTP server's
// answer, and moving the clock past a lease first would resend.
func allSent(t *testing.T, db *store.DB, id int64) {
	t.Helper()
	eventually(t, "every delivery is recorded as sent", func() bool {
		ds, err := db.Deliveries(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if d.Status != steady.DeliverySent {
				return false
			}
		}
		return true
	})
}
