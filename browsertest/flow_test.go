package browsertest

import (
	"context"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store/storetest"
)

// A person signs up on the form, confirms from the email in the outbox,
// gets a prompt when its time comes, answers it from the email's link,
// sees the thank-you page, and unsubscribes from the same email. Every
// page and email is screenshotted at 390 and 1280 px and checked with
// axe-core; the database says the same at the end.
func TestSignUpAnswerUnsubscribe(t *testing.T) {
	b := needBrowser(t)
	storetest.EachURL(t, func(t *testing.T, url string) {
		t.Parallel()
		app := StartApp(t, storetest.Open(t, url))
		p := b.NewPage(t, app.URL)
		const kim = "kim@example.org"

		p.Open("/")
		p.Heading("A gentle question, now and then")
		p.Checkpoint("subscribe")
		p.Fill("#email", kim)
		p.Fill("#timezone", "Europe/London")
		p.Check(`input[name=cadence][value=daily]`)
		p.Fill("#time", "20:30")
		p.Button("Sign up")
		p.Heading("Check your inbox")
		p.See("every day at 20:30", "Europe/London")
		p.Checkpoint("pending")

		p.OpenEmail(app, kim, "Please confirm")
		p.Checkpoint("outbox-confirm")
		p.FollowEmailLink("/confirm")
		p.Heading("Confirm your sign-up")
		p.Checkpoint("confirm")
		p.Button("Yes, start sending me reflection prompts")
		p.Heading("You're subscribed")
		p.See("Europe/London time")
		p.Checkpoint("confirmed")

		// 20:30 in London is 20:30 UTC in November: nothing is due at
		// 20:00, one prompt at 20:30.
		if n := app.Tick(8 * time.Hour); n != 0 {
			t.Fatalf("at 20:00 UTC the scheduler queued %d prompts, want 0", n)
		}
		if n := app.Tick(30 * time.Minute); n != 1 {
			t.Fatalf("at 20:30 UTC the scheduler queued %d prompts, want 1", n)
		}
		p.OpenEmail(app, kim, "Your reflection for Thursday")
		p.Open("/outbox")
		p.Checkpoint("outbox")
		p.OpenEmail(app, kim, "Your reflection for Thursday")
		p.Checkpoint("outbox-prompt")
		p.FollowEmailLink("/reply")
		p.Heading("Your reflection")
		p.Checkpoint("reply")
		p.Fill("#reply", "YES we talked over dinner")
		p.Button("Save my answer")
		p.Heading("Thank you")
		p.See("Your answer is saved.")
		p.Checkpoint("replied")

		p.OpenEmail(app, kim, "Your reflection for Thursday")
		p.FollowEmailLink("/unsubscribe")
		p.Heading("Stop the prompts?")
		p.Checkpoint("unsubscribe")
		p.Button("Stop all prompts")
		p.Heading("You're unsubscribed")
		p.Checkpoint("unsubscribed")
		p.CheckEmails(app) // the confirmation and the prompt

		ctx := context.Background()
		sub, err := app.DB.SubscriberByAddress(ctx, steady.ChannelEmail, kim)
		if err != nil {
			t.Fatal(err)
		}
		if sub.Status != steady.StatusUnsubscribed || sub.ConfirmedAt.IsZero() {
			t.Errorf("subscriber: status %s, confirmed at %v; want unsubscribed after a confirmation", sub.Status, sub.ConfirmedAt)
		}
		replies, err := app.DB.Replies(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(replies) != 1 || replies[0].Body != "YES we talked over dinner" || replies[0].DeliveryID == 0 {
			t.Errorf("replies: %+v; want the one answer, to its prompt", replies)
		}
	})
}
