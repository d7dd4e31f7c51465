package mailreply_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady/analysis"
	"github.com/steadyapp/steady/mailreply"
	"github.com/steadyapp/steady/templates"
)

// TestNoFlagFromQuotedPrompt replies to every catalogue prompt, quoting it
// as four kinds of mail program do, with next to nothing of one's own
// ("Yes.", "No", "Thanks, will think about it."), and checks that what
// ExtractKnown keeps is exactly those words and that the analyser raises
// exactly the flags those words raise alone: no flag comes from the
// prompt's own words. It also counts how many prompts would raise a flag
// of their own were the quote kept, and how many of the replies get a
// flag from the prompt with Extract, which does not know it.
func TestNoFlagFromQuotedPrompt(t *testing.T) {
	t.Parallel()
	set, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	shapes := []struct{ name, text string }{
		{"gmail", "{own}\n\nOn Tue, Mar 3, 2026 at 9:00 AM Steady <steady@example.org> wrote:\n\n{quoted76}\n"},
		{"outlook ru", "{own}\n\nОт: Steady <steady@example.org>\nОтправлено: 3 марта 2026 г. 9:00\nКому: {to}\nТема: {subject}\n\n{outlook}\n"},
		{"yahoo", "{own}\n\n\n    On Tuesday, March 3, 2026 at 09:00:00 AM GMT, Steady <steady@example.org> wrote:  \n \n{yahoo}\n"},
		{"no attribution", "{own}\n\n\n{plain}\n"},
	}
	owns := []string{"Yes.", "No", "Thanks, will think about it."}
	slot := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	promptFlags, blindFlags, replies := 0, 0, 0
	for i, p := range set.Catalog().Prompts() {
		msg := composePrompt(t, p.ID, "sam@example.com", "Europe/London", slot, int64(9000+i))
		sent := sentPrompt{Text: msg.Text, HTML: msg.HTML, Subject: msg.Subject, MessageID: msg.MessageID,
			ReplyTo: msg.ReplyTo, To: "sam@example.com", Date: slot}
		if len(analysis.Analyze(msg.Text, p.Theme)) > 0 {
			promptFlags++
		}
		for _, shape := range shapes {
			for _, own := range owns {
				c := corpusCase{name: p.ID, client: "gmail", who: "Sam <sam@example.com>",
					text: strings.ReplaceAll(shape.text, "{own}", own)}
				raw := buildReply(t, c, sent)
				replies++
				m, err := mailreply.ExtractKnown(raw, knownOf(msg))
				if err != nil {
					t.Fatalf("%s, %s, %q: %v", p.ID, shape.name, own, err)
				}
				if m.Text != own {
					t.Errorf("%s, %s: stored %q, want %q", p.ID, shape.name, m.Text, own)
					continue
				}
				want := analysis.Analyze(own, p.Theme)
				if got := analysis.Analyze(m.Text, p.Theme); !reflect.DeepEqual(got, want) {
					t.Errorf("%s, %s, %q: flags %v, want only those of the reply's own words %v", p.ID, shape.name, own, got, want)
				}
				if blind, err := mailreply.Extract(raw); err == nil && !reflect.DeepEqual(analysis.Analyze(blind.Text, p.Theme), want) {
					blindFlags++
				}
			}
		}
	}
	t.Logf("%d of %d catalogue prompts raise a flag from their own words when the quote is kept; none does once it is cut",
		promptFlags, len(set.Catalog().Prompts()))
	t.Logf("without the prompt known (Extract), %d of %d of these replies get flags their own words do not raise", blindFlags, replies)
}
