package chaos

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/messages/smtptest"
	"github.com/steadyapp/steady/scheduler"
	"github.com/steadyapp/steady/store/storetest"
)

// firstPromptWithin bounds the wait for sending to begin: a binary that
// ticks only on the minute queues the seeded prompts within a minute.
const firstPromptWithin = 90 * time.Second

// stopGrace is how long a stopped worker gets between SIGTERM and SIGKILL,
// as with Docker's default.
const stopGrace = 10 * time.Second

// TestChaosKill SIGKILLs `steady serve` workers at random while they send
// one due prompt to each of STEADY_CHAOS_N subscribers, restarting each at
// once, then counts what the SMTP server got and what the database says.
// PostgreSQL runs three workers; SQLite, which allows one per file, one.
func TestChaosKill(t *testing.T) {
	n := chaosSize(t)
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		runKill(t, "postgres", storetest.PostgresURL(t), 3, n)
	})
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		runKill(t, "sqlite", filepath.Join(t.TempDir(), "steady.db"), 1, n)
	})
}

func runKill(t *testing.T, dialect, url string, workers, n int) {
	bin := steadyBinary(t)
	began := time.Now()
	addrs := seedDue(t, url, n, began)
	duration := killDuration(t, n)
	// Slow the SMTP server so that sending the whole batch takes about as
	// long as the kill phase, whatever N is: kills land mid-batch.
	// Each worker sends over messages.DefaultSMTPConnections sessions at once.
	delay := min(duration*time.Duration(workers*messages.DefaultSMTPConnections)/time.Duration(n), time.Second)
	seed := chaosSeed(t)
	t.Logf("%s: seed=%d (%s=%d replays the kill schedule) kill phase %v, %d worker(s), SMTP answers after %v; seeded %d in %v",
		dialect, seed, envSeed, seed, duration, workers, delay, n, time.Since(began).Round(time.Millisecond))

	tl := newTally()
	mail := smtptest.Start(t, smtptest.WithDelay(delay), smtptest.WithOnMessage(tl.add))
	raw := openRaw(t, url)
	ws := make([]*worker, workers)
	for i := range ws {
		ws[i] = newWorker(t, fmt.Sprintf("w%d", i+1), bin, workerEnv(url, mail.URL(), "5s"))
		if err := ws[i].start(); err != nil {
			t.Fatal(err)
		}
	}
	started := time.Now()
	if !tl.waitFirst(within(t, firstPromptWithin)) {
		t.Fatalf("no prompt arrived within %v of starting the workers", firstPromptWithin)
	}
	t.Logf("%s: first prompt %v after the workers started", dialect, time.Since(started).Round(10*time.Millisecond))

	rng := rand.New(rand.NewPCG(seed, seed>>32|1))
	kills := 0
	var schedule []string
	killStart := time.Now()
	for time.Since(killStart) < duration {
		time.Sleep(time.Second + time.Duration(rng.Int64N(int64(time.Second)))) // 1–2 s
		for _, w := range ws {
			if gone, err := w.exitedOnItsOwn(); gone {
				t.Errorf("%s exited by itself: %v; starting it again", w.name, exitText(err))
				if err := w.start(); err != nil {
					t.Fatal(err)
				}
			}
		}
		w := ws[rng.IntN(len(ws))]
		if w.kill() {
			kills++
			_, got := tl.counts()
			schedule = append(schedule, fmt.Sprintf("%s@%.1fs(%d)", w.name, time.Since(killStart).Seconds(), got))
		}
		if err := w.start(); err != nil {
			t.Fatal(err)
		}
	}
	_, got := tl.counts()
	t.Logf("%s: %d kills in %v, then %d of %d received; kills as worker@time(received): %s",
		dialect, kills, time.Since(killStart).Round(100*time.Millisecond), got, n, strings.Join(schedule, " "))

	why := settle(t, tl, raw, n, 2*time.Minute+duration)
	t.Logf("%s: settled: %s", dialect, why)
	for _, w := range ws {
		if gone, err := w.exitedOnItsOwn(); gone {
			t.Errorf("%s exited by itself: %v", w.name, exitText(err))
		}
		if r := w.stop(stopGrace); !r.byItself {
			t.Logf("%s: at the end it %v", w.name, r)
		}
	}

	o := count(t, tl, raw, addrs)
	fmt.Printf("chaos: %v kills=%d workers=%d db=%s took=%v\n", o, kills, workers, dialect, time.Since(began).Round(100*time.Millisecond))
	t.Logf("%s: %s", dialect, o.details())
	o.checkDelivered(t)
	// A kill can catch, per SMTP session, the messages sent and not yet
	// recorded: at most the dispatcher's window.
	perKill := messages.DefaultSMTPConnections * scheduler.DefaultWindow
	if most := kills * perKill; o.duplicates > most {
		t.Errorf("%d duplicate prompts after %d kills; each kill may cost at most %d", o.duplicates, kills, perKill)
	}
}
