package store

import (
	"context"
	"fmt"
	"time"
)

// QueueDepth is the outbox at a glance, for the metrics scrape: how many
// deliveries are queued (due or waiting for a retry) and how many are
// being sent, and the due time of the oldest queued delivery that is due
// at now (zero when none is due), which says how far the sender is behind.
// One query on the outbox index; no subscriber or message is read.
func (db *DB) QueueDepth(ctx context.Context, now time.Time) (queued, sending int, oldestDue time.Time, err error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return 0, 0, time.Time{}, fmt.Errorf("store: queue depth: %w", err)
	}
	defer tx.rollback()
	var row struct {
		Queued  int     `db:"queued"`
		Sending int     `db:"sending"`
		Oldest  utcTime `db:"oldest"`
	}
	if err := tx.get(ctx, &row, `SELECT
			COALESCE(SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END), 0) AS queued,
			COALESCE(SUM(CASE WHEN status = 'sending' THEN 1 ELSE 0 END), 0) AS sending,
			MIN(CASE WHEN status = 'queued' AND next_attempt_at <= ? THEN next_attempt_at END) AS oldest
		FROM deliveries WHERE status IN ('queued', 'sending')`, tx.ts(now)); err != nil {
		return 0, 0, time.Time{}, fmt.Errorf("store: queue depth: %w", err)
	}
	if err := tx.commit(); err != nil {
		return 0, 0, time.Time{}, fmt.Errorf("store: queue depth: %w", err)
	}
	return row.Queued, row.Sending, row.Oldest.time(), nil
}

// Ping checks that the database answers a query, for readiness checks.
func (db *DB) Ping(ctx context.Context) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	defer tx.rollback()
	var one int
	if err := tx.get(ctx, &one, `SELECT 1`); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}
