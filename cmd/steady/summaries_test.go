package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
)

func TestSummariesSend(t *testing.T) {
	t.Parallel()
	dbPath := filepath.Join(t.TempDir(), "steady.db")
	ctx := context.Background()
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	for _, addr := range []string{"a@example.org", "b@example.org"} {
		res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{Channel: steady.ChannelEmail, Address: addr,
			TimeZone: "Europe/London", Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 8},
			Consent: steady.Consent{Method: "web", IP: "192.0.2.1", Wording: "w"}, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "email-link"}, now,
			func(steady.Subscriber) (time.Time, error) { return now.Add(time.Hour), nil }); err != nil {
			t.Fatal(err)
		}
		if addr == "a@example.org" {
			for i, text := range []string{"he lied to me", "he lied again"} {
				if _, _, err := db.RecordReply(ctx, steady.Reply{SubscriberID: res.Subscriber.ID, Channel: steady.ChannelWeb,
					Body: text, ReceivedAt: time.Date(2026, 11, 3+10*i, 12, 0, 0, 0, time.UTC), SourceID: text}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	db.Close()
	vars := map[string]string{"STEADY_DATABASE_URL": dbPath, "STEADY_SECRET": "7f3a9c1e5b8d2f4a6c0e9b1d3f5a7c8e2b4d6f8a0c1e3b5d7f9a2c4e6b8d0f1a"}

	// On 26 November (runCLI's clock) November may be previewed but not
	// sent: a real send would record a summary of half a month and block
	// the proper one.
	out, stderr, err := runCLI(t, vars, "summaries", "send", "--month", "2026-11", "--dry-run")
	if err != nil || !strings.Contains(out, "subscriber 1 (email): dry run: not sent: 2026-11, 2 replies, 1 recurring") ||
		!strings.Contains(out, "0 sent, 0 already sent, 2 dry run, 0 failed") {
		t.Fatalf("dry run: %v\n%s", err, out)
	}
	// N of M on stderr (not a terminal: plain lines), apart from the
	// subscribers' lines.
	if !strings.Contains(stderr, "summaries 2026-11 1 of 2\n") || !strings.Contains(stderr, "summaries 2026-11 2 of 2\n") ||
		strings.Contains(out, " of 2") {
		t.Errorf("progress: stderr %q, stdout %q", stderr, out)
	}
	for _, m := range []string{"2026-11", "2027-01"} {
		out, stderr, err := runCLI(t, vars, "summaries", "send", "--month", m)
		if exitCode(err) != 2 || !strings.Contains(err.Error(), m+" has not ended yet") || strings.Contains(out, "sent") {
			t.Fatalf("send --month %s before it ended: %v (exit %d)\n%s%s", m, err, exitCode(err), out, stderr)
		}
	}
	// At 10:00 UTC on 30 November the month is over at UTC+14 but not in
	// London: the send is allowed, and London's subscribers wait.
	early := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	out, _, err = runCLIAt(t, early, vars, "summaries", "send", "--month", "2026-11")
	if err != nil || !strings.Contains(out, "subscriber 1 (email): skipped: the month has not ended yet in their time zone") ||
		!strings.Contains(out, "0 sent, 0 already sent, 0 dry run, 0 failed, 0 failed earlier, 2 skipped") {
		t.Fatalf("send before London's month ended: %v\n%s", err, out)
	}
	// A month before anyone subscribed says so.
	out, _, err = runCLI(t, vars, "summaries", "send", "--month", "1999-01")
	if err != nil || !strings.Contains(out, "subscriber 1 (email): skipped: the month ended before they subscribed: 1999-01") ||
		strings.Contains(out, "joined during the month") || !strings.Contains(out, "2 skipped") {
		t.Fatalf("send --month 1999-01: %v\n%s", err, out)
	}

	december := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	out, _, err = runCLIAt(t, december, vars, "summaries", "send", "--month", "2026-11")
	if err != nil || !strings.Contains(out, "2 sent, 0 already sent") {
		t.Fatalf("send: %v\n%s", err, out)
	}
	out, _, err = runCLIAt(t, december, vars, "summaries", "send", "--month", "2026-11")
	if err != nil || !strings.Contains(out, "0 sent, 2 already sent") || !strings.Contains(out, "already sent (status sent)") {
		t.Fatalf("resend: %v\n%s", err, out)
	}
	// The subscriber's data export holds the summary too.
	out, _, err = runCLI(t, vars, "subscribers", "export", "a@example.org")
	if err != nil || !strings.Contains(out, `"summaries": [`) || !strings.Contains(out, `"month": "2026-11"`) ||
		!strings.Contains(out, "he lied again") {
		t.Errorf("export: %v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"summaries", "send"},
		{"summaries", "send", "--month", "November"},
		{"summaries"},
		{"summaries", "send", "--month", "2026-11", "--support-country", "xx"},
	} {
		if _, _, err := runCLI(t, vars, args...); err == nil || exitCode(err) != 2 {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
}

// The demo runs on a fresh machine in seconds and leaves only its HTML file.
func TestDemo(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	out, _, err := runCLI(t, nil, "demo")
	if err != nil {
		t.Fatal(err)
	}
	// The test clock is 26 November 2026, so the demo summarises October.
	for _, want := range []string{"Your Steady summary for October 2026", "Red flags that came back", "First, your safety",
		"HTML summary (with its chart): " + filepath.Join(tmp, "steady-demo-summary-2026-10.html")} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "steady-demo-summary-2026-10.html" {
		t.Errorf("demo left %v behind", entries)
	}
	html, err := os.ReadFile(filepath.Join(tmp, "steady-demo-summary-2026-10.html"))
	if err != nil || !strings.Contains(string(html), "data:image/png;base64,") {
		t.Errorf("HTML has no inline chart (%v)", err)
	}
}
