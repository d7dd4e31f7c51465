package summary

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

func TestCountryOf(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		ch        steady.Channel
		addr, tz  string
		want      string
		wantKnown bool
	}{
		{steady.ChannelEmail, "a@example.org", "Europe/London", "uk", true},
		{steady.ChannelEmail, "a@example.org", "Australia/Sydney", "au", true},
		{steady.ChannelEmail, "a@example.org", "Australia/Perth", "au", true},
		{steady.ChannelEmail, "a@example.org", "Pacific/Auckland", "nz", true},
		{steady.ChannelEmail, "a@example.org", "America/New_York", "us", true},
		{steady.ChannelEmail, "a@example.org", "America/Indiana/Indianapolis", "us", true},
		{steady.ChannelEmail, "a@example.org", "America/Toronto", "", false},
		{steady.ChannelEmail, "a@example.org", "Europe/Paris", "", false},
		// The phone number's country wins over the time zone.
		{steady.ChannelSMS, "+447400123456", "America/New_York", "uk", true},
		{steady.ChannelSMS, "+61412345678", "Europe/London", "au", true},
		{steady.ChannelSMS, "+12015550123", "Europe/London", "us", true},
		{steady.ChannelSMS, "+33612345678", "Pacific/Auckland", "nz", true},
	} {
		got, ok := CountryOf(steady.Subscriber{Channel: c.ch, Address: c.addr, TimeZone: c.tz})
		if got != c.want || ok != c.wantKnown {
			t.Errorf("%s %s: %q %v, want %q %v", c.addr, c.tz, got, ok, c.want, c.wantKnown)
		}
	}
}

// Without operator resources, each subscriber's safety note and summary
// name their own country's hotline and emergency number.
func TestSupportResourcesBySubscriberCountry(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
		b := setup(t, db, now)
		for _, c := range []struct {
			addr, tz  string
			ch        steady.Channel
			want, not []string
		}{
			{"ldn@example.org", "Europe/London", steady.ChannelEmail, []string{"0808 2000 247", "call 999"}, []string{"call 911", "call 000"}},
			{"syd@example.org", "Australia/Sydney", steady.ChannelEmail, []string{"1800 737 732", "call 000"}, []string{"call 911", "call 999"}},
			{"nyc@example.org", "America/New_York", steady.ChannelEmail, []string{"1-800-799-7233", "call 911"}, []string{"call 999", "call 000"}},
			{"+447400123456", "America/New_York", steady.ChannelSMS, []string{"0808 2000 247"}, []string{"call 911"}},
		} {
			sub := b.subscribe(t, c.addr, c.tz, 8, c.ch)
			b.reply(t, sub, now.Add(-4*24*time.Hour), "he pushed me last night")
			if err := b.service(t).runOnce(context.Background(), now); err != nil {
				t.Fatal(err)
			}
			got := b.previews(t, c.addr)
			if len(got) != 2 {
				t.Fatalf("%s: %d messages, want a safety note and a summary", c.tz, len(got))
			}
			for _, m := range got {
				text := m.Text + m.HTML
				if c.ch == steady.ChannelSMS && strings.Contains(m.Text, "/summary?t=") {
					// The SMS summary links to its page; the page shows the
					// resources stored with the summary.
					rec, err := db.SummaryFor(context.Background(), sub.ID, "2026-11")
					if err != nil {
						t.Fatal(err)
					}
					text = string(rec.Data)
				}
				for _, w := range c.want {
					if !strings.Contains(text, w) {
						t.Errorf("%s %q: lacks %q", c.tz, m.Subject, w)
					}
				}
				for _, w := range c.not {
					if strings.Contains(text, w) {
						t.Errorf("%s %q: names %q", c.tz, m.Subject, w)
					}
				}
			}
		}
	})
}

// The operator's own resources, when set, go to everyone.
func TestOperatorResourcesWin(t *testing.T) {
	t.Parallel()
	s := &Service{cfg: Config{Resources: []Resource{{"Our line", "call 123"}}, Country: "us"}}
	if r := s.resourcesFor(steady.Subscriber{TimeZone: "Europe/London"}); len(r) != 1 || r[0].Contact != "call 123" {
		t.Errorf("%v", r)
	}
	s.cfg.Resources = nil
	if r := s.resourcesFor(steady.Subscriber{TimeZone: "Europe/Paris"}); r[len(r)-1].Contact != "call 911" {
		t.Errorf("fallback: %v", r)
	}
}
