package store

import "time"

// postgresDialect is PostgreSQL through pgx's database/sql driver. Claims
// lock their rows FOR UPDATE SKIP LOCKED so concurrent workers never take
// the same row, and migrations serialize on a transaction advisory lock.
var postgresDialect = dialect{
	name:          "postgres",
	driver:        "pgx",
	migrationsDir: "migrations/postgres",
	timeArg:       func(t time.Time) any { return t },

	createMigrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at TIMESTAMPTZ NOT NULL
	)`,
	// The key is an arbitrary constant shared by every Steady process.
	lockMigrations: `SELECT pg_advisory_xact_lock(357895521604)`,

	lockSubscriber: `SELECT id FROM subscribers WHERE id = ? FOR UPDATE`,

	claimDue: `SELECT ` + dueColumns + ` FROM subscribers
		WHERE status = 'active' AND next_slot <= ? AND bouncing_at IS NULL
		ORDER BY next_slot, id
		LIMIT ?
		FOR UPDATE SKIP LOCKED`,

	claimQueued: `SELECT id FROM deliveries
		WHERE status = 'queued' AND next_attempt_at <= ?
		ORDER BY next_attempt_at, id
		LIMIT ?
		FOR UPDATE SKIP LOCKED`,

	utcDay:      `to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
	customPlans: `SET LOCAL plan_cache_mode = force_custom_plan`,
}
