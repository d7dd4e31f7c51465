package store

import (
	"context"
	"fmt"
)

// Checkpoint copies everything in SQLite's write-ahead log into the
// database file and truncates the -wal file to nothing, so that rows just
// deleted do not linger in old log frames. With secure_delete on (see
// sqliteDSN) the deleted rows are already zeroed in the database file, so
// after a Checkpoint they are in none of SQLite's files. It waits for
// other connections' transactions as any writer does (the busy timeout)
// and fails if it could not finish. It is not a transaction and must not
// be called inside Atomically. On PostgreSQL it does nothing: there the
// server owns its write-ahead log (see docs/ARCHITECTURE.md, "Erasure").
func (db *DB) Checkpoint(ctx context.Context) error {
	if db.dialect != &sqliteDialect {
		return nil
	}
	// One row: busy (1 if it could not finish), frames in the log,
	// frames copied.
	var busy, frames, copied int
	if err := db.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &copied); err != nil {
		return fmt.Errorf("store: checkpoint: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("store: checkpoint: another connection kept the write-ahead log busy (%d of %d frames copied)",
			copied, frames)
	}
	return nil
}
