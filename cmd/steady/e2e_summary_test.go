package main

import (
	"context"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// TestEndToEndMonthlySummary runs the real server: a month of replies, the
// summary service's tick on 1 December in London, the email through a real
// SMTP server with the chart inline, and its web page behind the signed link.
func TestEndToEndMonthlySummary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		r := startServe(t, db, time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC))
		ctx := context.Background()
		start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{Channel: steady.ChannelEmail, Address: "pat@example.org",
			TimeZone: "Europe/London", Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 8},
			Consent: steady.Consent{Method: "web", IP: "192.0.2.1", Wording: "w"}, Now: start})
		if err != nil {
			t.Fatal(err)
		}
		sub, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "email-link"}, start,
			func(steady.Subscriber) (time.Time, error) { return start.Add(365 * 24 * time.Hour), nil })
		if err != nil {
			t.Fatal(err)
		}
		for i, text := range []string{"he lied about the bills", "he cancelled on me again", "he lied again, and he cancelled our plans", "he was there for me"} {
			if _, _, err := db.RecordReply(ctx, steady.Reply{SubscriberID: sub.ID, Channel: steady.ChannelWeb, Body: text,
				ReceivedAt: start.Add(time.Duration(2+7*i) * 24 * time.Hour), SourceID: text}); err != nil {
				t.Fatal(err)
			}
		}
		// Send the confirmation the sign-up queued, so only the summary is left.
		if _, err := r.app.dispatcher.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		due := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
		r.clock.Set(due)
		for range 2 { // a second tick sends nothing more
			if err := r.app.summaries.RunOnce(ctx, due); err != nil {
				t.Fatal(err)
			}
		}
		// The confirmation email (queued by the sign-up) and the summary.
		msgs := r.mail.WaitMessages(t, 2, 10*time.Second)
		var summaries []parsedMail
		var raw string
		for _, msg := range msgs {
			if m := parseMail(t, msg); m.subject == "Your Steady summary for November 2026" {
				summaries = append(summaries, m)
				raw = string(msg.Data)
			}
		}
		if len(summaries) != 1 {
			t.Fatalf("%d summaries among %d emails, want 1", len(summaries), len(msgs))
		}
		m := summaries[0]
		if !strings.Contains(raw, "Content-Id: <chart@steady>") || !strings.Contains(raw, "multipart/related") {
			t.Error("no inline chart in the email")
		}
		if !strings.Contains(m.text, "Honesty: twice") || !strings.Contains(m.text, "Keeping their word: twice") {
			t.Errorf("text part:\n%s", m.text)
		}
		page := findLink(t, m.text, r.baseURL+"/summary")
		resp := get(t, page)
		body := readAll(t, resp)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "he lied about the bills") || !strings.Contains(body, "Honesty: twice") {
			t.Fatalf("summary page: %d\n%s", resp.StatusCode, body)
		}
		resp = get(t, strings.Replace(page, "/summary?", "/summary/chart.png?", 1))
		defer resp.Body.Close()
		if _, err := png.Decode(resp.Body); err != nil || resp.StatusCode != http.StatusOK {
			t.Errorf("chart: %d %v", resp.StatusCode, err)
		}
		if logs := r.logs.String(); strings.Contains(logs, "pat@") || strings.Contains(logs, "lied") {
			t.Errorf("the log contains an address or a reply:\n%s", logs)
		}
	})
}
