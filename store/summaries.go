package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

const summaryColumns = `id, subscriber_id, month, channel, status, data, provider_id, last_error, created_at, updated_at`

type summaryRow struct {
	ID           int64   `db:"id"`
	SubscriberID int64   `db:"subscriber_id"`
	Month        string  `db:"month"`
	Channel      string  `db:"channel"`
	Status       string  `db:"status"`
	Data         string  `db:"data"`
	ProviderID   string  `db:"provider_id"`
	LastError    string  `db:"last_error"`
	CreatedAt    utcTime `db:"created_at"`
	UpdatedAt    utcTime `db:"updated_at"`
}

// record is the row as a SummaryRecord, its data opened.
func (r summaryRow) record(t *tx) (steady.SummaryRecord, error) {
	data, err := t.open(summaryData, r.ID, r.Data, r.SubscriberID, r.Month)
	if err != nil {
		return steady.SummaryRecord{}, err
	}
	return steady.SummaryRecord{
		ID: r.ID, SubscriberID: r.SubscriberID, Month: r.Month, Channel: steady.Channel(r.Channel),
		Status: steady.SummaryStatus(r.Status), Data: []byte(data), ProviderID: r.ProviderID,
		LastError: r.LastError, CreatedAt: r.CreatedAt.time(), UpdatedAt: r.UpdatedAt.time(),
	}, nil
}

// claimSummaryQuery writes a summary row only for a subscriber that
// exists and has no summary for the month yet.
const claimSummaryQuery = `INSERT INTO summaries (subscriber_id, month, channel, status, data, provider_id, last_error, created_at, updated_at)
	SELECT ?, ?, ?, 'sending', ?, '', '', ?, ? WHERE EXISTS (SELECT 1 FROM subscribers WHERE id = ?)
	ON CONFLICT (subscriber_id, month) DO NOTHING
	RETURNING id`

// alone reports whether a one-statement write may run outside a
// transaction: on PostgreSQL (SQLite's writes go through group commits),
// not inside Atomically.
func (db *DB) alone(ctx context.Context) bool {
	_, nested := ctx.Value(txKey{db}).(*tx)
	return db.commits == nil && !nested
}

// ClaimSummary writes the subscriber's summary for month as sending, unless
// one exists. created is true only for the caller that wrote it: that
// caller, and nobody else, sends it. Two concurrent callers can never both
// get created true (UNIQUE (subscriber_id, month)).
func (db *DB) ClaimSummary(ctx context.Context, subscriberID int64, month string, ch steady.Channel, data []byte, now time.Time) (rec steady.SummaryRecord, created bool, err error) {
	if db.alone(ctx) {
		// PostgreSQL: the INSERT on its own, one round trip. Only when it
		// writes nothing is the transaction below needed, to say why.
		t := &tx{dialect: db.dialect, keys: db.keys}
		var id int64
		err := db.db.QueryRowxContext(ctx, db.db.Rebind(claimSummaryQuery), cleanArgs([]any{subscriberID, month, string(ch),
			t.seal(summaryData, string(data), subscriberID, month), t.ts(now), t.ts(now), subscriberID})...).Scan(&id)
		switch {
		case err == nil:
			at := now.UTC().Truncate(time.Microsecond)
			return steady.SummaryRecord{ID: id, SubscriberID: subscriberID, Month: month, Channel: ch, Status: steady.SummarySending,
				Data: data, CreatedAt: at, UpdatedAt: at}, true, nil
		case !errors.Is(err, sql.ErrNoRows):
			return rec, false, fmt.Errorf("store: claim summary: %w", err)
		}
	}
	// In Atomically, so that on SQLite the claims of concurrent workers
	// share one commit (store/commits.go).
	err = db.Atomically(ctx, func(ctx context.Context) error {
		rec, created, err = db.claimSummary(ctx, subscriberID, month, ch, data, now)
		return err
	})
	return rec, created, err
}

