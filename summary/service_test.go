package summary

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/metrics"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

type bundle struct {
	db    *store.DB
	clock *steady.ManualClock
	links *links.Links
	logs  *bytes.Buffer
	mu    sync.Mutex
	// rec counts what every service of the bundle sends.
	rec *metrics.Recorder
}

func setup(t *testing.T, db *store.DB, now time.Time) *bundle {
	t.Helper()
	b := &bundle{db: db, clock: steady.NewManualClock(now), logs: &bytes.Buffer{}, rec: metrics.New()}
	var err error
	b.links, err = links.New("https://steady.example", "Steady <steady@steady.example>", []byte("0123456789abcdef0123"), b.clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if logs := b.logs.String(); strings.Contains(logs, "@example.") || strings.Contains(logs, "lied") {
			t.Errorf("an address or a reply was logged:\n%s", logs)
		}
	})
	return b
}

// service builds a Service on the bundle's database, as a new process would.
func (b *bundle) service(t *testing.T) *Service {
	t.Helper()
	s, err := New(Config{Store: b.db, Sender: messages.NewPreviewSender(b.db, b.clock), Links: b.links, Clock: b.clock,
		Logger: slog.New(slog.NewTextHandler(lockedWriter{b}, nil)), Metrics: b.rec})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type lockedWriter struct{ b *bundle }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.b.mu.Lock()
	defer w.b.mu.Unlock()
	return w.b.logs.Write(p)
}

func (b *bundle) subscribe(t *testing.T, address, zone string, hour int, ch steady.Channel) steady.Subscriber {
	t.Helper()
	return b.subscribeWhen(t, address, zone, hour, ch, time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC))
}

func (b *bundle) subscribeAt(t *testing.T, address string, now time.Time) steady.Subscriber {
	t.Helper()
	return b.subscribeWhen(t, address, "Europe/London", 8, steady.ChannelEmail, now)
}

func (b *bundle) subscribeWhen(t *testing.T, address, zone string, hour int, ch steady.Channel, now time.Time) steady.Subscriber {
	t.Helper()
	return b.subscribeMinute(t, address, zone, hour, 0, ch, now)
}

func (b *bundle) subscribeMinute(t *testing.T, address, zone string, hour, minute int, ch steady.Channel, now time.Time) steady.Subscriber {
	t.Helper()
	ctx := context.Background()
	res, err := b.db.RequestSubscription(ctx, store.SubscriptionRequest{
		Channel: ch, Address: address, TimeZone: zone,
		Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: hour, Minute: minute},
		Consent:  steady.Consent{Method: "web", IP: "192.0.2.1", Wording: "Send me prompts."}, Now: now,
	})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := b.db.ConfirmSubscription(ctx, res.Subscriber.ID, steady.Consent{Method: "email-link", IP: "192.0.2.1"}, now,
		func(steady.Subscriber) (time.Time, error) { return now.Add(24 * 365 * time.Hour), nil })
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func (b *bundle) reply(t *testing.T, sub steady.Subscriber, at time.Time, text string) {
	t.Helper()
	_, _, err := b.db.RecordReply(context.Background(), steady.Reply{SubscriberID: sub.ID, Channel: steady.ChannelWeb,
		Body: text, ReceivedAt: at, SourceID: fmt.Sprintf("test-%d-%d", sub.ID, at.UnixNano())})
	if err != nil {
		t.Fatal(err)
	}
}

// previews returns the preview messages sent to address.
func (b *bundle) previews(t *testing.T, address string) []steady.PreviewMessage {
	t.Helper()
	all, err := b.db.Previews(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []steady.PreviewMessage
	for _, p := range all {
		if p.To == address {
			out = append(out, p)
		}
	}
	return out
}

func TestDueMonth(t *testing.T) {
	t.Parallel()
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		zone, now string
		due       bool
		month     string
	}{
		// Auckland is UTC+13 in summer: the 1st of December starts on 30 November in UTC.
		{"Pacific/Auckland", "2026-11-30T18:59:00Z", false, ""},
		{"Pacific/Auckland", "2026-11-30T19:00:00Z", true, "2026-11"},
		{"Pacific/Auckland", "2026-12-01T19:00:00Z", true, "2026-11"}, // catch-up on the 2nd
		{"Pacific/Auckland", "2026-12-03T12:00:00Z", false, ""},       // the 4th locally
		// Los Angeles is UTC-8: UTC's 1st of December is still 30 November there.
		{"America/Los_Angeles", "2026-12-01T07:00:00Z", false, ""},
		{"America/Los_Angeles", "2026-12-01T15:59:00Z", false, ""},
		{"America/Los_Angeles", "2026-12-01T16:00:00Z", true, "2026-11"},
		{"America/Los_Angeles", "2027-01-01T16:00:00Z", true, "2026-12"}, // across the year
		// London: GMT in November, BST (UTC+1) on 1 April.
		{"Europe/London", "2026-11-01T07:59:00Z", false, ""},
		{"Europe/London", "2026-11-01T08:00:00Z", true, "2026-10"},
		{"Europe/London", "2026-04-01T07:00:00Z", true, "2026-03"},
		{"Europe/London", "2026-03-31T23:30:00Z", false, ""}, // 00:30 BST on the 1st, before 08:00
	} {
		sub := steady.Subscriber{TimeZone: c.zone, Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 8}}
		m, due, err := DueMonth(sub, utc(c.now))
		if err != nil || due != c.due || (due && m.String() != c.month) {
			t.Errorf("%s at %s: month %v due %v err %v; want due %v month %s", c.zone, c.now, m, due, err, c.due, c.month)
		}
	}
}

