package store

import (
	"context"
	"fmt"

	"github.com/steadyapp/steady"
)

// DefaultSubscriberPage is how many subscribers EachSubscriber reads at a
// time when it is given no batch size.
const DefaultSubscriberPage = 1000

// EachSubscriber calls fn with every subscriber, in id order, reading
// batch of them at a time (DefaultSubscriberPage when batch <= 0), each
// page in a short transaction of its own, so memory stays flat however
// many there are and no transaction is open while fn runs. A subscriber
// added or changed during the walk may or may not be seen; every one
// present throughout is seen exactly once. An error from fn stops the walk
// and is returned as it is.
func (db *DB) EachSubscriber(ctx context.Context, batch int, fn func(steady.Subscriber) error) error {
	if batch <= 0 {
		batch = DefaultSubscriberPage
	}
	var after int64
	for {
		page, err := db.subscriberPage(ctx, after, batch)
		if err != nil {
			return fmt.Errorf("store: each subscriber: %w", err)
		}
		for _, s := range page {
			if err := fn(s); err != nil {
				return err
			}
		}
		if len(page) < batch {
			return nil
		}
		after = page[len(page)-1].ID
	}
}

// subscriberPage is up to limit subscribers whose id is after after, in
// id order (keyset paging: each page is one index range scan), on the
// read pool.
func (db *DB) subscriberPage(ctx context.Context, after int64, limit int) ([]steady.Subscriber, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.rollback()
	var rows []subscriberRow
	if err := tx.sel(ctx, &rows, `SELECT `+subscriberColumns+` FROM subscribers WHERE id > ? ORDER BY id LIMIT ?`, after, limit); err != nil {
		return nil, err
	}
	subs := make([]steady.Subscriber, 0, len(rows))
	for _, r := range rows {
		s, err := r.subscriber()
		if err != nil {
			return nil, err
		}
		subs = append(subs, s)
	}
	return subs, tx.commit()
}
