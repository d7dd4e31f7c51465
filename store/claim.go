package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// PlanFunc decides what a due subscriber is sent. lastPromptID is the
// prompt id of their latest prompt delivery, or "". It returns the delivery
// to queue (SubscriberID, Kind, Channel, Slot, PromptID, Theme, PromptText)
// and the subscriber's next slot.
type PlanFunc func(sub steady.Subscriber, lastPromptID string) (d steady.Delivery, next time.Time, err error)

// ClaimDue queues the prompts that are due, in one transaction: up to limit
// active subscribers whose next_slot is not after now, earliest first (on
// PostgreSQL, rows another worker holds are skipped). For each, plan says
// what to queue and when the next slot is; the delivery is inserted unless
// that (subscriber, kind, slot) exists already, and next_slot moves only if
// it still holds the claimed value. It returns how many deliveries were
// inserted.
//
// A subscriber whose plan fails gets next_slot NULL, so it is not claimed
// again every minute, and the others carry on; the transaction commits and
// the failures are returned joined, each naming its subscriber.
func (db *DB) ClaimDue(ctx context.Context, now time.Time, limit int, plan PlanFunc) (int, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: claim due: %w", err)
	}
	defer tx.rollback()
	n, planErrs, err := claimDue(ctx, tx, now, limit, plan)
	if err != nil {
		return 0, fmt.Errorf("store: claim due: %w", err)
	}
	if err := tx.commit(); err != nil {
		return 0, fmt.Errorf("store: claim due: %w", err)
	}
	if len(planErrs) > 0 {
		return n, fmt.Errorf("store: claim due: %w", errors.Join(planErrs...))
	}
	return n, nil
}

// claimDue returns the number inserted, the per-subscriber plan failures,
// and an error only for a database failure (which aborts the transaction).
func claimDue(ctx context.Context, tx *tx, now time.Time, limit int, plan PlanFunc) (int, []error, error) {
	var rows []subscriberRow
	if err := tx.sel(ctx, &rows, tx.dialect.claimDue, tx.ts(now), limit); err != nil {
		return 0, nil, err
	}
	inserted := 0
	var planErrs []error
	for _, r := range rows {
		ok, err := claimOne(ctx, tx, r, now, plan)
		var pe *planError
		switch {
		case errors.As(err, &pe):
			planErrs = append(planErrs, fmt.Errorf("subscriber %d: %w", r.ID, err))
			if _, err := tx.exec(ctx, `UPDATE subscribers SET next_slot = NULL WHERE id = ? AND next_slot = ?`,
				r.ID, tx.ts(r.NextSlot.time())); err != nil {
				return 0, nil, fmt.Errorf("subscriber %d: %w", r.ID, err)
			}
		case err != nil:
			return 0, nil, fmt.Errorf("subscriber %d: %w", r.ID, err)
		case ok:
			inserted++
		}
	}
	return inserted, planErrs, nil
}

// planError is a failure of one subscriber's plan, as opposed to a
// database failure.
type planError struct{ err error }

func (e *planError) Error() string { return e.err.Error() }
func (e *planError) Unwrap() error { return e.err }

// claimOne plans and queues one due subscriber's delivery and moves their
// next slot. inserted says whether a delivery was written. A failure of the
// plan (or of the stored row it is given) is a *planError.
func claimOne(ctx context.Context, tx *tx, r subscriberRow, now time.Time, plan PlanFunc) (inserted bool, err error) {
	sub, err := r.subscriber()
	if err != nil {
		return false, &planError{err}
	}
	last, err := lastPromptID(ctx, tx, sub.ID)
	if err != nil {
		return false, err
	}
	d, next, err := plan(sub, last)
	if err != nil {
		return false, &planError{err}
	}
	if d.SubscriberID != sub.ID {
		return false, &planError{fmt.Errorf("plan returned a delivery for subscriber %d", d.SubscriberID)}
	}
	if err := checkNewDelivery(d); err != nil {
		return false, &planError{err}
	}
	if inserted, err = insertDelivery(ctx, tx, d, now); err != nil {
		return false, err
	}
	if _, err := tx.exec(ctx, `UPDATE subscribers SET next_slot = ? WHERE id = ? AND next_slot = ?`,
		tx.ts(next), sub.ID, tx.ts(sub.NextSlot)); err != nil {
		return false, err
	}
	return inserted, nil
}
