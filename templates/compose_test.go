package templates

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	steady "github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/themes"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// fakeLinks returns fixed strings.
type fakeLinks struct{}

func (fakeLinks) ConfirmURL(steady.Subscriber) string {
	return "https://steady.example/confirm?t=CONFIRMTOKEN"
}
func (fakeLinks) UnsubscribeURL(steady.Subscriber) string {
	return "https://steady.example/unsubscribe?t=UNSUBTOKEN"
}
func (fakeLinks) SettingsURL(steady.Subscriber) string {
	return "https://steady.example/settings?t=SETTINGSTOKEN"
}
func (fakeLinks) MoveURL(steady.Subscriber, time.Time) string {
	return "https://steady.example/settings/move?t=MOVETOKEN"
}
func (fakeLinks) UnsubscribeMailto(steady.Subscriber) string {
	return "mailto:unsubscribe+UNSUBTOKEN@steady.example?subject=unsubscribe"
}
func (fakeLinks) ReplyURL(steady.Delivery) string { return "https://steady.example/reply?t=REPLYTOKEN" }
func (fakeLinks) ReplyAddress(steady.Delivery) string {
	return "reply+REPLYTOKEN@steady.example"
}
func (fakeLinks) MessageID(steady.Delivery) string { return "delivery-7.REPLYTOKEN@steady.example" }
func (fakeLinks) BounceAddress(steady.Delivery) string {
	return "steady+b-BOUNCETOKEN@steady.example"
}

var _ Links = fakeLinks{}

// subscriberFor is testSubscriber as a delivery of kind finds it: a
// confirmation is for a sign-up not yet confirmed.
func subscriberFor(kind steady.Kind, ch steady.Channel) steady.Subscriber {
	sub := testSubscriber(ch)
	if kind == steady.KindConfirm {
		sub.Status = steady.StatusPending
	}
	return sub
}

func testSubscriber(ch steady.Channel) steady.Subscriber {
	addr := "sam@example.com"
	if ch == steady.ChannelSMS {
		addr = "+447700900123"
	}
	return steady.Subscriber{
		ID:       42,
		Channel:  ch,
		Address:  addr,
		TimeZone: "Europe/London",
		Schedule: steady.Schedule{Cadence: steady.CadenceWeekly, Days: []time.Weekday{time.Monday, time.Thursday}, Hour: 20, Minute: 30},
		Status:   steady.StatusActive,
	}
}

func testDelivery(kind steady.Kind, ch steady.Channel) steady.Delivery {
	d := steady.Delivery{
		ID:           7,
		SubscriberID: 42,
		Kind:         kind,
		Channel:      ch,
		Slot:         time.Date(2026, 11, 26, 20, 30, 0, 0, time.UTC), // a Thursday
	}
	if kind == steady.KindPrompt {
		d.PromptID = "has_your_back-3"
		d.Theme = themes.HasYourBack
		d.PromptText = "If family or friends were cool toward you, did your partner stay by your side? How did it feel?"
	}
	return d
}

func setup(t *testing.T) *Composer {
	t.Helper()
	set, err := Load("")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return &Composer{Set: set, Links: fakeLinks{}, ProgramName: "Steady", EmailReplies: true}
}