func (db *DB) claimSummary(ctx context.Context, subscriberID int64, month string, ch steady.Channel, data []byte, now time.Time) (rec steady.SummaryRecord, created bool, err error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return rec, false, fmt.Errorf("store: claim summary: %w", err)
	}
	defer tx.rollback()
	id, created, err := tx.insertID(ctx, claimSummaryQuery, subscriberID, month, string(ch), tx.seal(summaryData, string(data), subscriberID, month), tx.ts(now), tx.ts(now), subscriberID)
	if err != nil {
		return rec, false, fmt.Errorf("store: claim summary: %w", err)
	}
	if created {
		// Written just now: the record is what was written.
		if err := tx.commit(); err != nil {
			return rec, false, fmt.Errorf("store: claim summary: %w", err)
		}
		at := now.UTC().Truncate(time.Microsecond)
		return steady.SummaryRecord{ID: id, SubscriberID: subscriberID, Month: month, Channel: ch, Status: steady.SummarySending,
			Data: data, CreatedAt: at, UpdatedAt: at}, true, nil
	}
	var exists int64
	if err := tx.get(ctx, &exists, `SELECT id FROM subscribers WHERE id = ?`, subscriberID); err != nil {
		return rec, false, fmt.Errorf("store: claim summary: subscriber %d: %w", subscriberID, notFound(err))
	}
	var row summaryRow
	if err := tx.get(ctx, &row, `SELECT `+summaryColumns+` FROM summaries WHERE subscriber_id = ? AND month = ?`, subscriberID, month); err != nil {
		return rec, false, fmt.Errorf("store: claim summary: %w", err)
	}
	if err := tx.commit(); err != nil {
		return rec, false, fmt.Errorf("store: claim summary: %w", err)
	}
	if rec, err = row.record(tx); err != nil {
		return rec, false, fmt.Errorf("store: claim summary: %w", err)
	}
	return rec, false, nil
}

// FinishSummary records how sending summary id ended (sent, failed or
// unknown). Only a summary still sending can be finished.
func (db *DB) FinishSummary(ctx context.Context, id int64, status steady.SummaryStatus, providerID, lastError string, now time.Time) error {
	switch status {
	case steady.SummarySent, steady.SummaryFailed, steady.SummaryUnknown:
	default:
		return fmt.Errorf("store: finish summary %d: %w", id, steady.Invalid("status", "%q is not an outcome", status))
	}
	if db.alone(ctx) {
		// PostgreSQL: the UPDATE on its own, one round trip.
		res, err := db.db.ExecContext(ctx, db.db.Rebind(finishSummaryQuery), cleanArgs([]any{string(status), providerID, lastError,
			db.dialect.timeArg(now.UTC().Truncate(time.Microsecond)), id})...)
		if err != nil {
			return fmt.Errorf("store: finish summary %d: %w", id, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("store: finish summary %d: %w: not sending", id, errors.Join(steady.ErrConflict, err))
		}
		return nil
	}
	// In Atomically: on SQLite concurrent finishes share one commit.
	return db.Atomically(ctx, func(ctx context.Context) error { return db.finishSummary(ctx, id, status, providerID, lastError, now) })
}

func (db *DB) finishSummary(ctx context.Context, id int64, status steady.SummaryStatus, providerID, lastError string, now time.Time) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: finish summary %d: %w", id, err)
	}
	defer tx.rollback()
	n, err := tx.exec(ctx, finishSummaryQuery, string(status), providerID, lastError, tx.ts(now), id)
	if err != nil {
		return fmt.Errorf("store: finish summary %d: %w", id, err)
	}
	if n != 1 {
		return fmt.Errorf("store: finish summary %d: %w: not sending", id, steady.ErrConflict)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("store: finish summary %d: %w", id, err)
	}
	return nil
}

const finishSummaryQuery = `UPDATE summaries SET status = ?, provider_id = ?, last_error = ?, updated_at = ?
	WHERE id = ? AND status = 'sending'`

// RetrySummary takes back summary id for one more send when its last
// send failed (the server refused it or could not be reached, so nothing
// was handed over): it is sending again, and true is returned, for one
// caller only. A summary sent, or whose send was cut short (sending,
// unknown), is never taken back: false.
func (db *DB) RetrySummary(ctx context.Context, id int64, now time.Time) (bool, error) {
	var n int64
	err := db.Atomically(ctx, func(ctx context.Context) error {
		tx, err := db.begin(ctx)
		if err != nil {
			return err
		}
		defer tx.rollback()
		if n, err = tx.exec(ctx, `UPDATE summaries SET status = 'sending', updated_at = ? WHERE id = ? AND status = 'failed'`, tx.ts(now), id); err != nil {
			return err
		}
		return tx.commit()
	})
	if err != nil {
		return false, fmt.Errorf("store: retry summary %d: %w", id, err)
	}
	return n == 1, nil
}

// Summary returns summary id.
func (db *DB) Summary(ctx context.Context, id int64) (steady.SummaryRecord, error) {
	return db.oneSummary(ctx, fmt.Sprintf("summary %d", id), `WHERE id = ?`, id)
}

