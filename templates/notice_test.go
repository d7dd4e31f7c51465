package templates

import (
	"strings"
	"testing"
	"time"

	steady "github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages"
)

// A settings notice (a confirm delivery marked steady.NoticePromptID) says
// the change took effect and when the next prompt comes, with the settings
// link, never a confirmation link; its text fits two GSM-7 segments; and
// it is not composed for a subscriber who is no longer active.
func TestComposeNotice(t *testing.T) {
	t.Parallel()
	c := setup(t)
	for _, ch := range []steady.Channel{steady.ChannelEmail, steady.ChannelSMS} {
		d := testDelivery(steady.KindConfirm, ch)
		d.PromptID = steady.NoticePromptID
		d.CreatedAt = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
		sub := testSubscriber(ch)
		sub.NextSlot = time.Date(2026, 12, 10, 20, 30, 0, 0, time.UTC)
		sub.PausedUntil = time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)
		m, err := c.Compose(d, sub)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Paused until Thursday 10 December", "Thursday 10 December, 20:30"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("%s notice lacks %q:\n%s", ch, want, m.Text)
			}
		}
		if strings.Contains(m.Text, "CONFIRMTOKEN") {
			t.Errorf("%s notice carries a confirmation link:\n%s", ch, m.Text)
		}
		if ch == steady.ChannelEmail && !strings.Contains(m.Text, "SETTINGSTOKEN") {
			t.Errorf("the email notice has no settings link:\n%s", m.Text)
		}
		if ch == steady.ChannelSMS {
			if enc, n := messages.Segments(m.Text); n > 2 || enc != messages.GSM7 {
				t.Errorf("notice.sms: %s in %d segments: %q", enc, n, m.Text)
			}
		}
		sub.Status = steady.StatusUnsubscribed
		if _, err := c.Compose(d, sub); err == nil {
			t.Errorf("%s: a notice was composed for an unsubscribed subscriber", ch)
		}
	}
}
