package browsertest

import (
	"context"
	"errors"
	"testing"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store/storetest"
)

// Bad input gets a clear, accessible error and loses nothing: a sign-up
// with a mistyped address and an unknown time zone comes back with both
// named and what was typed kept, and nobody is signed up; a blank answer
// on the reply page is refused with a message and nothing is stored.
func TestFormErrors(t *testing.T) {
	b := needBrowser(t)
	storetest.EachURL(t, func(t *testing.T, url string) {
		t.Parallel()
		app := StartApp(t, storetest.Open(t, url))
		p := b.NewPage(t, app.URL)
		ctx := context.Background()

		p.Open("/")
		p.Fill("#email", "kim at example.org")
		p.Fill("#timezone", "Mars/Olympus")
		p.Fill("#time", "20:30")
		p.Button("Sign up")
		p.See("Some of the answers below need another look.")
		p.Checkpoint("subscribe-errors")
		if v := run(p, "read the email box", evalString(`document.querySelector("#email").value`)); v != "kim at example.org" {
			t.Errorf("the email box holds %q after the error, want what was typed", v)
		}
		for _, sel := range []string{"#email", "#timezone"} {
			if !run(p, "read "+sel, evalBool(`document.querySelector(`+jsString(sel)+`).getAttribute("aria-invalid") === "true"`)) {
				t.Errorf("%s is not marked aria-invalid after the error", sel)
			}
		}
		if subs, err := app.DB.ListSubscribers(ctx); err != nil || len(subs) != 0 {
			t.Fatalf("after a refused sign-up: %d subscribers, %v; want none", len(subs), err)
		}

		const kim = "kim@example.org"
		p.SignUpAndConfirm(app, kim)
		p.FirstPrompt(app)
		p.OpenEmail(app, kim, "Your reflection")
		p.FollowEmailLink("/reply")
		p.Fill("#reply", "   ") // the box is required, so the browser sends only what is not empty to it
		p.Button("Save my answer")
		p.Heading("Your reflection")
		p.See("Your reply is empty.")
		p.Checkpoint("reply-empty")
		sub, err := app.DB.SubscriberByAddress(ctx, steady.ChannelEmail, kim)
		if err != nil {
			t.Fatal(err)
		}
		if replies, err := app.DB.Replies(ctx, sub.ID); err != nil || len(replies) != 0 {
			t.Errorf("after a blank answer: %d replies, %v; want none", len(replies), err)
		}
		if _, err := app.DB.SubscriberByAddress(ctx, steady.ChannelEmail, "kim at example.org"); !errors.Is(err, steady.ErrNotFound) {
			t.Errorf("the mistyped address: %v, want not found", err)
		}
	})
}
