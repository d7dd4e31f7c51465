package store

import "time"

// sqliteDialect is SQLite through modernc.org/sqlite. Every transaction
// on the one writer connection begins IMMEDIATE (see sqliteDSN), so it
// holds the write lock from its first statement and the claim queries
// need no row locks; the read-only pool's transactions begin DEFERRED.
var sqliteDialect = dialect{
	name:          "sqlite",
	driver:        "sqlite",
	migrationsDir: "migrations/sqlite",
	timeArg:       func(t time.Time) any { return t.Format(sqliteTimeLayout) },

	createMigrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL
	)`,
	lockMigrations: "",

	lockSubscriber: `SELECT id FROM subscribers WHERE id = ?`,

	claimDue: `SELECT ` + dueColumns + ` FROM subscribers
		WHERE status = 'active' AND next_slot <= ? AND bouncing_at IS NULL
		ORDER BY next_slot, id
		LIMIT ?`,

	claimQueued: `SELECT id FROM deliveries
		WHERE status = 'queued' AND next_attempt_at <= ?
		ORDER BY next_attempt_at, id
		LIMIT ?`,

	utcDay: `substr(%s, 1, 10)`,
}