// dump shows a message the way a reader of the golden file needs it.
func dump(m steady.Message) string {
	var b strings.Builder
	fmt.Fprintf(&b, "DeliveryID: %d\nChannel: %s\nTo: %s\n", m.DeliveryID, m.Channel, m.To)
	if m.Subject != "" {
		fmt.Fprintf(&b, "Subject: %s\n", m.Subject)
	}
	if m.MessageID != "" {
		fmt.Fprintf(&b, "Message-ID: <%s>\n", m.MessageID)
	}
	if m.ReplyTo != "" {
		fmt.Fprintf(&b, "Reply-To: %s\n", m.ReplyTo)
	}
	if m.EnvelopeFrom != "" {
		fmt.Fprintf(&b, "EnvelopeFrom: %s\n", m.EnvelopeFrom)
	}
	if m.ReplyURL != "" {
		fmt.Fprintf(&b, "ReplyURL: %s\n", m.ReplyURL)
	}
	keys := make([]string, 0, len(m.Headers))
	for k := range m.Headers {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s\n", k, m.Headers[k])
	}
	fmt.Fprintf(&b, "\n----- text (%d characters) -----\n%s", len(m.Text), m.Text)
	if m.HTML != "" {
		fmt.Fprintf(&b, "----- html -----\n%s", m.HTML)
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./templates -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run go test ./templates -update if the change is intended)\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

func TestComposeGolden(t *testing.T) {
	t.Parallel()
	c := setup(t)
	for _, kind := range []steady.Kind{steady.KindConfirm, steady.KindPrompt, steady.KindGoodbye} {
		for _, ch := range []steady.Channel{steady.ChannelEmail, steady.ChannelSMS} {
			name := fmt.Sprintf("%s.%s", kind, ch)
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				m, err := c.Compose(testDelivery(kind, ch), subscriberFor(kind, ch))
				if err != nil {
					t.Fatal(err)
				}
				golden(t, name, dump(m))
			})
		}
	}
}

// Without an inbound path an emailed reply would be lost: the prompt asks
// for the answer on the page, says replies are not read, and carries no
// reply address.
func TestPromptWithoutEmailReplies(t *testing.T) {
	t.Parallel()
	c := setup(t)
	c.EmailReplies = false
	m, err := c.Compose(testDelivery(steady.KindPrompt, steady.ChannelEmail), testSubscriber(steady.ChannelEmail))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "prompt.email.no-inbound", dump(m))
	if m.ReplyTo != "" {
		t.Errorf("Reply-To = %q, want none", m.ReplyTo)
	}
	for _, part := range []string{m.Text, m.HTML} {
		if strings.Contains(part, "reply to this email") {
			t.Errorf("the prompt invites an emailed reply:\n%s", part)
		}
		if !strings.Contains(part, "replies to this email are not read") || !strings.Contains(part, m.ReplyURL) {
			t.Errorf("the prompt does not send the subscriber to the page:\n%s", part)
		}
	}
}

func TestComposeEmailFields(t *testing.T) {
	t.Parallel()
	c := setup(t)
	for _, kind := range []steady.Kind{steady.KindConfirm, steady.KindPrompt, steady.KindGoodbye} {
		m, err := c.Compose(testDelivery(kind, steady.ChannelEmail), subscriberFor(kind, steady.ChannelEmail))
		if err != nil {
			t.Fatal(err)
		}
		if m.To != "sam@example.com" || m.DeliveryID != 7 || m.Channel != steady.ChannelEmail || m.MessageID == "" {
			t.Errorf("%s: message %+v lacks To, DeliveryID, Channel or MessageID", kind, m)
		}
		// Every email's bounces come back to its own VERP address.
		if m.EnvelopeFrom != "steady+b-BOUNCETOKEN@steady.example" {
			t.Errorf("%s: EnvelopeFrom = %q, want the delivery's bounce address", kind, m.EnvelopeFrom)
		}
		wantLU := "<https://steady.example/unsubscribe?t=UNSUBTOKEN>, <mailto:unsubscribe+UNSUBTOKEN@steady.example?subject=unsubscribe>"
		if got := m.Headers["List-Unsubscribe"]; got != wantLU {
			t.Errorf("%s: List-Unsubscribe = %q, want %q", kind, got, wantLU)
		}
		if got := m.Headers["List-Unsubscribe-Post"]; got != "List-Unsubscribe=One-Click" {
			t.Errorf("%s: List-Unsubscribe-Post = %q", kind, got)
		}
		for _, bad := range []string{"<img", "<script", "<link", "src="} {
			if strings.Contains(m.HTML, bad) {
				t.Errorf("%s: HTML contains %q; no external resources or scripts", kind, bad)
			}
		}
		if kind == steady.KindPrompt {
			if m.ReplyTo != "reply+REPLYTOKEN@steady.example" || m.ReplyURL == "" {
				t.Errorf("prompt: ReplyTo %q, ReplyURL %q", m.ReplyTo, m.ReplyURL)
			}
		} else if m.ReplyTo != "" {
			t.Errorf("%s: ReplyTo = %q, want none", kind, m.ReplyTo)
		}
	}
}