// Replies count in the month of the subscriber's own time zone.
func TestMonthBoundariesInLocalTime(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
		svc := b.service(t)
		for _, c := range []struct {
			zone         string
			inside, next time.Time // the last minute of November and the first of December, locally
		}{
			{"Pacific/Auckland", time.Date(2026, 11, 30, 10, 59, 0, 0, time.UTC), time.Date(2026, 11, 30, 11, 0, 0, 0, time.UTC)},
			{"America/Los_Angeles", time.Date(2026, 12, 1, 7, 59, 0, 0, time.UTC), time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)},
			{"Europe/London", time.Date(2026, 11, 30, 23, 59, 0, 0, time.UTC), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)},
		} {
			sub := b.subscribe(t, "x-"+strings.ToLower(strings.ReplaceAll(c.zone, "/", "-"))+"@example.org", c.zone, 8, steady.ChannelEmail)
			b.reply(t, sub, c.inside, "he lied to me again")
			b.reply(t, sub, c.next, "he broke his promise")
			nov, err := svc.BuildFor(context.Background(), sub, Month{2026, time.November})
			if err != nil {
				t.Fatal(err)
			}
			dec, err := svc.BuildFor(context.Background(), sub, Month{2026, time.December})
			if err != nil {
				t.Fatal(err)
			}
			if nov.Replies != 1 || dec.Replies != 1 || nov.Weeks[4].Red[0].Theme != "honesty" || dec.Weeks[0].Red[0].Theme != "keeping_word" {
				t.Errorf("%s: November %d replies %+v, December %d %+v", c.zone, nov.Replies, nov.Weeks, dec.Replies, dec.Weeks)
			}
		}
	})
}

