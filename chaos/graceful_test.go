package chaos

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/store/storetest"
)

// Sizes of TestGracefulStop.
const (
	gracefulN  = 20
	slowAccept = 2500 * time.Millisecond // per message, on the slow server
	// gracefulSendTimeout leaves a slow message time to be accepted: the
	// SMTP conversation is allowed the send timeout.
	gracefulSendTimeout = "10s"
)

// TestGracefulStop stops one worker the way Docker does, SIGTERM and
// SIGKILL 10 s later, while it sends to a slow SMTP server; then starts it
// again with a fast server and checks that every prompt arrives, at most
// messages.DefaultSMTPConnections of them twice (those in flight at the
// SIGTERM, one per SMTP session). It runs when
// STEADY_CHAOS_N is set, whatever its value.
//
// A second case, "slower than the grace", has the server take 20 s to
// answer and the worker run with its default timeouts (a 25 s send
// timeout, an 8 s shutdown timeout): the send in flight is cut short at
// the shutdown deadline, the worker exits before Docker's SIGKILL, and
// the restarted worker sends that prompt again once its lease runs out.
func TestGracefulStop(t *testing.T) {
	chaosSize(t)
	for _, c := range []struct {
		name   string
		accept time.Duration
		vars   func(url, smtpURL string) map[string]string
	}{
		{"", slowAccept, func(url, smtpURL string) map[string]string {
			return workerEnv(url, smtpURL, gracefulSendTimeout)
		}},
		{"slower than the grace/", 20 * time.Second, func(url, smtpURL string) map[string]string {
			env := workerEnv(url, smtpURL, "25s")
			delete(env, "STEADY_SEND_TIMEOUT")
			delete(env, "STEADY_SHUTDOWN_TIMEOUT")
			return env
		}},
	} {
		t.Run(c.name+"postgres", func(t *testing.T) {
			t.Parallel()
			url := storetest.PostgresURL(t)
			runGraceful(t, "postgres", url, c.accept, c.vars)
		})
		t.Run(c.name+"sqlite", func(t *testing.T) {
			t.Parallel()
			runGraceful(t, "sqlite", filepath.Join(t.TempDir(), "steady.db"), c.accept, c.vars)
		})
	}
}

func runGraceful(t *testing.T, dialect, url string, accept time.Duration, vars func(url, smtpURL string) map[string]string) {
	bin := steadyBinary(t)
	began := time.Now()
	addrs := seedDue(t, url, gracefulN, began)
	raw := openRaw(t, url)
	tl := newTally()

	slow := smtptest.Start(t, smtptest.WithDelay(accept), smtptest.WithOnMessage(tl.add))
	w := newWorker(t, "w1", bin, vars(url, slow.URL()))
	if err := w.start(); err != nil {
		t.Fatal(err)
	}
	if !tl.waitFirst(within(t, firstPromptWithin)) {
		t.Fatalf("no prompt arrived within %v of starting the worker", firstPromptWithin)
	}
	// The first message has been read; its 250 comes accept later.
	stopped := w.stop(stopGrace)
	before, _ := tl.counts()
	t.Logf("%s: SIGTERM while the first prompt was being accepted: the worker %v; %d received so far",
		dialect, stopped, before)

	fast := smtptest.Start(t, smtptest.WithOnMessage(tl.add))
	w2 := newWorker(t, "w1-again", bin, vars(url, fast.URL()))
	if err := w2.start(); err != nil {
		t.Fatal(err)
	}
	why := settle(t, tl, raw, gracefulN, 2*time.Minute)
	t.Logf("%s: settled: %s", dialect, why)
	if gone, err := w2.exitedOnItsOwn(); gone {
		t.Errorf("%s exited by itself: %v", w2.name, exitText(err))
	}
	w2.stop(stopGrace)

	o := count(t, tl, raw, addrs)
	fmt.Printf("graceful: %v exited_by_itself=%t stop_took=%v workers=1 db=%s took=%v\n",
		o, stopped.byItself, stopped.took.Round(10*time.Millisecond), dialect, time.Since(began).Round(100*time.Millisecond))
	t.Logf("%s: %s", dialect, o.details())
	o.checkDelivered(t)
	if o.duplicates > messages.DefaultSMTPConnections {
		t.Errorf("%d duplicate prompts after one SIGTERM; want at most %d, one per SMTP session", o.duplicates, messages.DefaultSMTPConnections)
	}
}
