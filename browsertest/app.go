package browsertest

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/compliance"
	"github.com/steadyapp/steady/links"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/resurface"
	"github.com/steadyapp/steady/scheduler"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/summary"
	"github.com/steadyapp/steady/templates"
	"github.com/steadyapp/steady/web"
)

// StartTime is when every App's clock starts: 12:00 UTC on a Thursday in
// November, 12:00 in London.
var StartTime = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// App is Steady as `steady serve` builds it with no SMTP server on this
// machine: the real web server (preview outbox on) with the subscriber's
// settings pages (package account) and the operator console (package
// admin, one operator: AdminName, AdminPassword), the real scheduler and
// dispatcher with the preview sender, over a real store, on a loopback
// port, with a manual clock. Nothing runs in the background: Deliver sends
// what is queued and Tick moves the clock and runs the scheduler, so a test
// says when time passes.
type App struct {
	t          testing.TB
	DB         *store.DB
	Clock      *steady.ManualClock
	URL        string // base URL, "http://127.0.0.1:port"
	scheduler  *scheduler.Scheduler
	dispatcher *scheduler.Dispatcher
}

// StartApp builds and starts the app over db, stopped when the test ends.
func StartApp(t testing.TB, db *store.DB) *App {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	a := &App{t: t, DB: db, Clock: steady.NewManualClock(StartTime), URL: "http://" + ts.Listener.Addr().String()}
	logger := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	secret := make([]byte, 32)
	rand.Read(secret)

	lk, err := links.New(a.URL, "Steady <steady@localhost>", secret, a.Clock)
	if err != nil {
		t.Fatal(err)
	}
	lk = lk.WithoutMailbox() // nothing reads the From mailbox, as in serve without inbound mail
	hasher, err := compliance.NewHasher(secret)
	if err != nil {
		t.Fatal(err)
	}
	set, err := templates.Load("")
	if err != nil {
		t.Fatal(err)
	}
	composer := &templates.Composer{Set: set, Links: lk, ProgramName: "Steady", Past: &resurface.Picker{Store: db, Links: lk}, Logger: logger}
	router := messages.Router{steady.ChannelEmail: messages.NewPreviewSender(db, a.Clock)}
	if a.dispatcher, err = scheduler.NewDispatcher(scheduler.DispatcherConfig{
		Store: db, Sender: router, Composer: composer, Suppress: db, Clock: a.Clock, Logger: logger,
	}); err != nil {
		t.Fatal(err)
	}
	if a.scheduler, err = scheduler.New(scheduler.Config{
		Store: db, Catalog: set.Catalog(), Clock: a.Clock, Logger: logger,
	}); err != nil {
		t.Fatal(err)
	}
	extra, err := accountRoutes(db, lk, a.Clock, logger, hasher)
	if err != nil {
		t.Fatal(err)
	}
	if err := adminRoutes(extra, db, a.Clock, logger, hasher, secret, a.URL, nil); err != nil {
		t.Fatal(err)
	}
	support, err := summary.New(summary.Config{Store: db, Sender: router, Links: lk, Clock: a.Clock, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{
		Store: db, Links: lk, Clock: a.Clock, Logger: logger,
		Preview: true, ProgramName: "Steady", AddressHasher: hasher,
		Prompts: set.Catalog(), Extra: extra, SafetyResources: safetyLines(support.SupportFor(steady.Subscriber{})),
	})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(ts.Close)
	return a
}

// Deliver sends every queued delivery (confirmations, prompts) to the
// preview outbox now, as the dispatcher would when woken.
func (a *App) Deliver() {
	a.t.Helper()
	if _, err := a.dispatcher.RunOnce(context.Background()); err != nil {
		a.t.Fatalf("browsertest: deliver: %v", err)
	}
}

// Tick moves the clock on by d, runs the scheduler once (queuing every
// prompt then due) and delivers what it queued; it returns how many
// prompts were queued.
func (a *App) Tick(d time.Duration) int {
	a.t.Helper()
	a.Clock.Advance(d)
	n, err := a.scheduler.RunOnce(context.Background())
	if err != nil {
		a.t.Fatalf("browsertest: scheduler: %v", err)
	}
	a.Deliver()
	return n
}

// testWriter sends the app's warnings and errors to the test log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
