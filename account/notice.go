package account

import (
	"context"
	"time"

	"github.com/steadyapp/steady"
)

// noticeDelay is how long after a change its notice waits in the outbox,
// so several changes in one visit make one message (store.QueueNotice);
// the dispatcher composes it from the settings as they are then.
const noticeDelay = 2 * time.Minute

// change makes a change through fn and queues the settings notice in the
// same transaction: the change and its one message are stored together
// or not at all, and the dispatcher sends the message once.
func (s *Settings) change(ctx context.Context, id int64, fn func(ctx context.Context) (steady.Subscriber, error)) (steady.Subscriber, error) {
	var got steady.Subscriber
	err := s.store.Atomically(ctx, func(ctx context.Context) error {
		var err error
		if got, err = fn(ctx); err != nil {
			return err
		}
		_, err = s.store.QueueNotice(ctx, id, s.clock.Now(), noticeDelay)
		return err
	})
	return got, err
}
