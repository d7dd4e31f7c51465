package scheduler

import (
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// A delivery queued again for at once (a zero backoff) is tried once a
// run, not in a loop: the drain remembers what it queued again.
func TestDispatcherTriesARequeuedDeliveryOnceARun(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		b := setup(t, db, at("2026-01-10 12:00"))
		d := queuedPrompt(t, b)
		var tries atomic.Int32
		disp, err := NewDispatcher(DispatcherConfig{
			Store: db, Sender: &recordingSender{fail: func(steady.Message) error {
				tries.Add(1)
				return errors.New("dial tcp 192.0.2.25:587: connection refused")
			}},
			Composer: testComposer{}, Clock: b.clock, MaxAttempts: 100, Logger: slog.New(slog.DiscardHandler),
			Backoff: func(int) time.Duration { return 0 },
		})
		if err != nil {
			t.Fatal(err)
		}
		now := at("2026-01-10 20:30")
		for run := 1; run <= 2; run++ {
			done := make(chan struct{})
			go func() {
				defer close(done)
				if _, err := disp.runOnce(t.Context(), now); err != nil {
					t.Errorf("run %d: %v", run, err)
				}
			}()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatalf("run %d did not end: %d tries so far", run, tries.Load())
			}
			if got := tries.Load(); got != int32(run) {
				t.Fatalf("after run %d: %d tries, want %d", run, got, run)
			}
		}
		if got := b.delivery(t, d.ID); got.Status != steady.DeliveryQueued || got.Attempts != 2 {
			t.Errorf("delivery %s after %d attempts, want queued after 2", got.Status, got.Attempts)
		}
	})
}
