package store

import (
	"context"
	"fmt"
	"time"

	"github.com/steadyapp/steady"
)

// AdminSession is one operator's signed-in session of the console. Only
// the SHA-256 of its token is kept (TokenHash, hex): the token itself is in
// the operator's cookie and nowhere else.
type AdminSession struct {
	TokenHash                        string
	Operator                         string
	CreatedAt, ExpiresAt, LastSeenAt time.Time
}

type adminSessionRow struct {
	TokenHash  string  `db:"token_hash"`
	Operator   string  `db:"operator"`
	CreatedAt  utcTime `db:"created_at"`
	ExpiresAt  utcTime `db:"expires_at"`
	LastSeenAt utcTime `db:"last_seen_at"`
}

// CreateAdminSession records a new session for operator under tokenHash,
// valid until expires, and first removes every session that has expired
// by now, so the table holds only live ones.
func (db *DB) CreateAdminSession(ctx context.Context, tokenHash, operator string, now, expires time.Time) error {
	if tokenHash == "" || operator == "" || !expires.After(now) {
		return fmt.Errorf("store: create admin session: %w", steady.Invalid("session", "a session needs a token hash, an operator and an expiry after now"))
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: create admin session: %w", err)
	}
	defer tx.rollback()
	if _, err := tx.exec(ctx, `DELETE FROM admin_sessions WHERE expires_at <= ?`, tx.ts(now)); err != nil {
		return fmt.Errorf("store: create admin session: pruning: %w", err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO admin_sessions (token_hash, operator, created_at, expires_at, last_seen_at)
		VALUES (?, ?, ?, ?, ?)`, tokenHash, operator, tx.ts(now), tx.ts(expires), tx.ts(now)); err != nil {
		return fmt.Errorf("store: create admin session: %w", err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("store: create admin session: %w", err)
	}
	return nil
}

// UseAdminSession finds the session with tokenHash that has not expired
// by now and sets its last_seen_at to now. A missing or expired one is an
// error wrapping steady.ErrNotFound (an expired one is deleted).
func (db *DB) UseAdminSession(ctx context.Context, tokenHash string, now time.Time) (AdminSession, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return AdminSession{}, fmt.Errorf("store: use admin session: %w", err)
	}
	defer tx.rollback()
	var r adminSessionRow
	if err := tx.get(ctx, &r, `SELECT token_hash, operator, created_at, expires_at, last_seen_at
		FROM admin_sessions WHERE token_hash = ?`, tokenHash); err != nil {
		return AdminSession{}, fmt.Errorf("store: use admin session: %w", notFound(err))
	}
	if !r.ExpiresAt.time().After(now) {
		if _, err := tx.exec(ctx, `DELETE FROM admin_sessions WHERE token_hash = ?`, tokenHash); err != nil {
			return AdminSession{}, fmt.Errorf("store: use admin session: %w", err)
		}
		if err := tx.commit(); err != nil {
			return AdminSession{}, fmt.Errorf("store: use admin session: %w", err)
		}
		return AdminSession{}, fmt.Errorf("store: use admin session: expired: %w", steady.ErrNotFound)
	}
	if _, err := tx.exec(ctx, `UPDATE admin_sessions SET last_seen_at = ? WHERE token_hash = ?`, tx.ts(now), tokenHash); err != nil {
		return AdminSession{}, fmt.Errorf("store: use admin session: %w", err)
	}
	if err := tx.commit(); err != nil {
		return AdminSession{}, fmt.Errorf("store: use admin session: %w", err)
	}
	return AdminSession{TokenHash: r.TokenHash, Operator: r.Operator, CreatedAt: r.CreatedAt.time(),
		ExpiresAt: r.ExpiresAt.time(), LastSeenAt: now.UTC().Truncate(time.Microsecond)}, nil
}

// DeleteAdminSession ends the session with tokenHash (logging out); a
// missing one is not an error.
func (db *DB) DeleteAdminSession(ctx context.Context, tokenHash string) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: delete admin session: %w", err)
	}
	defer tx.rollback()
	if _, err := tx.exec(ctx, `DELETE FROM admin_sessions WHERE token_hash = ?`, tokenHash); err != nil {
		return fmt.Errorf("store: delete admin session: %w", err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("store: delete admin session: %w", err)
	}
	return nil
}
