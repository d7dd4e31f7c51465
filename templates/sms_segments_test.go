package templates

import (
	"testing"

	steady "github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages"
)

// TestSMSSegments lists the segment count of every SMS the built-in
// templates produce, including each catalog prompt; none may take more
// than two segments, and every one must stay GSM-7 (a single curly quote
// or emoji would make it UCS-2 and halve what fits).
func TestSMSSegments(t *testing.T) {
	c := setup(t)
	check := func(name string, d steady.Delivery) {
		t.Helper()
		m, err := c.Compose(d, subscriberFor(d.Kind, steady.ChannelSMS))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		enc, n := messages.Segments(m.Text)
		t.Logf("%-28s %s %d segment(s), %3d characters", name, enc, n, len([]rune(m.Text)))
		if n > 2 || enc != messages.GSM7 {
			t.Errorf("%s: %s in %d segments: %q", name, enc, n, m.Text)
		}
	}
	check("confirm", testDelivery(steady.KindConfirm, steady.ChannelSMS))
	// A confirmation for an active subscriber is the repeat sign-up's
	// settings link (again.sms.tmpl).
	again := testDelivery(steady.KindConfirm, steady.ChannelSMS)
	if m, err := c.Compose(again, testSubscriber(steady.ChannelSMS)); err != nil {
		t.Fatal(err)
	} else if enc, n := messages.Segments(m.Text); n > 2 || enc != messages.GSM7 {
		t.Errorf("again: %s in %d segments: %q", enc, n, m.Text)
	}
	check("goodbye", testDelivery(steady.KindGoodbye, steady.ChannelSMS))
	for _, p := range c.Set.Catalog().Prompts() {
		d := testDelivery(steady.KindPrompt, steady.ChannelSMS)
		d.PromptID, d.Theme, d.PromptText = p.ID, p.Theme, p.Text
		check("prompt "+p.ID, d)
	}
}
