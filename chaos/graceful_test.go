package chaos

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/store/storetest"
)

// Sizes of TestGracefulStop.
const (
	gracefulN  = 20
	slowAccept = 2500 * time.Millisecond // per message, on the slow server
)

// TestGracefulStop stops one worker the way Docker does, SIGTERM and
// SIGKILL 10 s later, while it sends to a slow SMTP server; then starts it
// again with a fast server and checks that every prompt arrives, at most
// one of them twice (the one in flight at the SIGTERM). It runs when
// STEADY_CHAOS_N is set, whatever its value.
func TestGracefulStop(t *testing.T) {
	chaosSize(t)
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		runGraceful(t, "postgres", storetest.PostgresURL(t))
	})
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		runGraceful(t, "sqlite", filepath.Join(t.TempDir(), "steady.db"))
	})
}

func runGraceful(t *testing.T, dialect, url string) {
	bin := steadyBinary(t)
	began := time.Now()
	addrs := seedDue(t, url, gracefulN, began)
	raw := openRaw(t, url)
	tl := newTally()

	slow := smtptest.Start(t, smtptest.WithDelay(slowAccept), smtptest.WithOnMessage(tl.add))
	w := newWorker(t, "w1", bin, workerEnv(url, slow.URL()))
	if err := w.start(); err != nil {
		t.Fatal(err)
	}
	if !tl.waitFirst(within(t, firstPromptWithin)) {
		t.Fatalf("no prompt arrived within %v of starting the worker", firstPromptWithin)
	}
	// The first message has been read; its 250 comes slowAccept later.
	stopped := w.stop(stopGrace)
	before, _ := tl.counts()
	t.Logf("%s: SIGTERM while the first prompt was being accepted: the worker %v; %d received so far",
		dialect, stopped, before)

	fast := smtptest.Start(t, smtptest.WithOnMessage(tl.add))
	w2 := newWorker(t, "w1-again", bin, workerEnv(url, fast.URL()))
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
	if o.lost > 0 {
		t.Errorf("%d of %d subscribers got no prompt (lost)", o.lost, gracefulN)
	}
	if o.duplicates > 1 {
		t.Errorf("%d duplicate prompts after one SIGTERM; want at most 1", o.duplicates)
	}
	if o.strangers > 0 {
		t.Errorf("%d messages went to addresses nobody seeded", o.strangers)
	}
}
