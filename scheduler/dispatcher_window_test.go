package scheduler

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/steadyapp/steady"
	"github.com/steadyapp/steady/store"
	"github.com/steadyapp/steady/store/storetest"
)

// slowOutcomes is the real store whose transactions that record outcomes
// take a while, counting the outcomes it has committed.
type slowOutcomes struct {
	*store.DB
	mu       sync.Mutex
	recorded int
}

func (s *slowOutcomes) FinishAndClaim(ctx context.Context, done []store.Finished, want int, now, leaseUntil time.Time) ([]store.Claim, []error, error) {
	if len(done) > 0 {
		time.Sleep(10 * time.Millisecond)
	}
	claims, errs, err := s.DB.FinishAndClaim(ctx, done, want, now, leaseUntil)
	if err == nil {
		s.mu.Lock()
		for _, e := range errs {
			if e == nil {
				s.recorded++
			}
		}
		s.mu.Unlock()
	}
	return claims, errs, err
}

// A worker sends on while its outcomes commit, but never with Window of
// them unwritten: that is the most a crash can send twice.
func TestDispatcherWindowBoundsUnrecordedSends(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, window := range []int{1, 4} {
			t.Run(fmt.Sprintf("window=%d", window), func(t *testing.T) {
				const subscribers = 20
				start := at("2026-01-10 12:00")
				b := setup(t, db, start)
				slow := &slowOutcomes{DB: db}
				var err error
				b.disp, err = NewDispatcher(DispatcherConfig{Store: slow, Sender: b.sender, Composer: testComposer{},
					Clock: b.clock, Logger: b.disp.log, Window: window})
				if err != nil {
					t.Fatal(err)
				}
				sends, most := 0, 0
				b.sender.fail = func(steady.Message) error {
					// Sends run one at a time (one worker).
					slow.mu.Lock()
					unwritten := sends - slow.recorded
					slow.mu.Unlock()
					most = max(most, unwritten)
					sends++
					return nil
				}
				for i := range subscribers {
					b.subscribe(t, fmt.Sprintf("win%d-%d@example.com", window, i), "UTC", "daily 20:30", start)
				}
				if n := b.runDispatcher(t, start); n != subscribers {
					t.Fatalf("sent %d, want %d", n, subscribers)
				}
				// The slow commits let the worker fill its window.
				if most != window-1 {
					t.Errorf("at most %d sent messages were unrecorded at a send, want %d (Window %d)", most, window-1, window)
				}
				slow.mu.Lock()
				defer slow.mu.Unlock()
				if slow.recorded != subscribers {
					t.Errorf("%d outcomes recorded, want %d", slow.recorded, subscribers)
				}
			})
		}
	})
}
