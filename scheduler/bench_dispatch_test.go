package scheduler

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/templates"
	"github.com/steadyapp/steady/themes"
)

// BenchmarkDispatch measures sending one day's prompts to n subscribers
// through the real go-mail sender to an in-process SMTP server, claim and
// outcome included, against the same sends without the database (bare): the
// cost of crash-safe delivery per message.
//
//	TEST_DATABASE_URL=… go test -run '^$' -bench Dispatch -benchtime 3x ./scheduler
func BenchmarkDispatch(b *testing.B) {
	const n = 1000
	for _, name := range []string{"bare", "sqlite", "postgres"} {
		b.Run(fmt.Sprintf("%s/prompts=%d", name, n), func(b *testing.B) {
			var db *store.DB
			switch name {
			case "postgres":
				db = storetest.Postgres(b)
			default:
				db = storetest.SQLite(b)
			}
			start := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
			clock := steady.NewManualClock(start)
			first := seedDaily(b, db, n, start)
			srv := smtptest.Start(b)
			cfg, err := messages.ParseSMTPURL(srv.URL())
			if err != nil {
				b.Fatal(err)
			}
			sender, err := messages.NewSMTPSender(cfg, "Steady <steady@steady.example>", messages.WithSMTPClock(clock))
			if err != nil {
				b.Fatal(err)
			}
			set, err := templates.Load("")
			if err != nil {
				b.Fatal(err)
			}
			lk, err := links.New("https://steady.example", "Steady <steady@steady.example>", []byte("a-benchmark-secret-long-enough"), clock)
			if err != nil {
				b.Fatal(err)
			}
			composer := &templates.Composer{Set: set, Links: lk, ProgramName: "Steady"}
			logger := slog.New(slog.NewTextHandler(io.Discard, nil))
			d, err := NewDispatcher(DispatcherConfig{Store: db, Sender: sender, Composer: composer, Clock: clock, Logger: logger})
			if err != nil {
				b.Fatal(err)
			}
			s, err := New(Config{Store: db, Catalog: themes.Default(), Clock: clock, Logger: logger})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			if got, err := d.runOnce(ctx, start); err != nil || got != n {
				b.Fatalf("confirmations: sent %d, %v", got, err)
			}
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				now := first.AddDate(0, 0, i).Add(time.Minute)
				if got, err := s.runOnce(ctx, now); err != nil || got != n {
					b.Fatalf("tick %d queued %d, %v", i, got, err)
				}
				var msgs []steady.Message
				if name == "bare" {
					for _, c := range storetest.Claim(b, db, now) {
						sub, err := db.Subscriber(ctx, c.SubscriberID)
						if err != nil {
							b.Fatal(err)
						}
						m, err := composer.Compose(c.Delivery, sub)
						if err != nil {
							b.Fatal(err)
						}
						msgs = append(msgs, m)
					}
				}
				b.StartTimer()
				if name == "bare" {
					for _, m := range msgs {
						if _, err := sender.Send(ctx, m); err != nil {
							b.Fatal(err)
						}
					}
					continue
				}
				if got, err := d.runOnce(ctx, now); err != nil || got != n {
					b.Fatalf("day %d: sent %d, %v", i, got, err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
