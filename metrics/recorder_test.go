package metrics_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/metrics"
	"github.com/steadyapp/steady/scheduler"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/templates"
	"github.com/steadyapp/steady/themes"
)

// The Recorder has every method the reporting packages ask for.
var (
	_ scheduler.Metrics = (*metrics.Recorder)(nil)
	_ messages.Metrics  = (*metrics.Recorder)(nil)
	_ metrics.Queue     = (*store.DB)(nil)
)

// sending is a real scheduler and dispatcher over a real store, sending
// through the real go-mail sender to a real SMTP server, with a Recorder.
type sending struct {
	db    *store.DB
	clock *steady.ManualClock
	rec   *metrics.Recorder
	smtp  *smtptest.Server
	sched *scheduler.Scheduler
	disp  *scheduler.Dispatcher
}

func setup(t *testing.T, db *store.DB, now time.Time) *sending {
	t.Helper()
	s := &sending{db: db, clock: steady.NewManualClock(now), rec: metrics.New(), smtp: smtptest.Start(t)}
	if err := s.rec.WatchQueue(db, s.clock, 0); err != nil {
		t.Fatal(err)
	}
	cfg, err := messages.ParseSMTPURL(s.smtp.URL())
	if err != nil {
		t.Fatal(err)
	}
	sender, err := messages.NewSMTPSender(cfg, "Steady <steady@steady.example>", messages.WithSMTPTimeout(5*time.Second),
		messages.WithSMTPClock(s.clock), messages.WithSMTPMetrics(s.rec))
	if err != nil {
		t.Fatal(err)
	}
	set, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	lk, err := links.New("https://steady.example", "Steady <steady@steady.example>", []byte("a-test-secret-of-enough-length"), s.clock)
	if err != nil {
		t.Fatal(err)
	}
	s.disp, err = scheduler.NewDispatcher(scheduler.DispatcherConfig{
		Store: db, Sender: sender, Composer: &templates.Composer{Set: set, Links: lk, ProgramName: "Steady"},
		Clock: s.clock, Metrics: s.rec,
		Backoff: func(int) time.Duration { return time.Minute },
	})
	if err != nil {
		t.Fatal(err)
	}
	s.sched, err = scheduler.New(scheduler.Config{Store: db, Catalog: themes.Default(), Clock: s.clock, Metrics: s.rec})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// subscribe signs address up (which queues its confirmation) for a daily
// prompt at 20:00 UTC.
func (s *sending) subscribe(t *testing.T, address string) steady.Subscriber {
	t.Helper()
	now := s.clock.Now()
	res, err := s.db.RequestSubscription(context.Background(), store.SubscriptionRequest{
		Channel: steady.ChannelEmail, Address: address, TimeZone: "UTC",
		Schedule: steady.Schedule{Cadence: steady.CadenceDaily, Hour: 20},
		Consent:  steady.Consent{Method: "web", IP: "192.0.2.1", Wording: "Send me prompts."},
		Now:      now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res.Subscriber
}

func (s *sending) confirm(t *testing.T, id int64) {
	t.Helper()
	now := s.clock.Now()
	if _, err := s.db.ConfirmSubscription(context.Background(), id, steady.Consent{Method: "web", IP: "192.0.2.1"}, now,
		func(sub steady.Subscriber) (time.Time, error) { return sub.Schedule.Next(now, time.UTC), nil }); err != nil {
		t.Fatal(err)
	}
}

func (s *sending) dispatch(t *testing.T) int {
	t.Helper()
	n, err := s.disp.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCountersMoveWithRealSends sends confirmations and prompts through a
// real SMTP server that accepts, refuses for good and refuses for now,
// and reads every count back from the parsed exposition.
func TestCountersMoveWithRealSends(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		start := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
		s := setup(t, db, start)
		e := scrape(t, s.rec)
		if v := e.value(t, "steady_prompts_total", "channel=email,outcome=sent"); v != 0 {
			t.Fatalf("before any send: %v prompts sent", v)
		}
		if v := e.value(t, "steady_deliveries_queued", ""); v != 0 {
			t.Fatalf("before any sign-up: %v queued", v)
		}

		var subs []steady.Subscriber
		for i := range 3 {
			subs = append(subs, s.subscribe(t, fmt.Sprintf("m%d@example.org", i)))
		}
		s.clock.Set(start.Add(90 * time.Second))
		e = scrape(t, s.rec)
		if q, age := e.value(t, "steady_deliveries_queued", ""), e.value(t, "steady_oldest_queued_age_seconds", ""); q != 3 || age != 90 {
			t.Errorf("three confirmations due 90s ago: queued %v, oldest age %v; want 3 and 90", q, age)
		}
		if n := s.dispatch(t); n != 3 {
			t.Fatalf("sent %d confirmations, want 3", n)
		}
		e = scrape(t, s.rec)
		if v := e.value(t, "steady_confirmations_total", "channel=email,outcome=sent"); v != 3 {
			t.Errorf("confirmations sent = %v, want 3", v)
		}
		if v := e.value(t, "steady_deliveries_queued", ""); v != 0 {
			t.Errorf("after sending: %v queued, want 0", v)
		}
		if v := e.value(t, "steady_send_duration_seconds", "channel=email"); v != 3 {
			t.Errorf("send durations observed = %v, want 3", v)
		}
		for _, sub := range subs {
			s.confirm(t, sub.ID)
		}

		// At 20:00 the three prompts are due: the server takes the first,
		// refuses the second's recipient for good, and the third for now.
		due := time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC)
		s.clock.Set(due)
		queued, err := s.sched.RunOnce(context.Background())
		if err != nil || queued != 3 {
			t.Fatalf("scheduler queued %d prompts (%v), want 3", queued, err)
		}
		e = scrape(t, s.rec)
		if v := e.value(t, "steady_tick_duration_seconds", ""); v != 1 {
			t.Errorf("ticks observed = %v, want 1", v)
		}
		s.smtp.SetFaultPattern(func(n int) smtptest.Fault {
			switch n {
			case 1:
				return smtptest.RejectData
			case 2:
				return smtptest.TempFailData
			}
			return smtptest.NoFault
		})
		s.dispatch(t)
		e = scrape(t, s.rec)
		for _, c := range []struct {
			name, labels string
			want         float64
		}{
			{"steady_prompts_total", "channel=email,outcome=sent", 1},
			{"steady_prompts_total", "channel=email,outcome=failed", 1},
			{"steady_prompts_total", "channel=email,outcome=retry", 1},
			{"steady_smtp_errors_total", "class=rejected_permanent", 1},
			{"steady_smtp_errors_total", "class=rejected_temporary", 1},
			{"steady_smtp_errors_total", "class=connection", 0},
			{"steady_deliveries_queued", "", 1},
			{"steady_send_duration_seconds", "channel=email", 6},
		} {
			if v := e.value(t, c.name, c.labels); v != c.want {
				t.Errorf("%s{%s} = %v, want %v", c.name, c.labels, v, c.want)
			}
		}

		// The retry goes out a minute later.
		s.smtp.SetFaultPattern(func(int) smtptest.Fault { return smtptest.NoFault })
		s.clock.Set(due.Add(2 * time.Minute))
		if n := s.dispatch(t); n != 1 {
			t.Fatalf("retry: sent %d, want 1", n)
		}
		e = scrape(t, s.rec)
		if v := e.value(t, "steady_prompts_total", "channel=email,outcome=sent"); v != 2 {
			t.Errorf("after the retry: prompts sent = %v, want 2", v)
		}
		checkLabelsPrivate(t, e)
	})
}

// TestSMTPUnreachableCountsConnection: a server that is not there is a
// connection error, and the delivery a retry.
func TestSMTPUnreachableCountsConnection(t *testing.T) {
	t.Parallel()
	rec := metrics.New()
	srv := smtptest.Start(t)
	cfg, err := messages.ParseSMTPURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Port = freePort(t)
	sender, err := messages.NewSMTPSender(cfg, "Steady <steady@steady.example>", messages.WithSMTPTimeout(2*time.Second), messages.WithSMTPMetrics(rec))
	if err != nil {
		t.Fatal(err)
	}
	_, err = sender.Send(context.Background(), steady.Message{Channel: steady.ChannelEmail, To: "x@example.org", Subject: "s", Text: "t", MessageID: "a@steady.example"})
	if err == nil {
		t.Fatal("a send to a closed port succeeded")
	}
	e := scrape(t, rec)
	if v := e.value(t, "steady_smtp_errors_total", "class=connection"); v != 1 {
		t.Errorf("connection errors = %v, want 1", v)
	}
	if ok, failed := sender.LastContact(); !ok.IsZero() || failed.IsZero() {
		t.Errorf("LastContact = %v, %v; want never reached, failed now", ok, failed)
	}
}