// A repeat sign-up by someone already subscribed (a confirmation
// delivery for an active subscriber) sends their settings link, not a
// confirmation: the change is made there, at once. Before, it was a
// confirmation holding the requested settings until its link was used.
func TestComposeAgainSendsSettingsLink(t *testing.T) {
	t.Parallel()
	c := setup(t)
	for _, ch := range []steady.Channel{steady.ChannelEmail, steady.ChannelSMS} {
		sub := testSubscriber(ch)
		sub.RequestedSchedule = &steady.Schedule{Cadence: steady.CadenceDaily, Hour: 7, Minute: 15}
		sub.RequestedTimeZone = "America/New_York"
		m, err := c.Compose(testDelivery(steady.KindConfirm, ch), sub)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(m.Text, "You asked to sign up again") && !strings.Contains(m.Text, "you asked to sign up again") ||
			!strings.Contains(m.Text, "https://steady.example/settings?t=SETTINGSTOKEN") {
			t.Errorf("%s: no settings link:\n%s", ch, m.Text)
		}
		if strings.Contains(m.Text, "CONFIRMTOKEN") || strings.Contains(m.Text, "07:15") {
			t.Errorf("%s: a confirmation or the requested settings:\n%s", ch, m.Text)
		}
		if ch == steady.ChannelEmail && !strings.Contains(m.HTML, "https://steady.example/settings?t=SETTINGSTOKEN") {
			t.Errorf("the HTML part has no settings link:\n%s", m.HTML)
		}
	}
	// Its SMS stays within two GSM-7 segments.
	m, err := c.Compose(testDelivery(steady.KindConfirm, steady.ChannelSMS), testSubscriber(steady.ChannelSMS))
	if err != nil {
		t.Fatal(err)
	}
	if enc, n := messages.Segments(m.Text); n > 2 || enc != messages.GSM7 {
		t.Errorf("again.sms: %s in %d segments: %q", enc, n, m.Text)
	}
}

func TestComposeScaleAnswer(t *testing.T) {
	t.Parallel()
	c := setup(t)
	d := testDelivery(steady.KindPrompt, steady.ChannelEmail)
	d.PromptID, d.PromptText = "trust-1", "From 1 to 5, how at ease do you feel?"
	m, err := c.Compose(d, testSubscriber(steady.ChannelEmail))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Text, "start with a number from 1 to 5") {
		t.Errorf("scale prompt does not ask for a number:\n%s", m.Text)
	}
	// A prompt no longer in the catalog falls back to YES/NO wording and
	// still uses the delivery's snapshot of the text.
	d.PromptID, d.PromptText = "retired-9", "An old question?"
	m, err = c.Compose(d, testSubscriber(steady.ChannelEmail))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Text, "start with YES or NO") || !strings.HasPrefix(m.Text, "An old question?\n") {
		t.Errorf("retired prompt:\n%s", m.Text)
	}
}

