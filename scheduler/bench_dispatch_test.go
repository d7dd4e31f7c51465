package scheduler

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/cputime"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
	"github.com/steadyapp/steady/templates"
	"github.com/steadyapp/steady/themes"
)

// benchSize is STEADY_BENCH_N, or def.
func benchSize(b *testing.B, def int) int {
	v := os.Getenv("STEADY_BENCH_N")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("STEADY_BENCH_N=%q: want a positive number", v)
	}
	return n
}

// BenchmarkDispatch measures sending one day's prompts to n subscribers
// (STEADY_BENCH_N, default 1000) through the real go-mail sender, with its
// pool of messages.DefaultSMTPConnections sessions and as many dispatcher
// workers, to an in-process SMTP server: claim, subscriber check, compose,
// send and outcome for each message. In the same run, between the days,
// the same messages go out through a bare go-mail loop over the same
// number of connections, each dialled once (Client.DialWithContext, then
// Send per message), without the database. It reports
//
//   - msg/s: messages dispatched per second;
//
//   - bare-msg/s: the bare loop's rate;
//
//   - ratio-to-bare: msg/s ÷ bare-msg/s, the goal being ≥ 0.9;
//
//   - cpu-ms/msg and bare-cpu-ms/msg: the process's CPU time per message
//     in each (the in-process SMTP server's included, PostgreSQL's not),
//     which a machine shared with other work inflates less than the rates;
//
//   - sessions/msg: SMTP sessions the dispatcher's sender opened per
//     message;
//
//   - writes/msg: write transactions the dispatcher ran per message
//     (claims and outcomes), and reads/msg, the statements of its
//     subscriber checks.
//
//     TEST_DATABASE_URL=… STEADY_BENCH_N=1000 go test -run '^$' -bench Dispatch -benchtime 3x ./scheduler
//
// STEADY_BENCH_SMTP_DELAY (a duration, like 2ms) makes the server wait
// that long before answering each message, as a server across a network
// does; both loops send to it. STEADY_BENCH_CPUPROFILE (a file name)
// writes a CPU profile of the first day's dispatch alone, without the
// seeding, the planning and the bare loop that -cpuprofile also holds;
// with both databases, each writes its own file, the database's name
// appended.
func BenchmarkDispatch(b *testing.B) {
	n := benchSize(b, 1000)
	conns := messages.DefaultSMTPConnections
	var delay time.Duration
	if v := os.Getenv("STEADY_BENCH_SMTP_DELAY"); v != "" {
		var err error
		if delay, err = time.ParseDuration(v); err != nil || delay < 0 {
			b.Fatalf("STEADY_BENCH_SMTP_DELAY=%q: want a duration, like 2ms", v)
		}
	}
	for _, name := range []string{"sqlite", "postgres"} {
		sub := fmt.Sprintf("%s/prompts=%d/conns=%d", name, n, conns)
		if delay > 0 {
			sub += "/smtp-delay=" + delay.String()
		}
		b.Run(sub, func(b *testing.B) {
			var db *store.DB
			if name == "postgres" {
				db = storetest.Postgres(b)
			} else {
				db = storetest.SQLite(b)
			}
			start := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
			clock := steady.NewManualClock(start)
			first := seedDaily(b, db, n, start)
			srv := smtptest.Start(b, smtptest.WithDelay(delay))
			cfg, err := messages.ParseSMTPURL(srv.URL())
			if err != nil {
				b.Fatal(err)
			}
			sender, err := messages.NewSMTPSender(cfg, "Steady <steady@steady.example>",
				messages.WithSMTPClock(clock), messages.WithSMTPConnections(conns))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = sender.Close() })
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
			counted := &countingOutbox{DB: db}
			d, err := NewDispatcher(DispatcherConfig{Store: counted, Sender: sender, Composer: composer, Clock: clock, Logger: logger, Workers: conns})
			if err != nil {
				b.Fatal(err)
			}
			s, err := New(Config{Store: db, Catalog: themes.Default(), Clock: clock, Logger: logger})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			// seedDaily imports active subscribers: no confirmation is queued,
			// so nothing is sent before the first day's prompts.
			if got, err := d.runOnce(ctx, start); err != nil || got != 0 {
				b.Fatalf("before the first tick: sent %d, %v", got, err)
			}
			bare := &bareLoop{host: srv.Host(), port: srv.Port(), conns: conns}
			var bareTime, dispTime, bareCPU, dispCPU time.Duration
			var sessions, writes, reads int64
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				now := first.AddDate(0, 0, i).Add(time.Minute)
				if got, err := s.runOnce(ctx, now); err != nil || got != n {
					b.Fatalf("tick %d queued %d, %v", i, got, err)
				}
				msgs := composeQueued(b, db, composer, now)
				began, cpu0 := time.Now(), cputime.Used()
				bare.send(b, msgs)
				bareTime += time.Since(began)
				bareCPU += cputime.Used() - cpu0

				before := sender.Sessions()
				w0, r0 := counted.writes.Load(), counted.reads.Load()
				began, cpu0 = time.Now(), cputime.Used()
				stopProfile := startProfile(b, i, name)
				b.StartTimer()
				got, err := d.runOnce(ctx, now)
				b.StopTimer()
				stopProfile()
				dispTime += time.Since(began)
				dispCPU += cputime.Used() - cpu0
				sessions += sender.Sessions() - before
				writes += counted.writes.Load() - w0
				reads += counted.reads.Load() - r0
				if err != nil || got != n {
					b.Fatalf("day %d: sent %d, %v", i, got, err)
				}
			}
			total := float64(n * b.N)
			b.ReportMetric(total/dispTime.Seconds(), "msg/s")
			b.ReportMetric(total/bareTime.Seconds(), "bare-msg/s")
			b.ReportMetric(bareTime.Seconds()/dispTime.Seconds(), "ratio-to-bare")
			if dispCPU > 0 && bareCPU > 0 {
				b.ReportMetric(dispCPU.Seconds()*1000/total, "cpu-ms/msg")
				b.ReportMetric(bareCPU.Seconds()*1000/total, "bare-cpu-ms/msg")
			}
			b.ReportMetric(float64(sessions)/total, "sessions/msg")
			b.ReportMetric(float64(writes)/total, "writes/msg")
			b.ReportMetric(float64(reads)/total, "reads/msg")
		})
	}
}

