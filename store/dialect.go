package store

import "time"

// dialect holds what differs between SQLite and PostgreSQL: the driver, the
// migrations directory, how a time is passed, and the few statements whose
// text differs. Everything else is shared SQL with ? placeholders.
type dialect struct {
	name          string
	driver        string
	migrationsDir string
	// timeArg turns a UTC, microsecond-truncated time into a query argument.
	timeArg func(time.Time) any

	createMigrationsTable string
	lockMigrations        string // "" when the transaction itself serializes

	// lockSubscriber locks one subscriber row for a read-modify-write.
	lockSubscriber string
	// claimDue selects due active subscribers: now, limit.
	claimDue string
	// claimQueued selects the ids of queued deliveries ready to send: now, limit.
	claimQueued string
	// utcDay is an expression giving the UTC day ("2006-01-02") of the
	// time column named by its %s, for counts per day.
	utcDay string
	// customPlans ("" when not needed) makes the rest of the transaction
	// plan each statement for its own parameters: a generic plan of an
	// IN list of parameters compares every row with every value, which
	// made a 100,000-row import four times slower on PostgreSQL.
	customPlans string
}
