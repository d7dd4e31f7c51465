package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/account"
	"github.com/steadyapp/steady/store/storetest"
)

// A subscriber steers everything from the link in their prompt email: they
// sign up typing "london", confirm, get a prompt, open "Your settings" from
// its footer, change the time (typing "london" again), pause for two weeks
// and resume, turn discreet mode on and get a neutral next email, answer it
// with a quick answer and words, find that reply in My reflections and in
// their JSON export, and delete everything. Every page is screenshotted
// and checked with axe-core; the database has no trace of them at the end.
func TestSettingsFlow(t *testing.T) {
	b := needBrowser(t)
	storetest.EachURL(t, func(t *testing.T, url string) {
		t.Parallel()
		app := StartApp(t, storetest.Open(t, url))
		p := b.NewPage(t, app.URL)
		ctx := context.Background()
		const kim = "kim@example.org"

		p.Open("/")
		p.Fill("#email", kim)
		p.Fill("#timezone", "london")
		p.Check(`input[name=cadence][value=daily]`)
		p.Fill("#time", "20:30")
		p.Button("Sign up")
		p.Heading("Check your inbox")
		p.See("every day at 20:30", "Europe/London")
		p.OpenEmail(app, kim, "Please confirm")
		p.FollowEmailLink("/confirm")
		p.Button("Yes, start sending me reflection prompts")
		p.Heading("You're subscribed")
		p.FirstPrompt(app) // Thursday 20:30 in London

		p.OpenEmailHTML(app, kim, "Your reflection for Thursday")
		p.Link("Your settings") // the footer link
		p.Heading("Your settings")
		p.See("Your next prompt: Friday 27 November, 20:30 (Europe/London)")
		p.Checkpoint("settings")
		firstStopLeaves(t, p, "/settings")

		p.Fill("#time", "07:15")
		p.Fill("#timezone", "london")
		p.Button("Save when prompts come")
		p.See("Saved. Your next prompt: Friday 27 November, 07:15 (Europe/London)")
		p.Checkpoint("settings-saved")

		p.Check(`input[name=for][value="2w"]`)
		p.Button("Pause")
		p.See("Paused until Thursday 10 December.", "Prompts are paused until Thursday 10 December.")
		p.Checkpoint("settings-paused")
		p.Button("Resume prompts now")
		p.See("Prompts start again. Your next prompt: Friday 27 November, 07:15 (Europe/London)")
		if strings.Contains(p.Text(), "Prompts are paused") {
			t.Error("the page still says prompts are paused after Resume")
		}

		p.Check(`input[name=discreet]`)
		p.Button("Save these choices")
		p.See("Saved.")
		if !run(p, "read the discreet box", evalBool(`document.querySelector("input[name=discreet]").checked`)) {
			t.Error("the discreet box is not ticked after saving it")
		}

		// Friday 07:15 in London: the next prompt, discreet.
		if n := app.Tick(StartTime.Add(19*time.Hour + 15*time.Minute).Sub(app.Clock.Now())); n != 1 {
			t.Fatalf("at Friday 07:15 the scheduler queued %d prompts, want 1", n)
		}
		p.OpenEmail(app, kim, "Your check-in")
		p.Checkpoint("outbox-discreet")
		checkDiscreetEmail(t, app, kim)

		p.FollowEmailLink("/reply")
		p.Heading("Your reflection")
		p.Checkpoint("reply-quick")
		quick := "yes"
		if run(p, "read the quick answer", evalString(`(document.querySelector("input[name=quick]") || {value: ""}).value`)) == "1" {
			quick = "4"
		}
		p.Check(`input[name=quick][value="` + quick + `"]`)
		p.Fill("#reply", "we talked over breakfast")
		p.Button("Save my answer")
		p.Heading("Thank you")
		p.See("Your answer is saved.")
		p.CheckEmails(app) // the settings notices and the discreet prompt among them

		// The session has lasted since last night's link; the settings
		// link of the newest email opens it again.
		p.OpenEmailHTML(app, kim, "Your check-in")
		p.Link("Your settings")
		p.Link("My reflections")
		p.Heading("My reflections")
		p.See("we talked over breakfast")
		p.Checkpoint("reflections")

		p.Link("Download your data")
		p.Heading("Download your data")
		p.Checkpoint("export")
		checkExport(t, p, kim, quick+"\nwe talked over breakfast")

		p.Link("Back to my reflections")
		p.Link("Delete everything")
		p.Heading("Delete everything")
		p.Checkpoint("delete")
		p.Fill("#confirm", "yes")
		p.Button("Delete everything for good")
		p.Heading("Delete everything")
		p.Checkpoint("delete-refused")
		sub, err := app.DB.SubscriberByAddress(ctx, steady.ChannelEmail, kim)
		if err != nil {
			t.Fatalf("a refused delete: %v", err)
		}
		if sub.TimeZone != "Europe/London" || sub.Schedule.String() != "daily 07:15" || !sub.Discreet || sub.PausedUntil.After(app.Clock.Now()) {
			t.Errorf("before deleting: %s %s, discreet %v, paused until %v; want Europe/London daily 07:15, discreet, not paused",
				sub.TimeZone, sub.Schedule, sub.Discreet, sub.PausedUntil)
		}
		p.Fill("#confirm", "delete")
		p.Button("Delete everything for good")
		p.Heading("Everything is deleted")
		p.Checkpoint("deleted")

		if _, err := app.DB.SubscriberByAddress(ctx, steady.ChannelEmail, kim); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("after deleting everything the subscriber is still found: %v", err)
		}
		if _, err := app.DB.Subscriber(ctx, sub.ID); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("after deleting everything subscriber %d is still there: %v", sub.ID, err)
		}
		if rs, err := app.DB.Replies(ctx, sub.ID); err != nil || len(rs) != 0 {
			t.Errorf("after deleting everything: %d replies (%v), want none", len(rs), err)
		}
	})
}

