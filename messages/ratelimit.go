package messages

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/steadyapp/steady"
)

// RateLimited lets at most a fixed number of messages per second through
// to a sender, evenly spaced: Twilio queues, and then fails, what a long
// code (1 per second) or a messaging service cannot take.
type RateLimited struct {
	next     Sender
	interval time.Duration
	clock    steady.Clock
	wait     func(ctx context.Context, d time.Duration) error

	mu   sync.Mutex
	free time.Time // the earliest time the next send may start
}

var _ Sender = (*RateLimited)(nil)

// NewRateLimited wraps next so that sends start at least 1/mps apart by
// clock. wait blocks for d or until ctx ends; nil means a real timer (tests
// pass one that moves a steady.ManualClock instead of sleeping).
func NewRateLimited(next Sender, mps float64, clock steady.Clock, wait func(ctx context.Context, d time.Duration) error) (*RateLimited, error) {
	if next == nil {
		return nil, fmt.Errorf("messages: rate limit: no sender")
	}
	if !(mps > 0) || mps > 1000 {
		return nil, fmt.Errorf("messages: rate limit: %v messages per second is not between 0 and 1000", mps)
	}
	if clock == nil {
		clock = steady.SystemClock{}
	}
	if wait == nil {
		wait = sleep
	}
	return &RateLimited{next: next, interval: time.Duration(float64(time.Second) / mps), clock: clock, wait: wait}, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Send waits for its turn, then sends. If ctx ends while waiting, nothing
// is sent and the error says so (a retry, not an unknown outcome).
func (l *RateLimited) Send(ctx context.Context, m steady.Message) (string, error) {
	l.mu.Lock()
	now := l.clock.Now()
	start := now
	if l.free.After(now) {
		start = l.free
	}
	l.free = start.Add(l.interval)
	l.mu.Unlock()
	if d := start.Sub(now); d > 0 {
		if err := l.wait(ctx, d); err != nil {
			return "", fmt.Errorf("messages: rate limit: not sent: %w", err)
		}
	}
	return l.next.Send(ctx, m)
}
