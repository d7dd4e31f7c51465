package store

import (
	"context"
	"fmt"
)

// EnsureSetting stores value under key unless the key already has a value,
// and returns what is stored. created says whether this call stored it.
// Concurrent callers all get the same stored value.
func (db *DB) EnsureSetting(ctx context.Context, key, value string) (stored string, created bool, err error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return "", false, fmt.Errorf("store: ensure setting %s: %w", key, err)
	}
	defer tx.rollback()
	n, err := tx.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, value)
	if err != nil {
		return "", false, fmt.Errorf("store: ensure setting %s: %w", key, err)
	}
	if err := tx.get(ctx, &stored, `SELECT value FROM settings WHERE key = ?`, key); err != nil {
		return "", false, fmt.Errorf("store: ensure setting %s: %w", key, err)
	}
	if err := tx.commit(); err != nil {
		return "", false, fmt.Errorf("store: ensure setting %s: %w", key, err)
	}
	return stored, n == 1, nil
}

// Setting returns the value stored under key, or an error wrapping
// steady.ErrNotFound.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return "", fmt.Errorf("store: setting %s: %w", key, err)
	}
	defer tx.rollback()
	var value string
	if err := tx.get(ctx, &value, `SELECT value FROM settings WHERE key = ?`, key); err != nil {
		return "", fmt.Errorf("store: setting %s: %w", key, notFound(err))
	}
	if err := tx.commit(); err != nil {
		return "", fmt.Errorf("store: setting %s: %w", key, err)
	}
	return value, nil
}
