package store

import (
	"context"
	"time"

	"github.com/steadyapp/steady"
)

// resendDue reports whether RequestSubscription may queue a new
// confirmation for sub: none was queued in the last ResendAfter, or the
// last one has been used already (confirmed at or after it was queued: a
// person who confirmed, left and signs up again needs a fresh link), or
// every confirmation queued since then failed or was cancelled (one that
// never reached the person must not block the next).
func resendDue(ctx context.Context, tx *tx, sub steady.Subscriber, req SubscriptionRequest) (bool, error) {
	if sub.ConfirmSentAt.IsZero() || !req.Now.Before(sub.ConfirmSentAt.Add(req.ResendAfter)) {
		return true, nil
	}
	if !sub.ConfirmedAt.IsZero() && !sub.ConfirmedAt.Before(sub.ConfirmSentAt) && sub.Status == steady.StatusUnsubscribed {
		return true, nil
	}
	var standing int
	err := tx.get(ctx, &standing, `SELECT COUNT(*) FROM deliveries
		WHERE subscriber_id = ? AND kind = 'confirm' AND created_at >= ? AND status NOT IN ('failed', 'cancelled')`,
		sub.ID, tx.ts(req.Now.Add(-req.ResendAfter).Add(-time.Second)))
	if err != nil {
		return false, err
	}
	return standing == 0, nil
}
