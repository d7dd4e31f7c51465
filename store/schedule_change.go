package store

import (
	"context"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// SetSchedule changes an active subscriber's time zone and schedule at
// once (their settings page) and moves next_slot to next(the changed
// subscriber). A pause in effect stays; next is expected to count from its
// end. Settings asked for by a repeat sign-up are dropped: the person has
// now chosen. Only an active subscriber's schedule changes; others get an
// error wrapping steady.ErrConflict, no subscriber steady.ErrNotFound.
func (db *DB) SetSchedule(ctx context.Context, id int64, timeZone string, sched steady.Schedule,
	next func(steady.Subscriber) (time.Time, error)) (steady.Subscriber, error) {
	if next == nil {
		return steady.Subscriber{}, fmt.Errorf("store: set schedule %d: no next-slot function given", id)
	}
	if _, err := steady.LoadLocation(timeZone); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: set schedule %d: %w", id, err)
	}
	if err := sched.Validate(); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: set schedule %d: %w", id, err)
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: set schedule %d: %w", id, err)
	}
	defer tx.rollback()
	sub, err := lockSubscriber(ctx, tx, id)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: set schedule %d: %w", id, err)
	}
	if sub.Status != steady.StatusActive {
		return steady.Subscriber{}, fmt.Errorf("store: set schedule %d: %w: the subscriber is %s", id, steady.ErrConflict, sub.Status)
	}
	sub.TimeZone, sub.Schedule = timeZone, sched
	sub.RequestedTimeZone, sub.RequestedSchedule = "", nil
	if sub.NextSlot, err = next(sub); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: set schedule %d: next slot: %w", id, err)
	}
	if err := updateSubscriber(ctx, tx, sub); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: set schedule %d: %w", id, err)
	}
	sub, err = getSubscriber(ctx, tx, id)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: set schedule %d: %w", id, err)
	}
	if err := tx.commit(); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: set schedule %d: %w", id, err)
	}
	return sub, nil
}