// startProfile starts the CPU profile STEADY_BENCH_CPUPROFILE asks for,
// on the first iteration only, in a file named for db, and returns what
// stops it.
func startProfile(b *testing.B, i int, db string) (stop func()) {
	b.Helper()
	path := os.Getenv("STEADY_BENCH_CPUPROFILE")
	if path == "" || i > 0 {
		return func() {}
	}
	f, err := os.Create(path + "." + db)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			b.Error(err)
		}
	}
}

// composeQueued renders every queued delivery due at now, then puts each
// back in the queue untried, for the bare loop to send the same messages.
func composeQueued(b *testing.B, db *store.DB, composer Composer, now time.Time) []steady.Message {
	b.Helper()
	ctx := context.Background()
	var msgs []steady.Message
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
		if err := db.FinishDelivery(ctx, c, store.Outcome{Status: steady.DeliveryQueued, NextAttemptAt: now, Attempts: c.Attempts, Now: now}); err != nil {
			b.Fatal(err)
		}
	}
	return msgs
}

// bareLoop sends with go-mail alone: conns clients, each dialled once and
// then sending its share of the messages in turn.
type bareLoop struct {
	host        string
	port, conns int
}

func (l *bareLoop) send(b *testing.B, msgs []steady.Message) {
	b.Helper()
	work := make(chan steady.Message)
	var wg sync.WaitGroup
	for range l.conns {
		wg.Go(func() {
			c, err := gomail.NewClient(l.host, gomail.WithPort(l.port), gomail.WithTLSPolicy(gomail.NoTLS), gomail.WithTimeout(30*time.Second))
			if err != nil {
				b.Error(err)
				return
			}
			if err := c.DialWithContext(context.Background()); err != nil {
				b.Error(err)
				return
			}
			defer c.Close()
			for m := range work {
				if err := c.Send(bareMsg(m)); err != nil {
					b.Error(err)
				}
			}
		})
	}
	for _, m := range msgs {
		work <- m
	}
	close(work)
	wg.Wait()
}

// bareMsg is m as a go-mail message, built the plain way.
func bareMsg(m steady.Message) *gomail.Msg {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	_ = msg.From("Steady <steady@steady.example>")
	_ = msg.To(m.To)
	if m.ReplyTo != "" {
		_ = msg.ReplyTo(m.ReplyTo)
	}
	msg.Subject(m.Subject)
	if m.MessageID != "" {
		msg.SetMessageIDWithValue(m.MessageID)
	} else {
		msg.SetMessageID()
	}
	msg.SetDate()
	for k, v := range m.Headers {
		msg.SetGenHeader(gomail.Header(k), v)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Inline {
		_ = msg.EmbedReader(a.Filename, bytes.NewReader(a.Data), gomail.WithFileContentID("<"+a.ContentID+">"))
	}
	return msg
}

// countingOutbox is the real store, counting the dispatcher's write
// transactions and subscriber reads.
type countingOutbox struct {
	*store.DB
	writes, reads atomic.Int64
}

func (o *countingOutbox) FinishAndClaim(ctx context.Context, done []store.Finished, want int, now, leaseUntil time.Time) ([]store.Claim, []error, error) {
	o.writes.Add(1)
	return o.DB.FinishAndClaim(ctx, done, want, now, leaseUntil)
}

func (o *countingOutbox) StartAttempt(ctx context.Context, c store.Claim, now, leaseUntil time.Time) (steady.Delivery, error) {
	o.writes.Add(1)
	return o.DB.StartAttempt(ctx, c, now, leaseUntil)
}

func (o *countingOutbox) FinishDelivery(ctx context.Context, c store.Claim, out store.Outcome) error {
	o.writes.Add(1)
	return o.DB.FinishDelivery(ctx, c, out)
}

func (o *countingOutbox) Subscriber(ctx context.Context, id int64) (steady.Subscriber, error) {
	o.reads.Add(1)
	return o.DB.Subscriber(ctx, id)
}

func (o *countingOutbox) Subscribers(ctx context.Context, ids []int64) ([]steady.Subscriber, error) {
	o.reads.Add(int64(len(ids)+store.SubscribersBatch-1) / store.SubscribersBatch) // statements
	return o.DB.Subscribers(ctx, ids)
}
