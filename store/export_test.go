package store

import "context"

// ExecForTest runs one statement outside the API, for tests that must
// reach past it (a newer schema, a corrupted row).
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := db.db.ExecContext(ctx, db.db.Rebind(query), args...)
	return err
}