// preheader is the hidden first div of an email's HTML: the preview line
// an inbox shows under the subject.
var preheader = regexp.MustCompile(`<div style="display:none[^"]*">([^<&]*)`)

// checkDiscreetEmail: the newest email to to is the discreet prompt, its
// subject and preview line neutral.
func checkDiscreetEmail(t *testing.T, app *App, to string) {
	t.Helper()
	list, err := app.DB.Previews(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list {
		if m.To != to || !strings.HasPrefix(m.Subject, "Your check-in") {
			continue
		}
		if m.Subject != "Your check-in" {
			t.Errorf("discreet subject %q, want \"Your check-in\"", m.Subject)
		}
		got := preheader.FindStringSubmatch(m.HTML)
		if got == nil || strings.TrimSpace(got[1]) != "A new check-in is ready" {
			t.Errorf("discreet preview line %q, want \"A new check-in is ready\"", got)
		}
		if first, _, _ := strings.Cut(m.Text, "\n"); first != "A new check-in is ready." {
			t.Errorf("discreet text starts %q, want the neutral line", first)
		}
		for _, word := range []string{"relationship", "partner", "reflection"} {
			if strings.Contains(strings.ToLower(m.Subject+" "+got[1]), word) {
				t.Errorf("the discreet subject or preview line says %q", word)
			}
		}
		return
	}
	t.Fatalf("no discreet email to %s in the outbox", to)
}

// checkExport fetches the JSON download of the open export page, as the
// browser would save it: it must parse and hold the reply.
func checkExport(t *testing.T, p *Page, to, reply string) {
	t.Helper()
	links := p.Links("/settings/export/my-data.json")
	if len(links) != 1 {
		t.Fatalf("the export page has %d JSON links, want 1", len(links))
	}
	got := p.Fetch(links[0])
	if got.Status != 200 || !strings.HasPrefix(got.ContentType, "application/json") {
		t.Fatalf("the JSON download: %d %s", got.Status, got.ContentType)
	}
	var ex account.DataExport
	if err := json.Unmarshal([]byte(got.Body), &ex); err != nil {
		t.Fatalf("the JSON download does not parse: %v", err)
	}
	if ex.Subscriber.Address != to || !ex.Preferences.Discreet {
		t.Errorf("export of %q, discreet %v; want %s, discreet", ex.Subscriber.Address, ex.Preferences.Discreet, to)
	}
	if len(ex.Replies) != 1 || ex.Replies[0].Body != reply {
		t.Errorf("exported replies %+v, want the one reply %q", ex.Replies, reply)
	}
	words := reply[strings.Index(reply, "\n")+1:]
	if page := p.Fetch(strings.Replace(links[0], ".json", ".html", 1)); page.Status != 200 || !strings.Contains(page.Body, words) {
		t.Errorf("the HTML download: %d, want the reply %q in it", page.Status, words)
	}
}
