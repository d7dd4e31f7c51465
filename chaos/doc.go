// Package chaos holds crash tests of the real binary (STYLE.md point 24):
// they build ./cmd/steady, run `steady serve` workers against one database
// and an in-process SMTP server (messages/smtptest) on 127.0.0.1, kill or
// stop them on a schedule, and count the outcome from the outside (what the
// SMTP server received, per recipient and per Message-ID) and the inside
// (the deliveries table). The package has no code of its own, only tests.
//
// TestChaosKill seeds STEADY_CHAOS_N active email subscribers all due in
// the same minute, starts the workers (three on PostgreSQL, one on SQLite,
// which allows one per file), waits for the first prompt, then for
// STEADY_CHAOS_DURATION SIGKILLs a random worker every 1–2 s and starts it
// again at once. When every subscriber has been received and the outbox is
// empty, or nothing has changed for 75 s, it stops the workers and prints
// one line per database:
//
//	chaos: due=500 received=… lost=… duplicates=… unknown=… sending=… kills=… workers=3 db=postgres took=…
//
// received and lost count subscribers with at least one prompt and with
// none; duplicates counts copies beyond the first; unknown and sending
// count email deliveries left in those states. The test fails on any loss,
// on any delivery left sending or unknown, and on more duplicates than
// kills × messages.DefaultSMTPConnections × scheduler.DefaultWindow (a
// worker sends on one SMTP session with up to the window of its messages
// unrecorded, so a kill can catch at most that many). The SMTP server answers each message after a delay
// chosen so that the whole batch takes about as long as the kill phase.
//
// TestGracefulStop does what Docker does to one worker, on PostgreSQL and
// on SQLite: with 20 subscribers due and an SMTP server that takes 2.5 s
// to accept each message, it sends SIGTERM while the first message is
// being accepted and SIGKILL if the worker is still there 10 s later; it
// logs whether the worker exited by itself and how long it took. It then
// starts the worker again with a fast SMTP server and requires every prompt
// to arrive, at most one per SMTP session twice. It prints a line starting
// "graceful:".
//
// Both skip unless STEADY_CHAOS_N is set, so `go test ./...` stays quick;
// the PostgreSQL subtests also need TEST_DATABASE_URL (see store/storetest).
// Each worker's stdout and stderr go to files under the test's temporary
// directory; the stderr tail is logged when a test fails. Run them with
//
//	export TEST_DATABASE_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
//	STEADY_CHAOS_N=500 go test -count=1 -run 'Chaos|Graceful' -v ./chaos
//
// and the big one (its kill phase lasts about a minute; allow for the
// default 10-minute test timeout) with
//
//	STEADY_CHAOS_N=10000 go test -count=1 -timeout 30m -run 'Chaos|Graceful' -v ./chaos
//
// STEADY_CHAOS_DURATION (e.g. 45s) overrides the kill phase, 30 s for up
// to 500 subscribers plus 3 s per further 1,000; STEADY_CHAOS_SEED replays
// a run's kill schedule (the seed is logged). See docs/CHAOS.md.
package chaos
