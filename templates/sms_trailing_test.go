package templates

import (
	"strings"
	"testing"

	steady "github.com/steadyapp/steady"
)

// A text message ends with its last word: a trailing newline would cost a
// character and be kept in the consent record of a YES.
func TestSMSHasNoTrailingNewline(t *testing.T) {
	t.Parallel()
	set, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	c := &Composer{Set: set, Links: fakeLinks{}}
	for _, kind := range []steady.Kind{steady.KindConfirm, steady.KindPrompt, steady.KindGoodbye} {
		m, err := c.Compose(testDelivery(kind, steady.ChannelSMS), subscriberFor(kind, steady.ChannelSMS))
		if err != nil {
			t.Fatal(err)
		}
		if m.Text != strings.TrimSpace(m.Text) {
			t.Errorf("%s: %q ends with white space", kind, m.Text)
		}
	}
}
