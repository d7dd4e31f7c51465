package summary

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/messages"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// A summary whose send failed (the server could not be reached) is sent
// once more by Retry, as it was stored, and never again after that; of two
// Retry calls at once one sends. One that was sent is not sent again.
func TestFailedSummaryIsRetriedOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
		b := setup(t, db, now)
		sub := b.subscribe(t, "retry@example.org", "Europe/London", 8, steady.ChannelEmail)
		b.reply(t, sub, time.Date(2026, 11, 3, 12, 0, 0, 0, time.UTC), "he lied about the money")
		b.reply(t, sub, time.Date(2026, 11, 17, 12, 0, 0, 0, time.UTC), "he lied again")
		flaky := &flakySender{next: messages.NewPreviewSender(db, b.clock), err: errors.New("messages: smtp: connect: connection refused"), failures: 1}
		svc, err := New(Config{Store: db, Sender: flaky, Links: b.links, Clock: b.clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		nov := Month{2026, time.November}
		if res, err := svc.Send(ctx, sub, nov, false); err == nil || res.Outcome != OutcomeFailed || res.Record.Status != steady.SummaryFailed {
			t.Fatalf("first send: %v %v %v, want failed", res.Outcome, res.Record.Status, err)
		}
		if res, err := svc.Send(ctx, sub, nov, false); err != nil || res.Outcome != OutcomeAlready || res.Record.Status != steady.SummaryFailed {
			t.Fatalf("second Send: %v %v %v, want already (failed): Send never retries", res.Outcome, res.Record.Status, err)
		}
		var wg sync.WaitGroup
		results := make([]Result, 2)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var err error
				if results[i], err = svc.Retry(ctx, sub, nov); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		sent := 0
		for _, r := range results {
			if r.Outcome == OutcomeSent {
				sent++
			}
		}
		if sent != 1 {
			t.Errorf("two Retry calls at once: %v and %v, want one sent", results[0].Outcome, results[1].Outcome)
		}
		if res, err := svc.Retry(ctx, sub, nov); err != nil || res.Outcome != OutcomeAlready || res.Record.Status != steady.SummarySent {
			t.Errorf("Retry after it was sent: %v %v %v, want already (sent)", res.Outcome, res.Record.Status, err)
		}
		if n := len(b.previews(t, sub.Address)); n != 1 {
			t.Errorf("%d summaries delivered, want 1", n)
		}
		if got := flaky.calls.Load(); got != 2 {
			t.Errorf("%d sends tried, want 2 (the failure and the retry)", got)
		}
	})
}
