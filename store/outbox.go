package store

import (
	"context"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// ClaimQueued takes up to limit queued deliveries whose next_attempt_at is
// not after now, oldest first, marks them sending (attempts+1, updated_at
// now) and returns them as updated. On PostgreSQL concurrent callers skip
// each other's rows.
func (db *DB) ClaimQueued(ctx context.Context, now time.Time, limit int) ([]steady.Delivery, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: claim queued: %w", err)
	}
	defer tx.rollback()
	ds, err := claimQueued(ctx, tx, now, limit)
	if err != nil {
		return nil, fmt.Errorf("store: claim queued: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: claim queued: %w", err)
	}
	return ds, nil
}

func claimQueued(ctx context.Context, tx *tx, now time.Time, limit int) ([]steady.Delivery, error) {
	var ids []int64
	if err := tx.sel(ctx, &ids, tx.dialect.claimQueued, tx.ts(now), limit); err != nil {
		return nil, err
	}
	ds := make([]steady.Delivery, 0, len(ids))
	for _, id := range ids {
		if _, err := tx.exec(ctx, `UPDATE deliveries SET status = 'sending', attempts = attempts + 1, updated_at = ?
			WHERE id = ?`, tx.ts(now), id); err != nil {
			return nil, err
		}
		d, err := getDelivery(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return ds, nil
}

// Outcome is how a send attempt ended.
type Outcome struct {
	// Status is sent, queued (retry at NextAttemptAt), failed, unknown or
	// cancelled.
	Status        steady.DeliveryStatus
	ProviderID    string // kept if empty
	Error         string // becomes last_error
	NextAttemptAt time.Time
	Now           time.Time
}

// FinishDelivery records the outcome of sending delivery id. The delivery
// must be sending (claimed by ClaimQueued); otherwise the error wraps
// steady.ErrConflict. A sent delivery gets sent_at = out.Now.
func (db *DB) FinishDelivery(ctx context.Context, id int64, out Outcome) error {
	if out.Now.IsZero() {
		return fmt.Errorf("store: finish delivery %d: no time given", id)
	}
	switch out.Status {
	case steady.DeliverySent, steady.DeliveryFailed, steady.DeliveryUnknown, steady.DeliveryCancelled:
	case steady.DeliveryQueued:
		if out.NextAttemptAt.IsZero() {
			return fmt.Errorf("store: finish delivery %d: %w", id, steady.Invalid("next_attempt_at", "a retry needs a time"))
		}
	default:
		return fmt.Errorf("store: finish delivery %d: %w", id, steady.Invalid("status", "%q is not an outcome", out.Status))
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: finish delivery %d: %w", id, err)
	}
	defer tx.rollback()
	if err := finishDelivery(ctx, tx, id, out); err != nil {
		return fmt.Errorf("store: finish delivery %d: %w", id, err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("store: finish delivery %d: %w", id, err)
	}
	return nil
}

func finishDelivery(ctx context.Context, tx *tx, id int64, out Outcome) error {
	d, err := getDelivery(ctx, tx, id)
	if err != nil {
		return err
	}
	if d.Status != steady.DeliverySending {
		return fmt.Errorf("%w: delivery is %s, not sending", steady.ErrConflict, d.Status)
	}
	d.Status, d.LastError, d.UpdatedAt = out.Status, out.Error, out.Now
	if out.ProviderID != "" {
		d.ProviderID = out.ProviderID
	}
	if out.Status == steady.DeliveryQueued {
		d.NextAttemptAt = out.NextAttemptAt
	}
	if out.Status == steady.DeliverySent {
		d.SentAt = out.Now
	}
	n, err := tx.exec(ctx, `UPDATE deliveries SET status = ?, provider_id = ?, last_error = ?,
			next_attempt_at = ?, updated_at = ?, sent_at = ?
		WHERE id = ? AND status = 'sending'`,
		string(d.Status), d.ProviderID, d.LastError, tx.ts(d.NextAttemptAt), tx.ts(d.UpdatedAt), tx.ts(d.SentAt), id)
	if err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("%w: delivery is no longer sending", steady.ErrConflict)
	}
	return nil
}

// ExpireSending marks deliveries stuck in sending since before stuckBefore
// (the process died mid-send) as unknown; they are never sent again by
// themselves. It returns how many it marked.
func (db *DB) ExpireSending(ctx context.Context, stuckBefore, now time.Time) (int, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: expire sending: %w", err)
	}
	defer tx.rollback()
	n, err := tx.exec(ctx, `UPDATE deliveries
		SET status = 'unknown', last_error = 'interrupted while sending; not retried automatically', updated_at = ?
		WHERE status = 'sending' AND updated_at < ?`, tx.ts(now), tx.ts(stuckBefore))
	if err != nil {
		return 0, fmt.Errorf("store: expire sending: %w", err)
	}
	if err := tx.commit(); err != nil {
		return 0, fmt.Errorf("store: expire sending: %w", err)
	}
	return int(n), nil
}
