package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// Bounce is one delivery status notification about a prompt.
type Bounce struct {
	SubscriberID int64
	DeliveryID   int64 // 0 if the notification named no delivery
	SourceID     string
	ReceivedAt   time.Time
}

// BounceResult is what RecordBounce did.
type BounceResult struct {
	Created bool // false if SourceID was recorded before
	// Count is the subscriber's bounced deliveries since they last
	// confirmed: several notifications about one delivery count once (a
	// notification that named no delivery counts on its own).
	Count int
	// BouncingAt is when the subscriber's address was marked bouncing, or
	// zero; once set, the scheduler queues no more prompts for them.
	BouncingAt time.Time
}

// RecordBounce stores a bounce unless its SourceID was recorded before, and
// marks the subscriber's address bouncing (cancelling their queued
// deliveries with last_error "bouncing") once threshold of their
// deliveries have bounced. Every notification is kept, but one delivery
// counts once however many notifications name it: a mail server that
// reports one failure twice, or a replayed report, cannot add to the count.
func (db *DB) RecordBounce(ctx context.Context, b Bounce, threshold int) (BounceResult, error) {
	if b.SubscriberID == 0 || b.SourceID == "" || b.ReceivedAt.IsZero() || threshold < 1 {
		return BounceResult{}, fmt.Errorf("store: record bounce: %w", steady.Invalid("bounce", "a bounce needs a subscriber, a source id, a time and a threshold of at least 1"))
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return BounceResult{}, fmt.Errorf("store: record bounce: %w", err)
	}
	defer tx.rollback()
	res, err := recordBounce(ctx, tx, b, threshold)
	if err != nil {
		return BounceResult{}, fmt.Errorf("store: record bounce for %d: %w", b.SubscriberID, err)
	}
	if err := tx.commit(); err != nil {
		return BounceResult{}, fmt.Errorf("store: record bounce: %w", err)
	}
	return res, nil
}

func recordBounce(ctx context.Context, tx *tx, b Bounce, threshold int) (BounceResult, error) {
	if _, err := lockSubscriber(ctx, tx, b.SubscriberID); err != nil {
		return BounceResult{}, err
	}
	var deliveryID sql.NullInt64
	if b.DeliveryID != 0 {
		d, err := getDelivery(ctx, tx, b.DeliveryID)
		if err != nil && !errors.Is(err, steady.ErrNotFound) {
			return BounceResult{}, err
		}
		if err == nil && d.SubscriberID == b.SubscriberID {
			deliveryID = sql.NullInt64{Int64: b.DeliveryID, Valid: true}
		}
	}
	n, err := tx.exec(ctx, `INSERT INTO bounces (subscriber_id, delivery_id, source_id, received_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (source_id) DO NOTHING`,
		b.SubscriberID, deliveryID, b.SourceID, tx.ts(b.ReceivedAt))
	if err != nil {
		return BounceResult{}, err
	}
	res := BounceResult{Created: n == 1}
	// Distinct deliveries, plus each notification that named none.
	if err := tx.get(ctx, &res.Count, `SELECT COUNT(DISTINCT delivery_id) + COUNT(*) - COUNT(delivery_id)
		FROM bounces WHERE subscriber_id = ?`, b.SubscriberID); err != nil {
		return BounceResult{}, err
	}
	var at utcTime
	if err := tx.get(ctx, &at, `SELECT bouncing_at FROM subscribers WHERE id = ?`, b.SubscriberID); err != nil {
		return BounceResult{}, err
	}
	res.BouncingAt = at.time()
	if res.Count >= threshold && res.BouncingAt.IsZero() {
		res.BouncingAt = b.ReceivedAt.UTC().Truncate(time.Microsecond)
		if _, err := tx.exec(ctx, `UPDATE subscribers SET bouncing_at = ? WHERE id = ?`, tx.ts(b.ReceivedAt), b.SubscriberID); err != nil {
			return BounceResult{}, err
		}
		if _, err := tx.exec(ctx, `UPDATE deliveries SET status = 'cancelled', last_error = 'bouncing', updated_at = ?
			WHERE subscriber_id = ? AND status = 'queued'`, tx.ts(b.ReceivedAt), b.SubscriberID); err != nil {
			return BounceResult{}, fmt.Errorf("cancelling deliveries: %w", err)
		}
	}
	return res, nil
}

// BouncingSince returns when the subscriber's address was marked bouncing,
// or the zero time if it is not.
func (db *DB) BouncingSince(ctx context.Context, subscriberID int64) (time.Time, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: bouncing since: %w", err)
	}
	defer tx.rollback()
	var at utcTime
	if err := tx.get(ctx, &at, `SELECT bouncing_at FROM subscribers WHERE id = ?`, subscriberID); err != nil {
		return time.Time{}, fmt.Errorf("store: bouncing since %d: %w", subscriberID, notFound(err))
	}
	if err := tx.commit(); err != nil {
		return time.Time{}, fmt.Errorf("store: bouncing since: %w", err)
	}
	return at.time(), nil
}

// Bounces returns the subscriber's recorded bounces, oldest first.
func (db *DB) Bounces(ctx context.Context, subscriberID int64) ([]Bounce, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: bounces of %d: %w", subscriberID, err)
	}
	defer tx.rollback()
	var rows []struct {
		SubscriberID int64         `db:"subscriber_id"`
		DeliveryID   sql.NullInt64 `db:"delivery_id"`
		SourceID     string        `db:"source_id"`
		ReceivedAt   utcTime       `db:"received_at"`
	}
	if err := tx.sel(ctx, &rows, `SELECT subscriber_id, delivery_id, source_id, received_at
		FROM bounces WHERE subscriber_id = ? ORDER BY received_at, id`, subscriberID); err != nil {
		return nil, fmt.Errorf("store: bounces of %d: %w", subscriberID, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: bounces of %d: %w", subscriberID, err)
	}
	out := make([]Bounce, len(rows))
	for i, r := range rows {
		out[i] = Bounce{SubscriberID: r.SubscriberID, DeliveryID: r.DeliveryID.Int64, SourceID: r.SourceID, ReceivedAt: r.ReceivedAt.time()}
	}
	return out, nil
}

// clearBounces forgets a subscriber's bounces: a confirmed link proves the
// address receives mail again.
func clearBounces(ctx context.Context, tx *tx, subscriberID int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM bounces WHERE subscriber_id = ?`, subscriberID); err != nil {
		return fmt.Errorf("clearing bounces: %w", err)
	}
	if _, err := tx.exec(ctx, `UPDATE subscribers SET bouncing_at = NULL WHERE id = ?`, subscriberID); err != nil {
		return fmt.Errorf("clearing bounces: %w", err)
	}
	return nil
}
