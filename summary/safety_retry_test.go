package summary

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// flakySender fails the first failures sends with err, then hands every
// message to next (the real preview sender).
type flakySender struct {
	next     Sender
	err      error
	failures int64
	calls    atomic.Int64
}

func (f *flakySender) Send(ctx context.Context, m steady.Message) (string, error) {
	if f.calls.Add(1) <= f.failures {
		return "", f.err
	}
	return f.next.Send(ctx, m)
}

// A safety note whose send fails for a passing reason (a 451, a dropped
// connection) is tried again SafetyRetryAfter later, SafetyAttempts times
// in all; one refused for good is not.
func TestSafetyNoteIsRetried(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name      string
		err       error
		failures  int64
		wantNotes int
		wantCalls int64
		// steady_safety_notes_total{channel="email"} by outcome.
		wantSent, wantRetry, wantFailed float64
	}{
		{"a 451 once", errors.New("messages: smtp: server replied 451 4.3.0"), 1, 1, 2, 1, 1, 0},
		{"down for good", errors.New("messages: smtp: connect: connection refused"), 100, 0, SafetyAttempts, 0, SafetyAttempts - 1, 1},
		{"refused", fmt.Errorf("messages: smtp: %w: 550", steady.ErrRejected), 100, 0, 1, 0, 0, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				now := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
				b := setup(t, db, now)
				sub := b.subscribe(t, "safe@example.org", "Europe/London", 8, steady.ChannelEmail)
				b.reply(t, sub, now.Add(-time.Hour), "he pushed me last night")
				flaky := &flakySender{next: messages.NewPreviewSender(db, b.clock), err: c.err, failures: c.failures}
				svc, err := New(Config{Store: db, Sender: flaky, Links: b.links, Clock: b.clock,
					Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: b.rec})
				if err != nil {
					t.Fatal(err)
				}
				// Every minute for an hour: the retries come at their time, no sooner.
				for at := now; at.Before(now.Add(time.Hour)); at = at.Add(time.Minute) {
					if err := svc.runOnce(context.Background(), at); err != nil {
						t.Fatal(err)
					}
				}
				if n := len(b.previews(t, sub.Address)); n != c.wantNotes {
					t.Errorf("%d safety notes sent, want %d", n, c.wantNotes)
				}
				if got := flaky.calls.Load(); got != c.wantCalls {
					t.Errorf("%d sends tried, want %d", got, c.wantCalls)
				}
				for outcome, want := range map[string]float64{"sent": c.wantSent, "retry": c.wantRetry, "failed": c.wantFailed} {
					if v, ok := b.rec.Value("steady_safety_notes_total", map[string]string{"channel": "email", "outcome": outcome}); !ok || v != want {
						t.Errorf("steady_safety_notes_total{%s} = %v, want %v", outcome, v, want)
					}
				}
			})
		})
	}
}
