package store

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// RateLimit is one fixed-window counter a sign-up must stay under. The
// counters live in the database (rate_counters), so every worker on it
// shares them, and they are taken inside the sign-up's own transaction: a
// refused sign-up rolls back with its counts, and nothing of it is kept.
type RateLimit struct {
	// Scope names the limit, e.g. "ip", "mailbox", "confirm:sms".
	Scope string
	// Key is a keyed hash of what is counted (never the IP or address
	// itself); "" for a global counter.
	Key string
	// Window is the counter's length; windows are aligned to UTC (an hour
	// starts on the hour, a day at midnight UTC).
	Window time.Duration
	// Max is how many the window allows; 0 or less means no limit, and
	// nothing is counted.
	Max int
	// OnConfirm: counted only when a confirmation is queued, not for a
	// repeat sign-up that sends nothing new (see ResendAfter).
	OnConfirm bool
}

// LimitError is a sign-up refused because Scope's window is full.
type LimitError struct {
	Scope string
	// RetryAfter is how long until the window frees.
	RetryAfter time.Duration
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("rate limit %q reached; try again in %s", e.Scope, e.RetryAfter.Round(time.Second))
}

// IsLimited returns the LimitError in err's chain, if any.
func IsLimited(err error) (*LimitError, bool) {
	var l *LimitError
	ok := errors.As(err, &l)
	return l, ok
}

// windowOf is the fixed window of length w holding now: its start and end.
func windowOf(now time.Time, w time.Duration) (time.Time, time.Time) {
	start := now.UTC().Truncate(w)
	return start, start.Add(w)
}

// takeLimits counts one against each limit (those with onConfirm as given)
// and returns a *LimitError for the first that is over. The caller's
// transaction must roll back on that error.
func takeLimits(ctx context.Context, tx *tx, limits []RateLimit, onConfirm bool, now time.Time) error {
	for _, l := range limits {
		if l.OnConfirm != onConfirm || l.Max <= 0 {
			continue
		}
		if l.Window <= 0 {
			return fmt.Errorf("rate limit %q: no window", l.Scope)
		}
		n, end, err := countOne(ctx, tx, l.Scope, l.Key, l.Window, now)
		if err != nil {
			return fmt.Errorf("rate limit %q: %w", l.Scope, err)
		}
		if n > l.Max {
			return &LimitError{Scope: l.Scope, RetryAfter: end.Sub(now)}
		}
	}
	return nil
}

// countOne adds one to a counter's current window (an upsert, atomic on
// both databases) and returns the new count and the window's end.
func countOne(ctx context.Context, tx *tx, scope, key string, w time.Duration, now time.Time) (int, time.Time, error) {
	start, end := windowOf(now, w)
	var n int
	err := tx.get(ctx, &n, `INSERT INTO rate_counters (scope, key_hash, window_start, expires_at, count)
		VALUES (?, ?, ?, ?, 1)
		ON CONFLICT (scope, key_hash, window_start) DO UPDATE SET count = rate_counters.count + 1
		RETURNING count`, scope, key, tx.ts(start), tx.ts(end))
	return n, end, err
}

// CountRefusal records, in its own transaction, that a sign-up was refused
// by scope's limit, on the counter "refused:"+scope of the window w holding
// now, and returns how many were refused in that window: 1 means this was
// the first (so the operator is told once per window, by one worker).
func (db *DB) CountRefusal(ctx context.Context, scope string, w time.Duration, now time.Time) (int, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: count refusal: %w", err)
	}
	defer tx.rollback()
	n, _, err := countOne(ctx, tx, "refused:"+scope, "", w, now)
	if err != nil {
		return 0, fmt.Errorf("store: count refusal: %w", err)
	}
	if err := tx.commit(); err != nil {
		return 0, fmt.Errorf("store: count refusal: %w", err)
	}
	return n, nil
}

// RateCount is the count of one counter in the window w holding now (0
// when nothing was counted): e.g. RateCount(ctx, "sms-day", "", 24h, now)
// is how many sign-up texts were queued today (UTC), and
// RateCount(ctx, "refused:sms-day", "", 24h, now) how many were refused.
// It is the figure a metrics endpoint would expose.
func (db *DB) RateCount(ctx context.Context, scope, key string, w time.Duration, now time.Time) (int, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: rate count: %w", err)
	}
	defer tx.rollback()
	start, _ := windowOf(now, w)
	var n int
	err = tx.get(ctx, &n, `SELECT COALESCE(SUM(count), 0) FROM rate_counters
		WHERE scope = ? AND key_hash = ? AND window_start = ?`, scope, key, tx.ts(start))
	if err != nil {
		return 0, fmt.Errorf("store: rate count: %w", err)
	}
	if err := tx.commit(); err != nil {
		return 0, fmt.Errorf("store: rate count: %w", err)
	}
	return n, nil
}

// PruneRateCounters deletes the counters whose window ended at or before
// now and says how many went. Every sign-up path calls it after its own
// transaction, so the table holds only live windows.
func (db *DB) PruneRateCounters(ctx context.Context, now time.Time) (int64, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("store: prune rate counters: %w", err)
	}
	defer tx.rollback()
	n, err := tx.exec(ctx, `DELETE FROM rate_counters WHERE expires_at <= ?`, tx.ts(now))
	if err != nil {
		return 0, fmt.Errorf("store: prune rate counters: %w", err)
	}
	if err := tx.commit(); err != nil {
		return 0, fmt.Errorf("store: prune rate counters: %w", err)
	}
	return n, nil
}
