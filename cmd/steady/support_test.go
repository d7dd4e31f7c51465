package main

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// A reply that speaks of self-harm or danger shows the subscriber's own
// country's support resources on the thank-you page at once; an ordinary
// reply shows none.
func TestReplyPageShowsSupportAtOnce(t *testing.T) {
	db := storetest.SQLite(t)
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	r := startServe(t, db, now)
	ctx := context.Background()
	res, err := db.RequestSubscription(ctx, store.SubscriptionRequest{
		Channel: steady.ChannelEmail, Address: "kit@example.org", TimeZone: "Europe/London",
		Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 13},
		Consent:  steady.Consent{Method: "web", Wording: "Send me prompts"}, Now: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "web"}, now,
		func(s steady.Subscriber) (time.Time, error) { return now.Add(time.Hour), nil })
	if err != nil {
		t.Fatal(err)
	}
	r.clock.Set(sub.NextSlot.Add(time.Minute))
	if n, err := r.app.scheduler.RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("tick: %d, %v", n, err)
	}
	// The confirmation and the prompt.
	prompt := parseMail(t, r.mail.WaitMessages(t, 2, 10*time.Second)[1])
	replyURL := findLink(t, prompt.text, r.baseURL+"/reply")

	answer := func(text string) string {
		page := readAll(t, get(t, replyURL))
		nonce := regexp.MustCompile(`name="nonce" value="([^"]+)"`).FindStringSubmatch(page)
		if nonce == nil {
			t.Fatalf("no nonce on the reply page")
		}
		resp := postForm(t, r.baseURL+"/reply", url.Values{"t": {mustQuery(t, replyURL, "t")}, "nonce": {nonce[1]}, "reply": {text}})
		return readAll(t, resp)
	}
	if page := answer("YES, we had a good week."); strings.Contains(page, "Samaritans") {
		t.Errorf("an ordinary reply showed support resources")
	}
	page := answer("honestly I don't want to be here anymore")
	for _, want := range []string{"Samaritans", "116 123", "0808 2000 247", "Nobody else has been told"} {
		if !strings.Contains(page, want) {
			t.Errorf("the thank-you page lacks %q", want)
		}
	}
	if strings.Contains(page, "911") {
		t.Errorf("a London subscriber was shown US numbers")
	}
}