// Two workers at once, then a restart: each subscriber gets exactly one
// summary for the month.
func TestMonthlyRunIsIdempotent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		// 1 December 08:00 in London; Auckland's 1st (08:00 there) has passed too.
		now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
		b := setup(t, db, now)
		london := b.subscribe(t, "ldn@example.org", "Europe/London", 8, steady.ChannelEmail)
		akl := b.subscribe(t, "akl@example.org", "Pacific/Auckland", 8, steady.ChannelEmail)
		la := b.subscribe(t, "la@example.org", "America/Los_Angeles", 8, steady.ChannelEmail)
		sms := b.subscribe(t, "+447700900123", "Europe/London", 8, steady.ChannelSMS)
		gone := b.subscribe(t, "gone@example.org", "Europe/London", 8, steady.ChannelEmail)
		paused := b.subscribe(t, "paused@example.org", "Europe/London", 8, steady.ChannelEmail)
		if _, err := db.Pause(context.Background(), paused.ID, now.Add(7*24*time.Hour), now.Add(-time.Hour),
			func(steady.Subscriber, time.Time) (time.Time, error) { return now.Add(8 * 24 * time.Hour), nil }); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Unsubscribe(context.Background(), gone.ID, steady.Consent{Method: "web", IP: "192.0.2.1"}, now); err != nil {
			t.Fatal(err)
		}
		for _, s := range []steady.Subscriber{london, akl, la, sms, gone, paused} {
			b.reply(t, s, time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC), "he lied about the money")
			b.reply(t, s, time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC), "he lied again and broke his promise")
		}

		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range 2 {
			svc := b.service(t)
			wg.Go(func() { errs[i] = svc.runOnce(context.Background(), now) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		// A restart: a new service on the same database, a minute later.
		if err := b.service(t).runOnce(context.Background(), now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}

		for _, c := range []struct {
			sub  steady.Subscriber
			want int
		}{{london, 1}, {akl, 1}, {la, 0}, {sms, 1}, {gone, 0}, {paused, 0}} {
			got := b.previews(t, c.sub.Address)
			if len(got) != c.want {
				t.Errorf("%s: %d summaries, want %d", c.sub.TimeZone, len(got), c.want)
			}
			if c.want == 1 {
				rec, err := db.SummaryFor(context.Background(), c.sub.ID, "2026-11")
				if err != nil || rec.Status != steady.SummarySent {
					t.Errorf("%s: summary record %+v, %v", c.sub.Address, rec, err)
				}
			}
		}
		mail := b.previews(t, london.Address)[0]
		if mail.Subject != "Your Steady summary for November 2026" || !strings.Contains(mail.Text, "Honesty: twice") ||
			!strings.Contains(mail.HTML, "cid:"+ChartContentID) {
			t.Errorf("email: %q\n%s", mail.Subject, mail.Text)
		}
		text := b.previews(t, sms.Address)[0].Text
		if !strings.Contains(text, "https://steady.example/summary?t=") || smsSegments(text) > 2 {
			t.Errorf("sms: %q", text)
		}

		// Los Angeles is still on 30 November; at 08:00 on its 1st it gets one.
		laNow := time.Date(2026, 12, 1, 16, 0, 0, 0, time.UTC)
		b.clock.Set(laNow)
		if err := b.service(t).runOnce(context.Background(), laNow); err != nil {
			t.Fatal(err)
		}
		if n := len(b.previews(t, la.Address)); n != 1 {
			t.Errorf("Los Angeles: %d summaries after its 1st, want 1", n)
		}
		// Three services raced and restarted: each summary counted once.
		for labels, want := range map[[2]string]float64{{"email", "sent"}: 3, {"sms", "sent"}: 1, {"email", "failed"}: 0} {
			if v, ok := b.rec.Value("steady_summaries_total", map[string]string{"channel": labels[0], "outcome": labels[1]}); !ok || v != want {
				t.Errorf("steady_summaries_total%v = %v, want %v", labels, v, want)
			}
		}

		// Sending by hand again changes nothing; a dry run writes nothing.
		svc := b.service(t)
		res, err := svc.Send(context.Background(), london, Month{2026, time.November}, false)
		if err != nil || res.Outcome != OutcomeAlready {
			t.Errorf("resend: %v %v", res.Outcome, err)
		}
		res, err = svc.Send(context.Background(), london, Month{2026, time.October}, true)
		if err != nil || res.Outcome != OutcomeDryRun || !res.Data.Nudge {
			t.Errorf("dry run: %v %v", res.Outcome, err)
		}
		if _, err := db.SummaryFor(context.Background(), london.ID, "2026-10"); err == nil {
			t.Error("a dry run wrote a summary")
		}
		// Somebody who joined in November without replying yet gets no nudge for it.
		res, err = svc.Send(context.Background(), b.subscribeAt(t, "new@example.org", time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)), Month{2026, time.November}, false)
		if err != nil || res.Outcome != OutcomeTooNew {
			t.Errorf("new subscriber: %v %v", res.Outcome, err)
		}
	})
}

func TestSafetyNoteOncePerWindow(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
		b := setup(t, db, now)
		sub := b.subscribe(t, "safe@example.org", "Europe/London", 8, steady.ChannelEmail)
		other := b.subscribe(t, "calm@example.org", "Europe/London", 8, steady.ChannelEmail)
		b.reply(t, other, now.Add(-time.Hour), "he has never hit me, we just argue")
		b.reply(t, sub, now.Add(-time.Hour), "he pushed me last night")
		svc := b.service(t)
		if err := svc.runOnce(context.Background(), now); err != nil {
			t.Fatal(err)
		}
		b.reply(t, sub, now.Add(time.Hour), "I'm scared to go home")
		if err := b.service(t).runOnce(context.Background(), now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		got := b.previews(t, sub.Address)
		if len(got) != 1 || got[0].Subject != "A note from Steady" || !strings.Contains(got[0].Text, "0808 2000 247") {
			t.Fatalf("safety notes: %+v", got)
		}
		if n := len(b.previews(t, other.Address)); n != 0 {
			t.Errorf("a negated reply got %d safety notes", n)
		}
		// The same running service, a new incident window a week later.
		later := now.Add(8 * 24 * time.Hour)
		b.reply(t, sub, later.Add(-time.Minute), "he threatened me again")
		if err := svc.runOnce(context.Background(), later); err != nil {
			t.Fatal(err)
		}
		if n := len(b.previews(t, sub.Address)); n != 2 {
			t.Errorf("%d safety notes after a second window, want 2", n)
		}
	})
}
