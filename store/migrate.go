package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/steadyapp/steady"
)

//go:embed migrations
var migrationFiles embed.FS

// migration is one embedded SQL file, named NNNN_description.sql.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the dialect's migrations in version order.
func (d *dialect) migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, d.migrationsDir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: name is not NNNN_description.sql", e.Name())
		}
		if want := len(ms) + 1; version != want {
			return nil, fmt.Errorf("migration %s: expected version %d", e.Name(), want)
		}
		body, err := fs.ReadFile(migrationFiles, path.Join(d.migrationsDir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: version, name: e.Name(), sql: string(body)})
	}
	return ms, nil
}

// Migrate applies the pending migrations, each in its own transaction, and
// records each in schema_migrations. Processes migrating at once take turns
// (an advisory lock on PostgreSQL, BEGIN IMMEDIATE on SQLite), and each
// re-reads the version inside its transaction, so nothing is applied twice.
// It returns an error wrapping steady.ErrSchemaTooNew when the database was
// migrated by a newer Steady.
func (db *DB) Migrate(ctx context.Context) error {
	_, err := db.MigrateCount(ctx)
	return err
}

// MigrateCount is Migrate that also says how many migrations this call
// applied (0 when the database was already up to date, or when another
// process applied them first).
func (db *DB) MigrateCount(ctx context.Context) (applied int, err error) {
	ms, err := db.dialect.migrations()
	if err != nil {
		return 0, fmt.Errorf("store: migrate: %w", err)
	}
	for {
		one, err := db.migrateOne(ctx, ms)
		if err != nil {
			return applied, fmt.Errorf("store: migrate: %w", err)
		}
		if !one {
			return applied, nil
		}
		applied++
	}
}

// migrateOne applies the next pending migration in one transaction.
// applied is false when there was none.
func (db *DB) migrateOne(ctx context.Context, ms []migration) (applied bool, err error) {
	tx, err := db.begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.rollback()
	if tx.dialect.lockMigrations != "" {
		if _, err := tx.exec(ctx, tx.dialect.lockMigrations); err != nil {
			return false, fmt.Errorf("locking: %w", err)
		}
	}
	if _, err := tx.exec(ctx, tx.dialect.createMigrationsTable); err != nil {
		return false, fmt.Errorf("creating schema_migrations: %w", err)
	}
	current, err := schemaVersion(ctx, tx)
	if err != nil {
		return false, err
	}
	if current > len(ms) {
		return false, tooNew(current, len(ms))
	}
	if current == len(ms) {
		return false, nil
	}
	m := ms[current]
	if _, err := tx.exec(ctx, m.sql); err != nil {
		return false, fmt.Errorf("%s: %w", m.name, err)
	}
	if _, err := tx.exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`,
		m.version, tx.ts(time.Now())); err != nil {
		return false, fmt.Errorf("%s: recording: %w", m.name, err)
	}
	if err := tx.commit(); err != nil {
		return false, fmt.Errorf("%s: %w", m.name, err)
	}
	return true, nil
}

// CheckSchema returns nil only when every known migration is applied and
// the database is not newer than this program (else an error wrapping
// steady.ErrSchemaTooNew).
func (db *DB) CheckSchema(ctx context.Context) error {
	ms, err := db.dialect.migrations()
	if err != nil {
		return fmt.Errorf("store: check schema: %w", err)
	}
	tx, err := db.begin(ctx)
	if err != nil {
		return fmt.Errorf("store: check schema: %w", err)
	}
	defer tx.rollback()
	current, err := schemaVersion(ctx, tx)
	if err != nil {
		return fmt.Errorf("store: check schema (has the database been migrated?): %w", err)
	}
	if current > len(ms) {
		return fmt.Errorf("store: check schema: %w", tooNew(current, len(ms)))
	}
	if current < len(ms) {
		return fmt.Errorf("store: check schema: %d migration(s) pending (schema version %d, this program needs %d); run migrate",
			len(ms)-current, current, len(ms))
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("store: check schema: %w", err)
	}
	return nil
}

// schemaVersion is the highest applied migration, 0 for none.
func schemaVersion(ctx context.Context, tx *tx) (int, error) {
	var v int
	if err := tx.get(ctx, &v, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`); err != nil {
		return 0, fmt.Errorf("reading schema version: %w", err)
	}
	return v, nil
}

func tooNew(current, known int) error {
	return fmt.Errorf("%w: schema version %d, this program knows up to %d", steady.ErrSchemaTooNew, current, known)
}
