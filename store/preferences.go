package store

import (
	"context"
	"fmt"

	"github.com/steadyapp/steady"
)

// SetPreferences stores the subscriber's own choices (discreet mode, the
// monthly summary, resurfacing) and returns the subscriber as stored. It
// returns an error wrapping steady.ErrNotFound if there is no such
// subscriber.
func (db *DB) SetPreferences(ctx context.Context, id int64, p steady.Preferences) (steady.Subscriber, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: set preferences %d: %w", id, err)
	}
	defer tx.rollback()
	n, err := tx.exec(ctx, `UPDATE subscribers SET discreet = ?, summaries_off = ?, resurface = ? WHERE id = ?`,
		flag(p.Discreet), flag(p.SummariesOff), flag(p.Resurface), id)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: set preferences %d: %w", id, err)
	}
	if n == 0 {
		return steady.Subscriber{}, fmt.Errorf("store: set preferences %d: %w", id, steady.ErrNotFound)
	}
	sub, err := getSubscriber(ctx, tx, id)
	if err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: set preferences %d: %w", id, err)
	}
	if err := tx.commit(); err != nil {
		return steady.Subscriber{}, fmt.Errorf("store: set preferences %d: %w", id, err)
	}
	return sub, nil
}

// flag is a boolean as the 0/1 integer both schemas keep.
func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}