func TestComposeErrors(t *testing.T) {
	t.Parallel()
	c := setup(t)
	sub := testSubscriber(steady.ChannelEmail)
	tests := []struct {
		name string
		edit func(*steady.Delivery, *steady.Subscriber)
		want string
	}{
		{"unknown kind", func(d *steady.Delivery, _ *steady.Subscriber) { d.Kind = "newsletter" }, `no template for kind "newsletter"`},
		{"unknown channel", func(d *steady.Delivery, _ *steady.Subscriber) { d.Channel = "pigeon" }, `on channel "pigeon"`},
		{"other subscriber", func(d *steady.Delivery, _ *steady.Subscriber) { d.SubscriberID = 43 }, "not 42"},
		{"empty prompt", func(d *steady.Delivery, _ *steady.Subscriber) { d.PromptText = "" }, "prompt text is empty"},
		{"bad zone", func(_ *steady.Delivery, s *steady.Subscriber) { s.TimeZone = "Mars/Base" }, "Mars/Base"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, s := testDelivery(steady.KindPrompt, steady.ChannelEmail), sub
			tt.edit(&d, &s)
			_, err := c.Compose(d, s)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Compose error = %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := (&Composer{}).Compose(testDelivery(steady.KindPrompt, steady.ChannelEmail), sub); err == nil {
		t.Error("a Composer without Set and Links composed a message")
	}
}

// TestPromptSubjectsAreCalm: a subject is seen on lock screens and in
// shared inboxes, so it must never carry an alarming word, whatever the
// prompt and whatever the day.
func TestPromptSubjectsAreCalm(t *testing.T) {
	t.Parallel()
	c := setup(t)
	alarming := regexp.MustCompile(`(?i)\b(lie|lies|lying|liar|abuse|abusive|hit|hitting|afraid|fear|cheat|cheating|red flag|unsafe|danger)\b`)
	sub := testSubscriber(steady.ChannelEmail)
	for _, p := range c.Set.Catalog().Prompts() {
		for day := range 7 {
			d := testDelivery(steady.KindPrompt, steady.ChannelEmail)
			d.PromptID, d.Theme, d.PromptText = p.ID, p.Theme, p.Text
			d.Slot = d.Slot.AddDate(0, 0, day)
			m, err := c.Compose(d, sub)
			if err != nil {
				t.Fatal(err)
			}
			if w := alarming.FindString(m.Subject); w != "" {
				t.Errorf("%s: subject %q contains %q", p.ID, m.Subject, w)
			}
			if !strings.Contains(m.Text, p.Text) || !strings.Contains(m.HTML, strings.ReplaceAll(p.Text, "'", "&#39;")) {
				t.Errorf("%s: the prompt text is missing from the message", p.ID)
			}
		}
	}
}

func TestPromptSubjectUsesLocalWeekday(t *testing.T) {
	t.Parallel()
	c := setup(t)
	sub := testSubscriber(steady.ChannelEmail)
	sub.TimeZone = "Pacific/Auckland" // 2026-11-26 20:30 UTC is Friday morning there
	m, err := c.Compose(testDelivery(steady.KindPrompt, steady.ChannelEmail), sub)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Your reflection for Friday" {
		t.Errorf("subject = %q, want the weekday in the subscriber's zone", m.Subject)
	}
}

// A catch-up after an outage is named for the day it was queued, not the
// oldest slot it stands for; a prompt queued on time keeps its slot's day.
func TestCatchUpSubjectNamesTheDayItWasQueued(t *testing.T) {
	t.Parallel()
	c := setup(t)
	sub := testSubscriber(steady.ChannelEmail)
	sub.TimeZone = "UTC"
	d := testDelivery(steady.KindPrompt, steady.ChannelEmail)
	for _, tc := range []struct {
		queued time.Duration
		want   string
	}{
		{time.Minute, d.Slot.Weekday().String()},
		{50 * time.Minute, d.Slot.Weekday().String()},
		{50 * time.Hour, d.Slot.Add(50 * time.Hour).Weekday().String()},
	} {
		d.CreatedAt = d.Slot.Add(tc.queued)
		m, err := c.Compose(d, sub)
		if err != nil {
			t.Fatal(err)
		}
		if m.Subject != "Your reflection for "+tc.want {
			t.Errorf("queued %s after the slot: subject %q, want %s", tc.queued, m.Subject, tc.want)
		}
	}
}
