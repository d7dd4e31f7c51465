package browsertest

import (
	"strconv"
	"strings"
	"testing"

	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// EnvConsoleScreenshot, when set, is where TestConsoleScreenshot saves the
// overview at 1280 px (relative to the repository root), e.g.
// STEADY_CONSOLE_SCREENSHOT=docs/console.png: the README's screenshot.
const EnvConsoleScreenshot = "STEADY_CONSOLE_SCREENSHOT"

// TestConsoleFlow: an operator signs in, reads the overview, finds a
// subscriber by address, opens them and pauses them.
func TestConsoleFlow(t *testing.T) {
	b := needBrowser(t)
	storetest.EachURL(t, func(t *testing.T, url string) {
		t.Parallel()
		app := StartApp(t, storetest.Open(t, url))
		p := b.NewPage(t, app.URL)
		p.SignUpAndConfirm(app, "kim@example.org")
		p.FirstPrompt(app)
		p.SignUp("lee@example.net") // pending

		p.Open("/admin")
		p.Heading("Sign in to the console")
		p.Checkpoint("console-login")
		p.Fill("#name", AdminName)
		p.Fill("#password", "not the password")
		p.Button("Sign in")
		p.See("That name and password do not match.")
		p.Fill("#password", AdminPassword)
		p.Button("Sign in")
		p.Heading("Overview")
		p.See("Prompts per day", "sent 1", "subscribers")
		if strings.Contains(p.Text(), "kim@example.org") {
			t.Error("the overview names a subscriber")
		}
		p.Checkpoint("console-overview")
		p.Link("Subscribers")
		p.Heading("Subscribers")
		p.Fill("#q", "kim@")
		p.Button("Search")
		p.See("kim@example.org")
		if strings.Contains(p.Text(), "lee@example.net") {
			t.Error("the search for kim@ found lee")
		}
		p.Checkpoint("console-search")
		p.Link("kim@example.org")
		subs, err := app.DB.SearchSubscribers(t.Context(), store.SubscriberFilter{Address: "kim@"})
		if err != nil || len(subs) != 1 {
			t.Fatalf("kim: %v %v", subs, err)
		}
		p.Heading("Subscriber " + strconv.FormatInt(subs[0].ID, 10))
		p.See("active", "Europe/London", "Their replies are theirs")
		p.Checkpoint("console-subscriber")
		p.Button("Pause")
		p.See("Paused: no prompts until the date shown.", "paused until")
		p.Checkpoint("console-paused")
		sub, err := app.DB.Subscriber(t.Context(), subs[0].ID)
		if err != nil || !sub.PausedUntil.After(app.Clock.Now()) {
			t.Errorf("kim is not paused: %v %v", sub.PausedUntil, err)
		}

		p.Link("Audit log")
		p.See("login failed", "pause", "subscriber "+strconv.FormatInt(sub.ID, 10))
		p.Checkpoint("console-audit")
		for _, page := range []struct{ link, heading string }{
			{"Needs attention", "Deliveries needing attention"}, {"Held mail", "Held mail"}, {"Configuration", "Configuration in effect"},
			{"Import", "Import subscribers"}} {
			p.Link(page.link)
			p.Heading(page.heading)
			p.Checkpoint("console-" + strings.ToLower(strings.Fields(page.link)[0]))
		}
		p.Button("Sign out")
		p.Heading("Sign in to the console")
		p.Open("/admin/subscribers")
		p.Heading("Sign in to the console")
	})
}