// SummaryFor returns the subscriber's summary for month.
func (db *DB) SummaryFor(ctx context.Context, subscriberID int64, month string) (steady.SummaryRecord, error) {
	return db.oneSummary(ctx, fmt.Sprintf("summary of %d for %s", subscriberID, month),
		`WHERE subscriber_id = ? AND month = ?`, subscriberID, month)
}

func (db *DB) oneSummary(ctx context.Context, what, where string, args ...any) (steady.SummaryRecord, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return steady.SummaryRecord{}, fmt.Errorf("store: %s: %w", what, err)
	}
	defer tx.rollback()
	var row summaryRow
	if err := tx.get(ctx, &row, `SELECT `+summaryColumns+` FROM summaries `+where, args...); err != nil {
		return steady.SummaryRecord{}, fmt.Errorf("store: %s: %w", what, notFound(err))
	}
	if err := tx.commit(); err != nil {
		return steady.SummaryRecord{}, fmt.Errorf("store: %s: %w", what, err)
	}
	rec, err := row.record(tx)
	if err != nil {
		return steady.SummaryRecord{}, fmt.Errorf("store: %s: %w", what, err)
	}
	return rec, nil
}

// ClaimSafetyNotice records that the subscriber is being sent a safety
// note for the incident window starting at windowStart, about reply replyID
// (0 for none); created is false when one was already claimed for that
// window, unless that one failed for a passing reason and its retry time
// (RetrySafetyNotice) has come: then it is claimed again, one attempt more.
func (db *DB) ClaimSafetyNotice(ctx context.Context, subscriberID, replyID int64, windowStart, now time.Time) (id int64, created bool, err error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, false, fmt.Errorf("store: claim safety notice: %w", err)
	}
	defer tx.rollback()
	id, created, err = tx.insertID(ctx, `INSERT INTO safety_notices (subscriber_id, window_start, reply_id, status, created_at)
		VALUES (?, ?, ?, 'sending', ?)
		ON CONFLICT (subscriber_id, window_start) DO UPDATE
			SET status = 'sending', attempts = safety_notices.attempts + 1, retry_at = NULL
			WHERE safety_notices.status = 'failed' AND safety_notices.retry_at IS NOT NULL AND safety_notices.retry_at <= ?
		RETURNING id`, subscriberID, tx.ts(windowStart), sql.NullInt64{Int64: replyID, Valid: replyID != 0}, tx.ts(now), tx.ts(now))
	if err != nil {
		return 0, false, fmt.Errorf("store: claim safety notice: %w", err)
	}
	if err := tx.commit(); err != nil {
		return 0, false, fmt.Errorf("store: claim safety notice: %w", err)
	}
	return id, created, nil
}

// FinishSafetyNotice records how sending safety notice id ended.
func (db *DB) FinishSafetyNotice(ctx context.Context, id int64, status steady.SummaryStatus) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: finish safety notice %d: %w", id, err)
	}
	defer tx.rollback()
	if _, err := tx.exec(ctx, `UPDATE safety_notices SET status = ? WHERE id = ? AND status = 'sending'`, string(status), id); err != nil {
		return fmt.Errorf("store: finish safety notice %d: %w", id, err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("store: finish safety notice %d: %w", id, err)
	}
	return nil
}

// SafetyRetry is a safety notice due to be tried again.
type SafetyRetry struct {
	SubscriberID int64
	ReplyID      int64
	WindowStart  time.Time
}

// SafetyRetriesDue returns the safety notices that failed for a passing
// reason and whose retry time is not after now.
func (db *DB) SafetyRetriesDue(ctx context.Context, now time.Time) ([]SafetyRetry, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: safety retries: %w", err)
	}
	defer tx.rollback()
	var rows []struct {
		SubscriberID int64         `db:"subscriber_id"`
		ReplyID      sql.NullInt64 `db:"reply_id"`
		WindowStart  utcTime       `db:"window_start"`
	}
	if err := tx.sel(ctx, &rows, `SELECT subscriber_id, reply_id, window_start FROM safety_notices
		WHERE status = 'failed' AND retry_at IS NOT NULL AND retry_at <= ? ORDER BY retry_at, id`, tx.ts(now)); err != nil {
		return nil, fmt.Errorf("store: safety retries: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: safety retries: %w", err)
	}
	out := make([]SafetyRetry, len(rows))
	for i, r := range rows {
		out[i] = SafetyRetry{SubscriberID: r.SubscriberID, ReplyID: r.ReplyID.Int64, WindowStart: r.WindowStart.time()}
	}
	return out, nil
}

