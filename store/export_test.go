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

// SecureDeleteForTest reports PRAGMA secure_delete on the writer and on n
// connections of the read pool held at once, so each is a different
// connection.
func (db *DB) SecureDeleteForTest(ctx context.Context, n int) ([]int, error) {
	var modes []int
	for i := range n + 1 {
		pool := db.read
		if i == 0 {
			pool = db.db
		}
		c, err := pool.Connx(ctx)
		if err != nil {
			return nil, err
		}
		defer c.Close()
		var mode int
		if err := c.GetContext(ctx, &mode, `PRAGMA secure_delete`); err != nil {
			return nil, err
		}
		modes = append(modes, mode)
	}
	return modes, nil
}

// QueryStringForTest returns the one text value query selects.
func (db *DB) QueryStringForTest(ctx context.Context, query string, args ...any) (string, error) {
	var s string
	err := db.db.GetContext(ctx, &s, db.db.Rebind(query), args...)
	return s, err
}

// SynchronousForTest reports the writer's PRAGMA synchronous (2 FULL, 1
// NORMAL).
func (db *DB) SynchronousForTest(ctx context.Context) (int, error) {
	var mode int
	err := db.db.GetContext(ctx, &mode, `PRAGMA synchronous`)
	return mode, err
}

// ReadOnlyForTest reports whether a write on the read pool is refused.
func (db *DB) ReadOnlyForTest(ctx context.Context) bool {
	_, err := db.read.ExecContext(ctx, `CREATE TABLE read_only_probe (x INTEGER)`)
	return err != nil
}

// CacheSizesForTest is PRAGMA cache_size on the writer and on a reader.
func (db *DB) CacheSizesForTest(ctx context.Context) (writer, reader int, err error) {
	if err = db.db.GetContext(ctx, &writer, `PRAGMA cache_size`); err == nil {
		err = db.read.GetContext(ctx, &reader, `PRAGMA cache_size`)
	}
	return writer, reader, err
}
