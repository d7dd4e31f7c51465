package browsertest

import "time"

// SignUp fills the sign-up form for email (daily at 20:30, Europe/London)
// and sends it, ending on the "Check your inbox" page.
func (p *Page) SignUp(email string) {
	p.t.Helper()
	p.Open("/")
	p.Fill("#email", email)
	p.Fill("#timezone", "Europe/London")
	p.Check(`input[name=cadence][value=daily]`)
	p.Fill("#time", "20:30")
	p.Button("Sign up")
	p.Heading("Check your inbox")
}

// SignUpAndConfirm signs email up and confirms from the emailed link,
// ending on the "You're subscribed" page: a subscriber for a flow that
// starts later. No checkpoints: the sign-up flow's own test has them.
func (p *Page) SignUpAndConfirm(a *App, email string) {
	p.t.Helper()
	p.SignUp(email)
	p.OpenEmail(a, email, "Please confirm")
	p.FollowEmailLink("/confirm")
	p.Button("Yes, start sending me reflection prompts")
	p.Heading("You're subscribed")
}

// FirstPrompt moves the clock to the first prompt of a subscriber of
// SignUp (20:30 UTC on the first day) and delivers it; it fails the test
// unless exactly one prompt was queued.
func (p *Page) FirstPrompt(a *App) {
	p.t.Helper()
	if n := a.Tick(StartTime.Add(8*time.Hour + 30*time.Minute).Sub(a.Clock.Now())); n != 1 {
		p.t.Fatalf("browsertest: the scheduler queued %d prompts, want 1", n)
	}
}
