package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// TestConsoleScreenshot saves the console's overview, over three weeks of
// made-up history, at 1280 px as $STEADY_CONSOLE_SCREENSHOT (relative to
// the repository root): the README's docs/console.png. It skips unless
// that is set.
//
//	STEADY_CONSOLE_SCREENSHOT=docs/console.png go test -count=1 -run TestConsoleScreenshot ./browsertest
func TestConsoleScreenshot(t *testing.T) {
	dest := os.Getenv(EnvConsoleScreenshot)
	if dest == "" {
		t.Skip(EnvConsoleScreenshot + " is not set")
	}
	b := needBrowser(t)
	if !filepath.IsAbs(dest) {
		dest = filepath.Join("..", dest)
	}
	app := StartApp(t, storetest.SQLite(t))
	seedHistory(t, app.DB)
	p := b.NewPage(t, app.URL)
	p.Open("/admin/login")
	p.Fill("#name", AdminName)
	p.Fill("#password", AdminPassword)
	p.Button("Sign in")
	p.Heading("Overview")
	p.SetWidth(1280)
	h := run(p, "measure the page", chromedp.Evaluate[int64](`Math.ceil(document.querySelector("main").getBoundingClientRect().bottom)`))
	p.do("fit the viewport to the page", chromedp.EmulateViewport(1280, h))
	png := run(p, "screenshot the overview", chromedp.CaptureScreenshot())
	if err := os.WriteFile(dest, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("saved the overview as %s", dest)
}

// seedHistory makes 14 subscribers with daily prompts over the 21 days
// before StartTime: most sent, a few failed or unknown, some answered.
func seedHistory(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	start := StartTime.Add(-21 * 24 * time.Hour)
	for i := range 14 {
		res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{Channel: steady.ChannelEmail,
			Address: fmt.Sprintf("person%02d@example.org", i), TimeZone: "Europe/London",
			Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 8}, Consent: steady.Consent{Method: "web", Wording: "Send me prompts"},
			Now: start.Add(-time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if i%5 == 4 {
			continue // stays pending
		}
		slot := start.Add(time.Duration(i) * 24 * time.Hour / 3)
		if _, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "email-link"}, start,
			func(steady.Subscriber) (time.Time, error) { return slot, nil }); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for at := start; at.Before(StartTime); at = at.Add(time.Hour) {
		if _, err := db.ClaimDue(ctx, at, 100, func(sub steady.Subscriber, _ string) (steady.Delivery, time.Time, error) {
			return steady.Delivery{SubscriberID: sub.ID, Kind: steady.KindPrompt, Channel: sub.Channel, Slot: sub.NextSlot,
				PromptID: "p", Theme: "connection", PromptText: "What went well?"}, sub.NextSlot.Add(24 * time.Hour), nil
		}); err != nil {
			t.Fatal(err)
		}
		for {
			c, err := db.ClaimNext(ctx, at, at.Add(time.Minute))
			if err != nil {
				break
			}
			n++
			out := store.Outcome{Status: steady.DeliverySent, Attempts: 1, Now: at}
			switch {
			case c.Kind == steady.KindPrompt && n%11 == 0:
				out.Status, out.Error = steady.DeliveryFailed, "smtp: 452 mailbox full"
			case c.Kind == steady.KindPrompt && n%23 == 0:
				out.Status, out.Error = steady.DeliveryUnknown, "the worker stopped during the send"
			}
			if err := db.FinishDelivery(ctx, c, out); err != nil {
				t.Fatal(err)
			}
			if c.Kind == steady.KindPrompt && out.Status == steady.DeliverySent && n%3 != 0 {
				if _, _, err := db.RecordReply(ctx, steady.Reply{SubscriberID: c.SubscriberID, DeliveryID: c.ID, Channel: c.Channel,
					Body: "a reply", ReceivedAt: at.Add(time.Hour), SourceID: fmt.Sprintf("seed:%d", c.ID)}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}
