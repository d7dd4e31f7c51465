package templates

import (
	"context"
	"strings"
	"testing"

	steady "github.com/steadyapp/steady"
)

// fixedPast always offers the same past words.
type fixedPast struct{ p Past }

func (f fixedPast) PickPast(context.Context, steady.Subscriber, steady.Delivery) (Past, bool, error) {
	return f.p, true, nil
}

// Past words appear only with resurfacing on and discreet mode off, carry
// the stop link, and never make a text longer than two segments.
func TestComposePast(t *testing.T) {
	t.Parallel()
	c := setup(t)
	short := Past{Text: "We laughed all evening.", When: "on 3 October", StopURL: "https://steady.example/past?t=P"}
	c.Past = fixedPast{short}
	for _, tc := range []struct {
		name                string
		ch                  steady.Channel
		resurface, discreet bool
		want                bool
	}{
		{"email on", steady.ChannelEmail, true, false, true},
		{"sms on", steady.ChannelSMS, true, false, true},
		{"email off", steady.ChannelEmail, false, false, false},
		{"email discreet", steady.ChannelEmail, true, true, false},
		{"sms discreet", steady.ChannelSMS, true, true, false},
	} {
		sub := testSubscriber(tc.ch)
		sub.Resurface, sub.Discreet = tc.resurface, tc.discreet
		m, err := c.Compose(testDelivery(steady.KindPrompt, tc.ch), sub)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range []string{m.Text, m.HTML} {
			if part == "" {
				continue
			}
			got := strings.Contains(part, short.Text) && strings.Contains(part, short.StopURL)
			if got != tc.want {
				t.Errorf("%s: past words and stop link shown = %v, want %v:\n%s", tc.name, got, tc.want, part)
			}
		}
	}

	sub := testSubscriber(steady.ChannelSMS)
	sub.Resurface = true
	d := testDelivery(steady.KindPrompt, steady.ChannelSMS)
	m, err := c.Compose(d, sub)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "prompt.sms.past", dump(m))
	sub.Channel = steady.ChannelEmail
	sub.Address = "sam@example.com"
	m, err = c.Compose(testDelivery(steady.KindPrompt, steady.ChannelEmail), sub)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "prompt.email.past", dump(m))

	sub = testSubscriber(steady.ChannelSMS)
	sub.Resurface = true
	c.Past = fixedPast{Past{Text: strings.Repeat("A long evening of words. ", 8), When: "on 3 October", StopURL: short.StopURL}}
	m, err = c.Compose(d, sub)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.Text, "long evening") || !smsFits(m.Text) {
		t.Errorf("a text over two segments kept its past words: %q", m.Text)
	}
	c.Past = fixedPast{Past{Text: "We laughed 😊", When: "on 3 October", StopURL: short.StopURL}}
	if m, err = c.Compose(d, sub); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.Text, "laughed") {
		t.Errorf("past words that are not GSM-7 were kept in a text: %q", m.Text)
	}
}
