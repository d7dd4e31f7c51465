package store

import (
	"context"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// Rejoin re-activates an unsubscribed subscriber at their own explicit
// request from the address itself (START texted from the number), which is
// the carriers' rule for SMS: no second opt-in round. The request and the
// confirmation are both recorded with the same wording, and the old
// schedule and time zone apply.
func (db *DB) Rejoin(ctx context.Context, id int64, consent steady.Consent, now time.Time,
	next func(steady.Subscriber) (time.Time, error)) (steady.Subscriber, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: rejoin %d: %w", id, err)
	}
	defer tx.rollback()
	sub, err := lockSubscriber(ctx, tx, id)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: rejoin %d: %w", id, err)
	}
	if sub.Status != steady.StatusUnsubscribed {
		return steady.Subscriber{}, fmt.Errorf("store: rejoin %d: %w: the subscriber is %s", id, steady.ErrConflict, sub.Status)
	}
	requested := consent
	requested.Action, requested.At = steady.ConsentRequested, now
	if err := insertConsent(ctx, tx, id, requested); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: rejoin %d: %w", id, err)
	}
	sub.Status = steady.StatusPending
	if err := updateSubscriber(ctx, tx, sub); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: rejoin %d: %w", id, err)
	}
	got, err := confirmSubscription(ctx, tx, id, consent, now, next)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: rejoin %d: %w", id, err)
	}
	if err := tx.commit(); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: rejoin %d: %w", id, err)
	}
	return got, nil
}
