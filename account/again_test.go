package account_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// A repeat sign-up for an address already subscribed gets the same web
// answer as anyone, and the one message queued for it (within the resend
// window, as any confirmation) is the settings link, which opens the
// settings page; the schedule is unchanged until the person changes it.
func TestRepeatSignUpSendsSettingsLink(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db)
		sub := b.active("sam@example.com")
		signUp := func(addr string) response {
			req, _ := http.NewRequest(http.MethodPost, b.url+"/api/subscriptions",
				strings.NewReader(`{"email":"`+addr+`","timezone":"America/New_York","cadence":"daily","time":"07:15"}`))
			req.Header.Set("Content-Type", "application/json")
			return b.do(req)
		}
		b.clock.Advance(time.Hour)
		known, unknown := signUp("sam@example.com"), signUp("new@example.com")
		if known.status != unknown.status || known.body != unknown.body {
			t.Errorf("the answers differ: %d %q and %d %q", known.status, known.body, unknown.status, unknown.body)
		}
		signUp("sam@example.com") // within the resend window: nothing more
		var confirms []steady.Delivery
		for _, d := range b.allDeliveries(sub.ID) {
			if d.Kind == steady.KindConfirm {
				confirms = append(confirms, d)
			}
		}
		// The first is the original sign-up's confirmation.
		if len(confirms) != 2 {
			t.Fatalf("%d confirmation deliveries, want the sign-up's and one for the repeat", len(confirms))
		}
		msg, err := b.compose.Compose(confirms[1], b.subscriber(sub.ID))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(msg.Text, "You asked to sign up again; to change your settings use this link") ||
			strings.Contains(msg.Text, "/confirm?t=") {
			t.Fatalf("the repeat sign-up's message:\n%s", msg.Text)
		}
		page := b.get(settingsLink(t, msg.Text))
		if page.status != http.StatusOK || !strings.Contains(page.body, "Your next prompt: Thursday 26 November, 20:30 (Europe/London)") {
			t.Errorf("the settings page from the message: %d\n%s", page.status, page.body)
		}
		if got := b.subscriber(sub.ID); got.TimeZone != "Europe/London" || got.Schedule.String() != sub.Schedule.String() {
			t.Errorf("the repeat sign-up changed the schedule: %s %s", got.TimeZone, got.Schedule)
		}
	})
}
