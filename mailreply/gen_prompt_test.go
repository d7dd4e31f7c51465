package mailreply_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/mailreply"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/templates"
)

// Steady's side of the generated corpus: the From address and public URL
// of the installation the prompts come from.
const (
	steadyFrom = "Steady <steady@example.org>"
	steadyBase = "https://steady.example.org"
)

// sentPrompt is one prompt email as Steady sent it.
type sentPrompt struct {
	Raw       []byte // as the SMTP server received it
	Text      string // the text body
	HTML      string
	Subject   string
	MessageID string // without angle brackets
	ReplyTo   string
	To        string // the subscriber's address
	Date      time.Time
}

// promptFor renders catalogue prompt promptID for a subscriber at address
// in time zone tz, due at slot (UTC), with the real templates and links,
// and sends it through the real SMTP sender to a test server to capture
// the message exactly as it leaves Steady.
func promptFor(t *testing.T, promptID, address, tz string, slot time.Time, deliveryID int64) sentPrompt {
	t.Helper()
	msg := composePrompt(t, promptID, address, tz, slot, deliveryID)
	srv := smtptest.Start(t)
	cfg, err := messages.ParseSMTPURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	sender, err := messages.NewSMTPSender(cfg, steadyFrom, messages.WithSMTPClock(steady.NewManualClock(slot)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sender.Send(context.Background(), msg); err != nil {
		t.Fatalf("send prompt: %v", err)
	}
	got := srv.WaitMessages(t, 1, 10*time.Second)
	return sentPrompt{
		Raw: got[0].Data, Text: msg.Text, HTML: msg.HTML, Subject: msg.Subject,
		MessageID: msg.MessageID, ReplyTo: msg.ReplyTo, To: address, Date: slot,
	}
}

// composePrompt renders the prompt email with the real templates, catalog
// and links, as the scheduler would for a subscriber whose emailed
// replies are read.
func composePrompt(t testing.TB, promptID, address, tz string, slot time.Time, deliveryID int64) steady.Message {
	t.Helper()
	set, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	p, ok := set.Catalog().Prompt(promptID)
	if !ok {
		t.Fatalf("no prompt %q in the catalog", promptID)
	}
	clock := steady.NewManualClock(slot)
	lk, err := links.New(steadyBase, steadyFrom, []byte("steady corpus signing key, not a secret"), clock)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		t.Fatal(err)
	}
	local := slot.In(loc)
	sub := steady.Subscriber{
		ID: deliveryID + 100, Channel: steady.ChannelEmail, Address: address, TimeZone: tz, Status: steady.StatusActive,
		Schedule: steady.Schedule{Cadence: steady.CadenceWeekly, Days: []time.Weekday{local.Weekday()}, Hour: local.Hour(), Minute: local.Minute()},
	}
	d := steady.Delivery{
		ID: deliveryID, SubscriberID: sub.ID, Kind: steady.KindPrompt, Channel: steady.ChannelEmail,
		Slot: slot, CreatedAt: slot, PromptID: p.ID, Theme: p.Theme, PromptText: p.Text,
	}
	composer := &templates.Composer{Set: set, Links: lk, ProgramName: "Steady", EmailReplies: true}
	msg, err := composer.Compose(d, sub)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// knownOf is what the inbox will know of a composed prompt.
func knownOf(m steady.Message) mailreply.Known {
	return mailreply.Known{Text: m.Text, Subject: m.Subject, From: steadyFrom}.WithHTML(m.HTML)
}

// quoteLines quotes text the way most mail programs do: "> " before each
// line, ">" alone for a blank one.
func quoteLines(text string) string {
	var b strings.Builder
	for _, l := range strings.Split(text, "\n") {
		if l == "" {
			b.WriteString(">\n")
		} else {
			b.WriteString("> " + l + "\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}