// RetrySafetyNotice records that sending safety notice id failed for a
// passing reason: it is claimed again from retryAt, unless it has had
// maxAttempts already, when it is failed for good. final says which.
func (db *DB) RetrySafetyNotice(ctx context.Context, id int64, retryAt time.Time, maxAttempts int) (final bool, err error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return false, fmt.Errorf("store: retry safety notice %d: %w", id, err)
	}
	defer tx.rollback()
	var attempts int
	if err := tx.get(ctx, &attempts, `SELECT attempts FROM safety_notices WHERE id = ? AND status = 'sending'`, id); err != nil {
		return false, fmt.Errorf("store: retry safety notice %d: %w", id, notFound(err))
	}
	final = attempts >= maxAttempts
	var at any
	if !final {
		at = tx.ts(retryAt)
	}
	if _, err := tx.exec(ctx, `UPDATE safety_notices SET status = 'failed', retry_at = ? WHERE id = ?`, at, id); err != nil {
		return false, fmt.Errorf("store: retry safety notice %d: %w", id, err)
	}
	if err := tx.commit(); err != nil {
		return false, fmt.Errorf("store: retry safety notice %d: %w", id, err)
	}
	return final, nil
}

// Summaries returns the subscriber's summaries, oldest month first.
func (db *DB) Summaries(ctx context.Context, subscriberID int64) ([]steady.SummaryRecord, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: summaries of %d: %w", subscriberID, err)
	}
	defer tx.rollback()
	var rows []summaryRow
	if err := tx.sel(ctx, &rows, `SELECT `+summaryColumns+` FROM summaries WHERE subscriber_id = ? ORDER BY month, id`, subscriberID); err != nil {
		return nil, fmt.Errorf("store: summaries of %d: %w", subscriberID, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: summaries of %d: %w", subscriberID, err)
	}
	out := make([]steady.SummaryRecord, len(rows))
	for i, r := range rows {
		if out[i], err = r.record(tx); err != nil {
			return nil, fmt.Errorf("store: summaries of %d: %w", subscriberID, err)
		}
	}
	return out, nil
}

// RepliesSince returns every subscriber's replies received at or after
// since, oldest first: what the safety check reads each minute.
func (db *DB) RepliesSince(ctx context.Context, since time.Time) ([]steady.Reply, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: replies since: %w", err)
	}
	defer tx.rollback()
	var rows []replyRow
	if err := tx.sel(ctx, &rows, `SELECT `+replyColumns+` FROM replies WHERE received_at >= ? ORDER BY received_at, id`, tx.ts(since)); err != nil {
		return nil, fmt.Errorf("store: replies since: %w", err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: replies since: %w", err)
	}
	out, err := replies(tx, rows)
	if err != nil {
		return nil, fmt.Errorf("store: replies since: %w", err)
	}
	return out, nil
}

type safetyNoticeRow struct {
	ID           int64         `db:"id"`
	SubscriberID int64         `db:"subscriber_id"`
	WindowStart  utcTime       `db:"window_start"`
	ReplyID      sql.NullInt64 `db:"reply_id"`
	Status       string        `db:"status"`
	CreatedAt    utcTime       `db:"created_at"`
}

// SafetyNotices returns the safety notes sent (or being sent) to the
// subscriber, oldest first, for the data export.
func (db *DB) SafetyNotices(ctx context.Context, subscriberID int64) ([]steady.SafetyNotice, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: safety notices of %d: %w", subscriberID, err)
	}
	defer tx.rollback()
	var rows []safetyNoticeRow
	if err := tx.sel(ctx, &rows, `SELECT id, subscriber_id, window_start, reply_id, status, created_at
		FROM safety_notices WHERE subscriber_id = ? ORDER BY window_start, id`, subscriberID); err != nil {
		return nil, fmt.Errorf("store: safety notices of %d: %w", subscriberID, err)
	}
	if err := tx.commit(); err != nil {
		return nil, fmt.Errorf("store: safety notices of %d: %w", subscriberID, err)
	}
	out := make([]steady.SafetyNotice, len(rows))
	for i, r := range rows {
		out[i] = steady.SafetyNotice{ID: r.ID, SubscriberID: r.SubscriberID, WindowStart: r.WindowStart.time(),
			ReplyID: r.ReplyID.Int64, Status: steady.SummaryStatus(r.Status), CreatedAt: r.CreatedAt.time()}
	}
	return out, nil
}
