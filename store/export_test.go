package store

import "context"

// ExecForTest runs one statement outside the API, for tests that must
// reach past it (a newer schema, a corrupted row).
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := db.db.ExecContext(ctx, db.db.Rebind(query), args...)
	return err
}

// MigrateToForTest applies the migrations up to and including version, for
// tests of a later migration's effect on existing rows.
func (db *DB) MigrateToForTest(ctx context.Context, version int) error {
	ms, err := db.dialect.migrations()
	if err != nil {
		return err
	}
	for {
		applied, err := db.migrateOne(ctx, ms[:version])
		if err != nil || !applied {
			return err
		}
	}
}

// JournalModeForTest reports SQLite's journal mode.
func (db *DB) JournalModeForTest(ctx context.Context) (string, error) {
	var mode string
	err := db.db.GetContext(ctx, &mode, `PRAGMA journal_mode`)
	return mode, err
}
