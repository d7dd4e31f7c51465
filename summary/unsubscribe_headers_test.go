package summary

import (
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/templates"
)

// Every kind of email Steady sends carries List-Unsubscribe with both an
// https URL and a mailto, the RFC 8058 one-click header, and an
// unsubscribe link in its body.
func TestEveryEmailCarriesUnsubscribe(t *testing.T) {
	t.Parallel()
	clock := steady.NewManualClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	lk, err := links.New("https://steady.example", "Steady <steady@steady.example>", []byte("0123456789abcdef0123"), clock)
	if err != nil {
		t.Fatal(err)
	}
	set, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	composer := &templates.Composer{Set: set, Links: lk}
	svc, err := New(Config{Store: nil, Sender: nil, Links: lk, Clock: clock})
	if err == nil || svc != nil {
		t.Fatal("New accepted a nil store")
	}
	svc = &Service{cfg: Config{Links: lk, Country: "us"}}
	if svc.renderer, err = NewRenderer(); err != nil {
		t.Fatal(err)
	}
	sub := steady.Subscriber{ID: 42, Channel: steady.ChannelEmail, Address: "sam@example.com", TimeZone: "Europe/London",
		Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 8}, Status: steady.StatusActive}
	loc, _ := sub.Location()
	m := MonthOf(time.Date(2026, 11, 15, 12, 0, 0, 0, loc), loc)
	full := Build(m, loc, []Entry{
		{At: time.Date(2026, 11, 3, 12, 0, 0, 0, time.UTC), Theme: "honesty", Text: "he lied about the money"},
		{At: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC), Theme: "honesty", Text: "he lied again"},
	}, nil)
	nudge := Build(m, loc, nil, nil)
	if nudge.Nudge != true || full.Nudge {
		t.Fatalf("nudge %v, full %v", nudge.Nudge, full.Nudge)
	}
	compose := func(kind steady.Kind) func() (steady.Message, error) {
		return func() (steady.Message, error) {
			d := steady.Delivery{ID: 7, SubscriberID: 42, Kind: kind, Channel: steady.ChannelEmail, Slot: clock.Now()}
			if kind == steady.KindPrompt {
				d.PromptID, d.Theme, d.PromptText = "honesty-1", "honesty", "Did they tell you the truth this week?"
			}
			return composer.Compose(d, sub)
		}
	}
	for _, c := range []struct {
		name string
		msg  func() (steady.Message, error)
	}{
		{"confirm", compose(steady.KindConfirm)},
		{"prompt", compose(steady.KindPrompt)},
		{"goodbye", compose(steady.KindGoodbye)},
		{"summary", func() (steady.Message, error) { return svc.Message(sub, 3, full) }},
		{"nudge", func() (steady.Message, error) { return svc.Message(sub, 4, nudge) }},
		{"safety note", func() (steady.Message, error) {
			return SafetyMessage(sub, "", svc.resourcesFor(sub), lk.UnsubscribeURL(sub), lk.UnsubscribeMailto(sub)), nil
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := c.msg()
			if err != nil {
				t.Fatal(err)
			}
			lu := m.Headers["List-Unsubscribe"]
			if !strings.Contains(lu, "<https://steady.example/unsubscribe?t=") || !strings.Contains(lu, "<mailto:steady+u-") {
				t.Errorf("List-Unsubscribe = %q, want an https URL and a mailto", lu)
			}
			if got := m.Headers["List-Unsubscribe-Post"]; got != "List-Unsubscribe=One-Click" {
				t.Errorf("List-Unsubscribe-Post = %q", got)
			}
			if c.name == "goodbye" {
				return // it confirms the unsubscribe; a link to do it again would only confuse
			}
			if !strings.Contains(m.Text, "https://steady.example/unsubscribe?t=") {
				t.Errorf("text body has no unsubscribe link:\n%s", m.Text)
			}
			if m.HTML != "" && !strings.Contains(m.HTML, "https://steady.example/unsubscribe?t=") {
				t.Errorf("HTML body has no unsubscribe link")
			}
		})
	}
}
