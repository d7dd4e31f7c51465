package store

import (
	"context"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// QueueNotice queues a settings notice for an active subscriber (see
// steady.NoticePromptID), due at now+delay, unless one is still queued:
// the dispatcher composes it from the subscriber as they are when it is
// sent, so several changes within delay make one message. queued says
// whether this call queued one. A subscriber who is not active gets none
// (no error); no subscriber, an error wrapping steady.ErrNotFound.
func (db *DB) QueueNotice(ctx context.Context, id int64, now time.Time, delay time.Duration) (queued bool, err error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return false, fmt.Errorf("store: queue notice %d: %w", id, err)
	}
	defer tx.rollback()
	if queued, err = queueNotice(ctx, tx, id, now, delay); err != nil {
		return false, fmt.Errorf("store: queue notice %d: %w", id, err)
	}
	if err := tx.commit(); err != nil {
		return false, fmt.Errorf("store: queue notice %d: %w", id, err)
	}
	return queued, nil
}

// queueNotice is QueueNotice inside tx.
func queueNotice(ctx context.Context, tx *tx, id int64, now time.Time, delay time.Duration) (queued bool, err error) {
	sub, err := lockSubscriber(ctx, tx, id)
	if err != nil {
		return false, err
	}
	if sub.Status != steady.StatusActive {
		return false, nil
	}
	var waiting int
	if err := tx.get(ctx, &waiting, `SELECT COUNT(*) FROM deliveries
		WHERE subscriber_id = ? AND kind = 'confirm' AND prompt_id = ? AND status = 'queued'`, id, steady.NoticePromptID); err != nil {
		return false, err
	}
	if waiting == 0 {
		due := now.Add(delay)
		n, err := tx.exec(ctx, `INSERT INTO deliveries (subscriber_id, kind, channel, slot, prompt_id, theme, prompt_text,
				status, attempts, next_attempt_at, provider_id, last_error, created_at, updated_at)
			VALUES (?, 'confirm', ?, ?, ?, '', '', 'queued', 0, ?, '', '', ?, ?)
			ON CONFLICT (subscriber_id, kind, slot) DO NOTHING`,
			id, string(sub.Channel), tx.ts(now.Truncate(time.Second)), steady.NoticePromptID, tx.ts(due), tx.ts(now), tx.ts(now))
		if err != nil {
			return false, err
		}
		queued = n == 1
	}
	return queued, nil
}
