package templates

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
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

// failingPast cannot choose.
type failingPast struct{}

func (failingPast) PickPast(context.Context, steady.Subscriber, steady.Delivery) (Past, bool, error) {
	return Past{}, false, errors.New("database is down")
}

// When past words cannot be chosen the prompt still goes, without them,
// and the failure is logged without any words.
func TestComposePastFailure(t *testing.T) {
	t.Parallel()
	c := setup(t)
	var logs bytes.Buffer
	c.Past, c.Logger = failingPast{}, slog.New(slog.NewTextHandler(&logs, nil))
	sub := testSubscriber(steady.ChannelEmail)
	sub.Resurface = true
	m, err := c.Compose(testDelivery(steady.KindPrompt, steady.ChannelEmail), sub)
	if err != nil {
		t.Fatalf("a failed choice failed the prompt: %v", err)
	}
	if strings.Contains(m.Text, "Something you wrote") || !strings.Contains(logs.String(), "database is down") {
		t.Errorf("text %q, logs %q", m.Text, logs.String())
	}
}
